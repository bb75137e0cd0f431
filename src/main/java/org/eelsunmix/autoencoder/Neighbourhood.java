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

  private static int next(int i, int size) {
    return i + 1 < size ? i + 1 : Math.max(size - 2, 0);
  }
}
