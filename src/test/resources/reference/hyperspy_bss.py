"""Reference numbers for FactorIcaHyperSpyTest: HyperSpy's ICA with its defaults on a cube written by eels-unmix.

    jobs/eels-unmix generate --set co-ru-pt --size 64 --seed 5 --replicates 1 --format npy --out target/ref
    /usr/bin/python3 src/test/resources/reference/hyperspy_bss.py target/ref/co-ru-pt-r0000

Runs s.decomposition() then s.blind_source_separation(3) with HyperSpy's defaults (SVD, diff_order=1, PCA
whitening, scikit-learn FastICA, factors reversed by their extremes); random_state is fixed only so that the run
repeats (the result does not depend on it: printed for three values). Prints the BSS factors every 10th channel,
their norms, a few BSS loadings, and the SAD of each factor to the true endmembers after Hungarian matching. Run by
hand; the test holds the printed numbers and needs no Python.
"""
import logging
import sys
import warnings

import numpy as np
from scipy.optimize import linear_sum_assignment

logging.getLogger("hyperspy").setLevel(logging.ERROR)
import hyperspy  # noqa: E402
import hyperspy.api as hs  # noqa: E402
import sklearn  # noqa: E402


def bss(cube, energy, random_state):
    s = hs.signals.Signal1D(cube.copy())
    axis = s.axes_manager.signal_axes[0]
    axis.offset, axis.scale = float(energy[0]), float(energy[1] - energy[0])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        s.decomposition(print_info=False)
        s.blind_source_separation(3, print_info=False, random_state=random_state)
    lr = s.learning_results
    return np.asarray(lr.bss_factors, dtype=np.float64).T, np.asarray(lr.bss_loadings, dtype=np.float64)


def sad(a, b):
    return float(np.arccos(np.clip(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)), -1.0, 1.0)))


def main(folder):
    cube = np.load(folder + "/cube.npy")
    energy = np.load(folder + "/energy.npy")
    truth = np.load(folder + "/endmembers_gt.npy")
    print(f"# HyperSpy {hyperspy.__version__}, scikit-learn {sklearn.__version__}, numpy {np.__version__}")
    print(f"# cube {cube.shape} {cube.dtype}, energy {energy[0]} + {energy[1] - energy[0]} eV/channel")
    factors, loadings = bss(cube, energy, 0)
    for rs in (1, 7):
        other, _ = bss(cube, energy, rs)
        print(f"# random_state={rs}: largest factor difference to random_state=0, relative: "
              f"{np.abs(other - factors).max() / np.abs(factors).max():.3g}")
    np.set_printoptions(precision=17, floatmode="maxprec", linewidth=120)
    print("FACTORS_EVERY_10 =", [[float(v) for v in f[::10]] for f in factors])
    print("FACTOR_NORMS =", [float(np.linalg.norm(f)) for f in factors])
    pixels = [0, 1000, 2345, cube.shape[0] * cube.shape[1] - 1]
    print("LOADING_PIXELS =", pixels)
    print("LOADINGS =", [[float(v) for v in loadings[p]] for p in pixels])
    angles = np.array([[sad(t, f) for f in factors] for t in truth])
    rows, cols = linear_sum_assignment(angles)
    print("MATCH (truth -> factor) =", [int(c) for c in cols])
    print("SAD =", [float(angles[r, c]) for r, c in zip(rows, cols)])
    print("MEAN_SAD =", float(angles[rows, cols].mean()))


if __name__ == "__main__":
    main(sys.argv[1])
