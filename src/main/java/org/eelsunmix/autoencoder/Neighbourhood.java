package org.eelsunmix.autoencoder;

/**
 * MTAEU's four tasks around a pixel: for the pixel at column x, row y the tasks are the pixels (x, y), (x+1, y),
 * (x, y+1) and (x+1, y+1), a 2×2 block anchored at the pixel. Past the last column or row the block is mirrored
 * about the edge pixel (x+1 = width → width − 2; a single column or row repeats itself), so every pixel anchors one
 * neighbourhood and takes part in four (fewer at the right and bottom edges, where mirrored neighbours repeat).
 * Pixels are numbered in raster order, {@code y · width + x}.
 */
public final class Neighbourhood {
  private Neighbourhood() {}

  /** The pixel index of task {@code task} (0..3) of the neighbourhood anchored at pixel {@code anchor}. */
  public static int task(int width, int height, int anchor, int task) {
    int x = anchor % width;
    int y = anchor / width;
    if ((task & 1) != 0) {
      x = next(x, width);
    }
    if ((task & 2) != 0) {
      y = next(y, height);
    }
    return y * width + x;
  }

  /**
   * How many neighbourhoods use pixel (x, y) as task {@code task}: 1 inside the image; at the right and bottom
   * edges mirrored blocks add uses and the first column or row has none as a right or lower neighbour. The count
   * factorises per axis: along an axis the task either keeps the anchor's coordinate (one anchor) or takes its next
   * one, which {@code i} is for the anchor {@code i − 1} (when {@code i ≥ 1}) and, mirrored, for the last anchor
   * when {@code i = max(size − 2, 0)}.
   */
  public static int uses(int width, int height, int x, int y, int task) {
    return axisUses(x, width, (task & 1) != 0) * axisUses(y, height, (task & 2) != 0);
  }

  private static int axisUses(int i, int size, boolean next) {
    if (!next) {
      return 1;
    }
    return (i >= 1 ? 1 : 0) + (i == Math.max(size - 2, 0) ? 1 : 0);
  }

  private static int next(int i, int size) {
    return i + 1 < size ? i + 1 : Math.max(size - 2, 0);
  }
}
