package org.eelsunmix.spark.ml;

import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import org.eelsunmix.core.BadInputException;

/**
 * The method registry: every unmixing method, registered once with its name, help and estimator
 * ({@link UnmixingMethod}; the estimator gives the distributed and the in-memory fit, {@link UnmixingEstimator#fitInMemory}). The {@code --method} choices and help of {@code unmix}, {@code train}, {@code apply}
 * and {@code evaluate} come from here, and saved models load by their recorded class
 * ({@link UnmixingModel#load}), so adding a method is its kernel, its estimator and model, its tests and one
 * entry below.
 */
public final class UnmixingMethods {
  private UnmixingMethods() {}

  private static final List<UnmixingMethod> ALL = List.of(
      new UnmixingMethod(VcaFclsModel.METHOD, "VCA endmembers, then fully constrained (non-negative, sum-to-one) "
          + "least-squares abundances", "Nascimento & Bioucas-Dias, IEEE TGRS 43(4), 2005; Heinz & Chang, IEEE "
          + "TGRS 39(3), 2001", VcaFcls::new),
      new UnmixingMethod(NmfModel.METHOD, "non-negative matrix factorisation (scikit-learn's NMF, as HyperSpy "
          + "runs it); abundances as fractions of each pixel's fitted counts", "Cichocki & Phan, IEICE Trans. "
          + "Fundamentals E92-A(3), 2009; Pedregosa et al., JMLR 12, 2011", NmfEstimator::new),
      new UnmixingMethod(IcaModel.METHOD, "ICA as HyperSpy's decomposition() + blind_source_separation(R): FastICA "
          + "on the SVD factors differentiated along energy; endmembers the BSS factors, abundances the BSS loadings "
          + "(--ica-domain pixels: FastICA on the spectra)", "Hyvärinen, IEEE TNN 10(3), 1999; HyperSpy 1.7 "
          + "(de la Peña et al., doi:10.5281/zenodo.592838)", Ica::new),
      new UnmixingMethod("daeu", "unmixing autoencoder, one spectrum at a time (DL4J)", "Palsson, Sigurdsson, "
          + "Sveinsson & Ulfarsson, IEEE Access 6, 2018", DaeuEstimator::new),
      new UnmixingMethod("mtaeu", "multitask autoencoder over 2x2 neighbourhoods (DL4J); trains on one "
          + "acquisition's grid", "Palsson, Sveinsson & Ulfarsson, IEEE Access 7, 2019", MtaeuEstimator::new),
      new UnmixingMethod("cnnaeu", "convolutional autoencoder over square patches (DL4J); trains on one "
          + "acquisition's grid; hours on a CPU with the reference schedule", "Palsson, Ulfarsson & Sveinsson, "
          + "IEEE TGRS 59(1), 2021", CnnaeuEstimator::new),
      new UnmixingMethod(UdasModel.METHOD, "untied denoising autoencoder with sparsity: VCA/FCLS/NMF "
          + "start, then decoder (projected gradient) and l2,1 encoder rounds; abundances from the trained encoder",
          "Qu & Qi, IEEE TGRS 57(3), 2019", UdasEstimator::new),
      new UnmixingMethod(BluModel.METHOD, "Bayesian linear unmixing: Gibbs sampler of endmembers, abundances and "
          + "noise (100 sweeps, VCA start); posterior means with standard deviations", "Dobigeon, Moussaoui, Coulon, "
          + "Tourneret & Hero, IEEE TSP 57(11), 2009", BluEstimator::new));

  /** Every registered method, in the order of the help. */
  public static List<UnmixingMethod> all() {
    return ALL;
  }

  /** The method called {@code name} (case ignored); an unknown name is refused listing the known ones. */
  public static UnmixingMethod byName(String name) {
    for (UnmixingMethod m : ALL) {
      if (m.name().equals(name.toLowerCase(Locale.ROOT))) {
        return m;
      }
    }
    throw new BadInputException("method", "unknown method '" + name + "'; known methods: " + names());
  }

  /** The known method names, comma-separated. */
  public static String names() {
    return String.join(", ", ALL.stream().map(UnmixingMethod::name).toList());
  }

  /** The registered names, for picocli's {@code completionCandidates} (the help lists them). */
  public static final class Names implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return ALL.stream().map(UnmixingMethod::name).iterator();
    }
  }
}
