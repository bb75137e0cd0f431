package org.eelsunmix.spark.ml;

import java.util.Arrays;
import java.util.Comparator;
import org.eelsunmix.autoencoder.AutoencoderFit;
import org.eelsunmix.autoencoder.Daeu;
import org.eelsunmix.autoencoder.DaeuOptions;
import org.eelsunmix.autoencoder.TrainedNetwork;
import org.eelsunmix.autoencoder.WindowSample;
import org.eelsunmix.core.PixelKey;
import org.eelsunmix.core.SpectrumImage;

/**
 * DAEU keeps the stage contract: in-memory training ({@link AutoencoderFit#fit}) on the sample the rank draw
 * picks (every pixel of the image here, in rank order), and {@link Daeu#encode} on new pixels.
 */
class DaeuContractTest extends UnmixingStageContract<AutoencoderModel> {
  @Override
  protected DaeuEstimator estimator() {
    return new DaeuEstimator().setNumEndmembers(3).setSeed(5).setRestarts(1).setEpochs(2).setBatchSize(20)
        .setSamples(480);
  }

  @Override
  protected double[][] referenceEndmembers(SpectrumImage image) {
    DaeuOptions o = estimator().options();
    int b = image.channels();
    Integer[] order = new Integer[image.pixels()];
    Arrays.setAll(order, p -> p);
    Arrays.sort(order, Comparator.comparingLong(p -> TrainingSample.rank(o.seed(),
        new PixelKey(image.id(), p / image.width(), p % image.width()))));
    float[] counts = new float[order.length * b];
    for (int i = 0; i < order.length; i++) {
      System.arraycopy(image.data(), order[i] * b, counts, i * b, b);
    }
    TrainedNetwork net = AutoencoderFit.fit(o, WindowSample.ofSpectra(counts, b), "reference");
    return o.decoderEndmembers(net.network());
  }

  @Override
  protected double[] referenceTransform(AutoencoderModel model, SpectrumImage image) {
    double[] out = new double[image.pixels() * 3];
    Daeu.encode(model.network(), image.data(), image.pixels(), out);
    return out;
  }

  @Override
  protected double tolerance() {
    return 1e-6; // float32 networks
  }
}
