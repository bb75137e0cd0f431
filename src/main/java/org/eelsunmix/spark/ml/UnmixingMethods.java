package org.eelsunmix.spark.ml;

import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import org.eelsunmix.autoencoder.Cnnaeu;
import org.eelsunmix.autoencoder.CnnaeuOptions;
import org.eelsunmix.autoencoder.Daeu;
import org.eelsunmix.autoencoder.DaeuOptions;
import org.eelsunmix.autoencoder.Mtaeu;
import org.eelsunmix.autoencoder.MtaeuOptions;
import org.eelsunmix.core.Abundances;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.core.SpectrumImage;
import org.eelsunmix.core.Unmixing;
import org.eelsunmix.unmix.Blu;
import org.eelsunmix.unmix.FactorIca;
import org.eelsunmix.unmix.Fcls;
import org.eelsunmix.unmix.Nmf;
import org.eelsunmix.unmix.Udas;
import org.eelsunmix.unmix.Vca;

/**
 * The method registry: every unmixing method, registered once with its name, help, estimator and in-memory kernel
 * ({@link UnmixingMethod}). The {@code --method} choices and help of {@code unmix}, {@code train}, {@code apply}
 * and {@code evaluate} come from here, and saved models load by their recorded class
 * ({@link UnmixingModel#load}), so adding a method is its kernel, its estimator and model, its tests and one
 * entry below.
 */
public final class UnmixingMethods {
  private UnmixingMethods() {}

  private static final List<UnmixingMethod> ALL = List.of(
      new UnmixingMethod(VcaFclsModel.METHOD, "VCA endmembers, then fully constrained (non-negative, sum-to-one) "
          + "least-squares abundances", "Nascimento & Bioucas-Dias, IEEE TGRS 43(4), 2005; Heinz & Chang, IEEE "
          + "TGRS 39(3), 2001", VcaFcls::new, UnmixingMethods::vcaFcls),
      new UnmixingMethod(NmfModel.METHOD, "non-negative matrix factorisation (scikit-learn's NMF, as HyperSpy "
          + "runs it); abundances as fractions of each pixel's fitted counts", "Cichocki & Phan, IEICE Trans. "
          + "Fundamentals E92-A(3), 2009; Pedregosa et al., JMLR 12, 2011", NmfEstimator::new,
          UnmixingMethods::nmf),
      new UnmixingMethod(IcaModel.METHOD, "ICA as HyperSpy's decomposition() + blind_source_separation(R): FastICA "
          + "on the SVD factors differentiated along energy; endmembers the BSS factors, abundances the BSS loadings "
          + "(--ica-domain pixels: FastICA on the spectra)", "Hyvärinen, IEEE TNN 10(3), 1999; HyperSpy 1.7 "
          + "(de la Peña et al., doi:10.5281/zenodo.592838)", Ica::new, UnmixingMethods::ica),
      new UnmixingMethod("daeu", "unmixing autoencoder, one spectrum at a time (DL4J)", "Palsson, Sigurdsson, "
          + "Sveinsson & Ulfarsson, IEEE Access 6, 2018", DaeuEstimator::new, UnmixingMethods::daeu),
      new UnmixingMethod("mtaeu", "multitask autoencoder over 2x2 neighbourhoods (DL4J); trains on one "
          + "acquisition's grid", "Palsson, Sveinsson & Ulfarsson, IEEE Access 7, 2019", MtaeuEstimator::new,
          UnmixingMethods::mtaeu),
      new UnmixingMethod("cnnaeu", "convolutional autoencoder over square patches (DL4J); trains on one "
          + "acquisition's grid; hours on a CPU with the reference schedule", "Palsson, Ulfarsson & Sveinsson, "
          + "IEEE TGRS 59(1), 2021", CnnaeuEstimator::new, UnmixingMethods::cnnaeu),
      new UnmixingMethod(UdasModel.METHOD, "untied denoising autoencoder with sparsity: VCA/FCLS/NMF "
          + "start, then decoder (projected gradient) and l2,1 encoder rounds; abundances from the trained encoder",
          "Qu & Qi, IEEE TGRS 57(3), 2019", UdasEstimator::new, UnmixingMethods::udas),
      new UnmixingMethod(BluModel.METHOD, "Bayesian linear unmixing: Gibbs sampler of endmembers, abundances and "
          + "noise (100 sweeps, VCA start); posterior means with standard deviations", "Dobigeon, Moussaoui, Coulon, "
          + "Tourneret & Hero, IEEE TSP 57(11), 2009", BluEstimator::new, UnmixingMethods::blu));

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

  /** VCA with the estimator's default restarts ({@link Vca#DEFAULT_RESTARTS}), then FCLS of the kept set. */
  private static Unmixing vcaFcls(SpectrumImage image, int endmembers, long seed) {
    Vca.Result vca = Vca.fit(image, new Vca.Options(endmembers, seed).withRestarts(Vca.DEFAULT_RESTARTS));
    return new Unmixing(vca.endmembers(), new Fcls(vca.endmembers().matrix()).unmix(image));
  }

  /**
   * NMF with scikit-learn's defaults, rescaled so each pixel's abundances sum to one (comparable with the other
   * methods' maps). The rescaled endmembers have unit sum; they are multiplied by the image's mean counts per
   * pixel so that abundances × endmembers stays on the scale of the counts (the RMSE is then that of a sum-to-one
   * model, not NMF's raw fit).
   */
  private static Unmixing nmf(SpectrumImage image, int endmembers, long seed) {
    Unmixing u = Nmf.fit(image, new Nmf.Options(endmembers, seed).withSumToOne(true)).unmixing();
    double total = 0;
    for (float v : image.data()) {
      total += v;
    }
    return new Unmixing(u.endmembers().scaled(total / image.pixels()), u.abundances());
  }

  /**
   * HyperSpy's BSS ({@link FactorIca}) with the explicit, heuristic non-negative, sum-to-one rescaling of its
   * loadings ({@link org.eelsunmix.unmix.SourceSeparation#proportions}).
   */
  private static Unmixing ica(SpectrumImage image, int endmembers, long seed) {
    return FactorIca.fit(image, FactorIca.options(endmembers, seed)).proportions(image);
  }

  /** DAEU with the reference schedule (2000 spectra, batches of 6, 40 epochs, RMSprop 1e-3). */
  private static Unmixing daeu(SpectrumImage image, int endmembers, long seed) {
    return Daeu.train(image, new DaeuOptions(endmembers, seed)).unmixing();
  }

  /** MTAEU with the reference schedule (2000 neighbourhoods, batches of 15, 60 epochs, RMSprop 1e-3). */
  private static Unmixing mtaeu(SpectrumImage image, int endmembers, long seed) {
    return Mtaeu.train(image, new MtaeuOptions(endmembers, seed)).unmixing();
  }

  /**
   * CNNAEU with the reference schedule (250 patches of 40×40 pixels, or the image's smaller side when it is
   * smaller, batches of 15, 320 epochs, RMSprop 3e-3).
   */
  private static Unmixing cnnaeu(SpectrumImage image, int endmembers, long seed) {
    CnnaeuOptions o = new CnnaeuOptions(endmembers, seed);
    int side = Math.min(o.patchSize(), Math.min(image.width(), image.height()));
    return Cnnaeu.train(image, o.withPatches(o.patches(), side)).unmixing();
  }

  /**
   * uDAS with the paper's settings (12 mSDA layers, 10 outer iterations; see {@link Udas}). Its encoder meets the
   * sum-to-one constraint only softly (the δ-weighted row: sums within a few 1e-3 of one); {@code evaluate} scores
   * every method's maps as proportions, so each pixel's abundances are divided by their sum here (a pixel whose
   * encoder gives all zeros keeps zeros). The Spark model's maps are the encoder's, not rescaled.
   */
  private static Unmixing udas(SpectrumImage image, int endmembers, long seed) {
    Unmixing u = Udas.fit(image, new Udas.Options(endmembers, seed)).unmixing();
    Abundances a = u.abundances();
    double[] v = a.values().clone();
    int r = a.count();
    for (int p = 0; p < a.pixels(); p++) {
      double sum = 0;
      for (int k = 0; k < r; k++) {
        sum += v[p * r + k];
      }
      for (int k = 0; sum > 0 && k < r; k++) {
        v[p * r + k] /= sum;
      }
    }
    return new Unmixing(u.endmembers(), new Abundances(a.height(), a.width(), r, v));
  }

  /** BLU with the authors' schedule (100 sweeps, 33 burn-in, one chain): posterior mean endmembers and abundances. */
  private static Unmixing blu(SpectrumImage image, int endmembers, long seed) {
    return Blu.fit(image, new Blu.Options(endmembers, seed)).unmixing();
  }
}
