package org.eelsunmix.linalg;

/**
 * Whether this JVM can run the kernels written on the JDK's incubating Vector API ({@code jdk.incubator.vector},
 * JEP 338/414): the module must be in the boot layer ({@code java --add-modules=jdk.incubator.vector}, as
 * {@code jobs/eels-unmix}, the tests and the README's spark-submit lines pass it), and the system property
 * {@code eelsunmix.vector} must not be {@code false}.
 *
 * <p>Every vector kernel has a scalar twin that performs the same multiplications and additions in the same order
 * per output value (lane-wise {@code mul} then {@code add}, never a fused multiply-add), so a result does not depend on
 * which one ran: a driver with the module and executors without it give the same bits, only more slowly. Classes that
 * name {@code jdk.incubator.vector} types are touched only behind {@link #ENABLED}, so they are never linked where the
 * module is absent. The kernels: {@code unmix.ScatterRowsVector} (the B × B moments), {@code linalg.DotVector} (FCLS's
 * row products), {@code unmix.NmfLanesVector} (NMF's transform), {@code unmix.MixtureResidualsVector} (FCLS's and
 * NMF's per-pixel residuals), {@code unmix.VcaProjectionVector} (VCA's projection of the pixels),
 * {@code linalg.FiniteValuesVector} (the check of every spectrum read), {@code autoencoder.RmsPropVector} (the
 * autoencoders' RMSprop step), {@code autoencoder.LeakyReluVector} (DAEU's and MTAEU's LeakyReLU),
 * {@code autoencoder.SpectrumRowsVector} (the float loops of CNNAEU's FFT decoder), {@code autoencoder.SadRowsVector}
 * (the SAD loss's per-pixel loops over CNNAEU's channel rows) and
 * {@code autoencoder.WinogradTransformsVector} (CNNAEU's encoder convolution). The float kernels all take one vector
 * shape, {@link FloatLanes#SPECIES} (why: its Javadoc). {@code jobs/eels-unmix} lets C2
 * compile them early, and the README's spark-submit
 * lines list them.
 */
public final class VectorApi {
  /** Module present in the boot layer and not switched off. Fixed for the life of the JVM. */
  public static final boolean ENABLED =
      !"false".equalsIgnoreCase(System.getProperty("eelsunmix.vector", "true"))
          && ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

  private VectorApi() {}
}
