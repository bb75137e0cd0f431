package org.eelsunmix.spark.ml;

import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.eelsunmix.autoencoder.Cnnaeu;
import org.eelsunmix.autoencoder.MixtureFit;

/**
 * CNNAEU's abundances (Palsson, Ulfarsson &amp; Sveinsson, IEEE TGRS 59(1):535–549, 2021) for pixel tables: the
 * encoder sees a 3×3 neighbourhood, so pixels are assembled into {@link Cnnaeu#TILE}-pixel tiles with a
 * {@link Cnnaeu#HALO}-pixel halo by {@link PixelTiles} and each tile is encoded by {@link Cnnaeu#encodeTile}, the
 * kernel of the in-memory {@link Cnnaeu#abundances}: the same maps, never an image on the driver or in a task.
 *
 * <p>The RMSE of a pixel is that of the linear mixture {@code aᵀM} ({@link MixtureFit}) with the given endmembers,
 * the decoder kernels averaged over their positions ({@link Cnnaeu#endmembers}): what the saved endmembers and maps
 * mean together, not the error of the network's own convolutional decoder, which mixes each abundance's neighbours
 * through its {@code decoderSize}² kernel.
 */
final class CnnaeuTiles {
  private CnnaeuTiles() {}

  /**
   * Appends the abundances ({@code outputCol}, R values) and RMSE ({@code rmseCol}, counts) of every pixel row.
   *
   * @param network the trained network as a DL4J model zip ({@link AutoencoderTraining#toBytes}), restored once per
   *     partition
   * @param endmembers R × B, counts
   * @param modelName names the model in errors
   */
  static Dataset<Row> transform(Dataset<?> dataset, Broadcast<byte[]> network, double[][] endmembers,
      String inputCol, String outputCol, String rmseCol, String modelName) {
    return transform(dataset, network, endmembers, Cnnaeu.TILE, inputCol, outputCol, rmseCol, modelName);
  }

  /** As above with tiles of another core side (tests cross many tile edges on small images). */
  static Dataset<Row> transform(Dataset<?> dataset, Broadcast<byte[]> network, double[][] endmembers, int tile,
      String inputCol, String outputCol, String rmseCol, String modelName) {
    int r = endmembers.length;
    int channels = endmembers[0].length;
    return PixelTiles.apply(dataset, channels, r, tile, Cnnaeu.HALO, () -> {
      MultiLayerNetwork net = AutoencoderTraining.fromBytes(network.value());
      double[] fit = new double[channels];
      return (pixels, width, height, a, rmse) -> {
        Cnnaeu.encodeTile(net, pixels, width, height, a);
        for (int p = 0; p < width * height; p++) {
          rmse[p] = MixtureFit.rmse(endmembers, pixels, a, p, fit);
        }
      };
    }, inputCol, outputCol, rmseCol, modelName);
  }
}
