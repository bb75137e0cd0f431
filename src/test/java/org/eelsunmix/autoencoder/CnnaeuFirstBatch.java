package org.eelsunmix.autoencoder;

import org.eelsunmix.core.SpectrumImage;
import org.eelsunmix.synth.SyntheticCube;
import org.eelsunmix.synth.SyntheticGenerator;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The first mini-batch of a built-in set's reference CNNAEU training (replicate 0, seed 1), laid out as
 * {@link AutoencoderFit} lays it out and copied into the network's input: what the step timings fit again and again.
 */
record CnnaeuFirstBatch(String set, CnnaeuOptions options, WindowSample sample, int[] order, float[] values,
    INDArray x) {

  static CnnaeuFirstBatch of(String set) {
    SyntheticCube cube = SyntheticGenerator.generate(SyntheticGenerator.Options.builtin(set), 0);
    SpectrumImage image = cube.image();
    int b = image.channels();
    CnnaeuOptions o = new CnnaeuOptions(cube.truthEndmembers().count(), 1);
    WindowSample sample = WindowSample.of(image, o.drawWindows(image.width(), image.height(), image.id()),
        o.windowPixels());
    int n = o.batchSize();
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    float[] values = new float[o.batchLength(n, b)];
    INDArray x = Nd4j.create(DataType.FLOAT, o.batchShape(n, b));
    CnnaeuFirstBatch first = new CnnaeuFirstBatch(set, o, sample, order, values, x);
    first.layOut();
    return first;
  }

  /** Lays the batch out again into {@link #values} and {@link #x} (what a training step's batch costs). */
  void layOut() {
    options.layout(sample, order, 0, order.length, 1f / sample.largest(set), values);
    NdBuffers.write(values, x);
  }

  int channels() {
    return sample.channels();
  }

  int size() {
    return order.length;
  }
}
