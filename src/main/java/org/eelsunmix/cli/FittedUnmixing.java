package org.eelsunmix.cli;

import java.util.Locale;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.util.MLWritable;
import org.eelsunmix.core.Endmembers;
import org.eelsunmix.spark.ml.AutoencoderModel;
import org.eelsunmix.spark.ml.IcaModel;
import org.eelsunmix.spark.ml.NmfModel;
import org.eelsunmix.spark.ml.NmfSummary;
import org.eelsunmix.spark.ml.VcaFclsModel;

/**
 * What {@code unmix} needs of a fitted model, whatever the method: the transformer that appends abundances and
 * rmse, its writer, the endmember spectra for the MSA files and a one-line description of the fit.
 */
record FittedUnmixing(Transformer model, MLWritable writable, Endmembers endmembers, String summary) {

  static FittedUnmixing of(VcaFclsModel m) {
    return new FittedUnmixing(m, m, m.endmembers(), String.format(Locale.ROOT, "VCA SNR estimate %.1f dB",
        m.fittedSnrDb()));
  }

  /** ICA's abundances are its raw sources (see {@link org.eelsunmix.unmix.IndependentComponents}). */
  static FittedUnmixing of(IcaModel m) {
    return new FittedUnmixing(m, m, m.endmembers(), String.format(Locale.ROOT, "FastICA %s after %d iterations",
        m.components().converged() ? "converged" : "did not converge", m.components().iterations()));
  }

  /** NMF's abundances are per-pixel coefficients for fixed components (sum-to-one shares when so set). */
  static FittedUnmixing of(NmfModel m) {
    NmfSummary s = m.summary();
    return new FittedUnmixing(m, m, m.endmembers(), String.format(Locale.ROOT,
        "%s start, %d iterations (%s), relative residual %.3g", s.init(), s.iterations(),
        s.converged() ? "converged" : "iteration cap", s.relativeResidual()));
  }

  /** An autoencoder trained in {@code seconds}: abundances are its sum-to-one layer (see {@link TrainCommand}). */
  static FittedUnmixing of(AutoencoderModel m, double seconds) {
    return new FittedUnmixing(m, m, m.endmembers(), TrainCommand.describeTraining(m.summary(), seconds));
  }
}
