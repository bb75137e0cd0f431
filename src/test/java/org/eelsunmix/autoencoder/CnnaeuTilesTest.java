package org.eelsunmix.autoencoder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.ConvolutionParamInitializer;
import org.eelsunmix.core.Abundances;
import org.eelsunmix.core.EnergyAxis;
import org.eelsunmix.core.SpectrumImage;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** CNNAEU's tiled inference against one forward pass over the whole image. */
class CnnaeuTilesTest {
  private static final int CHANNELS = 24;
  private static final int R = 3;

  /**
   * An untrained network (seeded; 8 filters, 3×3 decoder) whose first convolution is divided by the counts' scale,
   * as training leaves it, so the softmax is far from saturated and the maps vary from pixel to pixel.
   */
  static MultiLayerNetwork network(int channels, float maxCount) {
    MultiLayerNetwork net = Cnnaeu.network(channels, new CnnaeuOptions(R, 7, 1, 2, 2, 2, 1e-3, 8, 3));
    net.getLayer(0).getParam(ConvolutionParamInitializer.WEIGHT_KEY).divi(maxCount);
    return net;
  }

  /** Random counts in [0, 100) (seeded): every pixel unlike its neighbours. */
  private static SpectrumImage image(int width, int height, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] data = new float[width * height * CHANNELS];
    for (int i = 0; i < data.length; i++) {
      data[i] = (float) (100 * random.nextDouble());
    }
    return new SpectrumImage("random", height, width, EnergyAxis.ofEv(100, 1, CHANNELS), data);
  }

  /** The reference: one inference pass over the whole image, as Cnnaeu.abundances ran before tiles. */
  private static double[] wholeImage(MultiLayerNetwork net, SpectrumImage image) {
    int b = image.channels();
    int plane = image.pixels();
    float[] in = new float[b * plane];
    for (int p = 0; p < plane; p++) {
      for (int c = 0; c < b; c++) {
        in[c * plane + p] = image.data()[p * b + c];
      }
    }
    INDArray x = Nd4j.create(DataType.FLOAT, 1, b, image.height(), image.width());
    NdBuffers.write(in, x);
    INDArray maps = net.feedForwardToLayer(Cnnaeu.ABUNDANCE_LAYER, x, false).get(Cnnaeu.ABUNDANCE_LAYER + 1);
    float[] out = new float[R * plane];
    NdBuffers.read(maps, out);
    double[] values = new double[plane * R];
    for (int p = 0; p < plane; p++) {
      for (int k = 0; k < R; k++) {
        values[p * R + k] = out[k * plane + p];
      }
    }
    return values;
  }

  @Test
  void tilesEqualOnePassOverTheWholeImage() {
    MultiLayerNetwork net = network(CHANNELS, 100f);
    // Sides that are not multiples of the tile (two tiles across, one down; 2×2 tiles), and an image smaller
    // than the halo'd block.
    for (int[] size : new int[][] {{70, 45}, {65, 66}, {3, 2}}) {
      SpectrumImage image = image(size[0], size[1], size[0]);
      Abundances tiled = Cnnaeu.abundances(net, image);
      assertEquals(size[1], tiled.height());
      assertEquals(size[0], tiled.width());
      double[] reference = wholeImage(net, image);
      double spread = 0;
      for (int p = 0; p < image.pixels(); p++) {
        double sum = 0;
        for (int k = 0; k < R; k++) {
          double a = tiled.values()[p * R + k];
          assertEquals(reference[p * R + k], a, 1e-5, size[0] + "×" + size[1] + " pixel " + p + ", k " + k);
          sum += a;
          spread = Math.max(spread, Math.abs(a - tiled.values()[k]));
        }
        assertEquals(1.0, sum, 1e-12);
      }
      assertTrue(image.pixels() < 10 || spread > 0.05, "maps nearly constant: the comparison would be weak");
    }
  }

  @Test
  void theHaloIsTheEncodersReach() {
    // Changing one pixel changes the abundances within HALO of it and nowhere else: exactly with the shifted GEMMs;
    // by float rounding only with Winograd F(4×4, 3×3), whose 6×6 input tiles mix neighbouring pixels in the
    // transform, so an output outside the reach but in the same tile moves (measured 2.4e-7 to 1.1e-6 on abundances of
    // ~0.5; F(4×4)'s float error is up to 5e-6 of the largest value, FusedConvolutionTest).
    for (boolean winograd : new boolean[] {false, true}) {
      boolean previous = FusedConvolutionLayer.allowWinograd(winograd);
      try {
        MultiLayerNetwork net = network(CHANNELS, 100f);
        int[] kernel = ((ConvolutionLayer) net.getLayerWiseConfigurations().getConf(0).getLayer()).getKernelSize();
        assertArrayEquals(new int[] {2 * Cnnaeu.HALO + 1, 2 * Cnnaeu.HALO + 1}, kernel);
        SpectrumImage image = image(9, 8, 3);
        double[] before = wholeImage(net, image);
        int cx = 4;
        int cy = 5;
        for (int c = 0; c < CHANNELS; c++) {
          image.data()[(cy * 9 + cx) * CHANNELS + c] *= 3;
        }
        double[] after = wholeImage(net, image);
        for (int y = 0; y < 8; y++) {
          for (int x = 0; x < 9; x++) {
            boolean near = Math.abs(x - cx) <= Cnnaeu.HALO && Math.abs(y - cy) <= Cnnaeu.HALO;
            double change = 0;
            for (int k = 0; k < R; k++) {
              change = Math.max(change, Math.abs(after[(y * 9 + x) * R + k] - before[(y * 9 + x) * R + k]));
            }
            assertTrue(near ? change > 1e-4 : change <= (winograd ? 1e-5 : 0),
                (winograd ? "Winograd" : "shifted") + ", x " + x + ", y " + y + ": change " + change);
          }
        }
      } finally {
        FusedConvolutionLayer.allowWinograd(previous);
      }
    }
  }

  @Test
  void encodeTileMatchesTheMapsOfTheSameBlock() {
    // A block as the Spark path builds it, zeros where no pixel is: its maps are those of that block as an image.
    MultiLayerNetwork net = network(CHANNELS, 100f);
    SpectrumImage image = image(5, 4, 11);
    java.util.Arrays.fill(image.data(), (2 * 5 + 3) * CHANNELS, (2 * 5 + 4) * CHANNELS, 0f); // a missing pixel
    double[] out = new double[5 * 4 * R + 7]; // longer than needed: the rest is left alone
    out[5 * 4 * R] = 42;
    float[] pixels = java.util.Arrays.copyOf(image.data(), image.data().length + 3 * CHANNELS);
    Cnnaeu.encodeTile(net, pixels, 5, 4, out);
    double[] reference = wholeImage(net, image);
    for (int i = 0; i < reference.length; i++) {
      assertEquals(reference[i], out[i], 1e-6, "value " + i);
    }
    assertEquals(42, out[5 * 4 * R]);
  }
}
