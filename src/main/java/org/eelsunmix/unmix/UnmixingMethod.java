package org.eelsunmix.unmix;

import org.eelsunmix.core.Unmixing;
import java.util.List;
import java.util.Locale;
import org.eelsunmix.autoencoder.Daeu;
import org.eelsunmix.autoencoder.Cnnaeu;
import org.eelsunmix.autoencoder.CnnaeuOptions;
import org.eelsunmix.autoencoder.DaeuOptions;
import org.eelsunmix.autoencoder.Mtaeu;
import org.eelsunmix.autoencoder.MtaeuOptions;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.core.SpectrumImage;

/**
 * An unmixing method run in memory on one spectrum image: the kernel behind {@code evaluate}'s replicate tasks and
 * the reference for the distributed estimators. Methods are looked up by the names the commands accept.
 */
public enum UnmixingMethod {
  /** VCA endmembers (Nascimento &amp; Bioucas-Dias 2005), then FCLS abundances (Heinz &amp; Chang 2001). */
  VCA_FCLS("vca-fcls") {
    @Override
    public Unmixing unmix(SpectrumImage image, int endmembers, long seed) {
      Vca.Result vca = Vca.fit(image, new Vca.Options(endmembers, seed));
      return new Unmixing(vca.endmembers(), new Fcls(vca.endmembers().matrix()).unmix(image));
    }
  },

  /**
   * NMF with scikit-learn's defaults (nndsvda start, coordinate descent, tol 1e-4, 200 iterations), rescaled so
   * each pixel's abundances sum to one (comparable with the other methods' maps; see {@link Nmf}). The rescaled
   * endmembers have unit sum; they are multiplied by the image's mean counts per pixel so that abundances ×
   * endmembers stays on the scale of the counts (the RMSE is then that of a sum-to-one model, not NMF's raw fit).
   */
  NMF("nmf") {
    @Override
    public Unmixing unmix(SpectrumImage image, int endmembers, long seed) {
      Unmixing u = Nmf.fit(image, new Nmf.Options(endmembers, seed).withSumToOne(true)).unmixing();
      double total = 0;
      for (float v : image.data()) {
        total += v;
      }
      return new Unmixing(u.endmembers().scaled(total / image.pixels()), u.abundances());
    }
  },

  /**
   * FastICA as scikit-learn and HyperSpy run it (logcosh, symmetric, tol 1e-4, 200 iterations), with the explicit,
   * heuristic non-negative, sum-to-one rescaling of {@link IndependentComponents#proportions}.
   */
  ICA("ica") {
    @Override
    public Unmixing unmix(SpectrumImage image, int endmembers, long seed) {
      return FastIca.fit(image, new FastIca.Options(endmembers, seed)).proportions(image);
    }
  },

  /**
   * DAEU, the unmixing autoencoder of Palsson et al., IEEE Access 2018, with the reference schedule (2000 spectra,
   * batches of 6, 40 epochs, RMSprop 1e-3); see {@link org.eelsunmix.autoencoder.Daeu}.
   */
  DAEU("daeu") {
    @Override
    public Unmixing unmix(SpectrumImage image, int endmembers, long seed) {
      return Daeu.train(image, new DaeuOptions(endmembers, seed)).unmixing();
    }
  },

  /**
   * MTAEU, the multitask autoencoder of Palsson et al., IEEE Access 2019 (2×2 neighbourhoods as four tasks), with
   * the reference schedule (2000 neighbourhoods, batches of 15, 60 epochs, RMSprop 1e-3); see
   * {@link org.eelsunmix.autoencoder.Mtaeu}.
   */
  MTAEU("mtaeu") {
    @Override
    public Unmixing unmix(SpectrumImage image, int endmembers, long seed) {
      return Mtaeu.train(image, new MtaeuOptions(endmembers, seed)).unmixing();
    }
  },

  /**
   * CNNAEU, the convolutional autoencoder of Palsson et al., IEEE TGRS 2021, with the reference schedule (250
   * patches of 40×40 pixels, or the image's smaller side when it is smaller, batches of 15, 320 epochs, RMSprop
   * 3e-3); see {@link org.eelsunmix.autoencoder.Cnnaeu}. Heavy on a CPU: minutes to hours per image.
   */
  CNNAEU("cnnaeu") {
    @Override
    public Unmixing unmix(SpectrumImage image, int endmembers, long seed) {
      CnnaeuOptions o = new CnnaeuOptions(endmembers, seed);
      int side = Math.min(o.patchSize(), Math.min(image.width(), image.height()));
      return Cnnaeu.train(image, o.withPatches(o.patches(), side)).unmixing();
    }
  };

  private final String cliName;

  UnmixingMethod(String cliName) {
    this.cliName = cliName;
  }

  /** The name used on the command line and in result tables. */
  public String cliName() {
    return cliName;
  }

  /** Unmixes {@code image} into {@code endmembers} components with the given seed. */
  public abstract Unmixing unmix(SpectrumImage image, int endmembers, long seed);

  /** The method called {@code name}; an unknown name is an error naming {@code option} and the known names. */
  public static UnmixingMethod byName(String name, String option) {
    for (UnmixingMethod m : values()) {
      if (m.cliName.equals(name.toLowerCase(Locale.ROOT))) {
        return m;
      }
    }
    throw new BadInputException(option, "unknown method '" + name + "'; known methods: " + names());
  }

  /** The known method names, comma-separated. */
  public static String names() {
    return String.join(", ", List.of(values()).stream().map(UnmixingMethod::cliName).toList());
  }
}
