package org.eelsunmix.autoencoder;

/**
 * Where CNNAEU's training patches lie relative to one another: one canvas (a rectangle of the image) holding every
 * patch of a sample, each at its offset, so that a batch's first convolution can run once over the canvas instead of
 * once per patch ({@link CanvasConvolution}). On a 64×64 image the 15 patches of 40×40 of a batch cover the image about
 * six times over: the canvas has about a sixth of the pixels the patches have.
 *
 * <p>The offsets come from the sample itself, not from the image: a pixel shared by two patches, at position
 * {@code (ya, xa)} in one and {@code (yb, xb)} in the other, fixes their relative offset (the patches are windows of
 * one raster), so the same canvas is found in memory and from a sample drawn on Spark. Pixels of the canvas that no
 * patch of a batch covers are left zero there; no patch of the batch reads them, so the result does not depend on
 * them. A sample whose patches do not all connect through shared pixels (sparse patches on a large image) has no
 * canvas ({@link #of} returns null) and trains patch by patch, as does a batch whose canvas would not be smaller than
 * its patches ({@link #pays}).
 */
final class PatchCanvas {
  /**
   * System property that turns canvases off ({@code false}): every batch patch by patch, the path before them
   * (measurements, and results trained before them to float rounding).
   */
  static final String PROPERTY = "eelsunmix.autoencoder.canvas";
  /** Whether trainings started from now on use canvases (tests and measurements compare with patch by patch). */
  private static volatile boolean allowed = configured();
  private final int side;
  private final int height;
  private final int width;
  private final int[] top;
  private final int[] left;

  private PatchCanvas(int side, int height, int width, int[] top, int[] left) {
    this.side = side;
    this.height = height;
    this.width = width;
    this.top = top;
    this.left = left;
  }

  private static boolean configured() {
    String v = System.getProperty(PROPERTY, "true").trim();
    if (!v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) {
      throw new IllegalArgumentException("system property " + PROPERTY + " must be true or false, got " + v);
    }
    return v.equalsIgnoreCase("true");
  }

  /** Lets trainings started from now on use canvases or not; returns the previous setting (tests, measurements). */
  static boolean allow(boolean on) {
    boolean previous = allowed;
    allowed = on;
    return previous;
  }

  static boolean allowed() {
    return allowed;
  }

  /** Side of a patch. */
  int side() {
    return side;
  }

  /** Rows of the canvas. */
  int height() {
    return height;
  }

  /** Columns of the canvas. */
  int width() {
    return width;
  }

  /** The canvas row of window {@code w}'s first row. */
  int top(int w) {
    return top[w];
  }

  /** The canvas column of window {@code w}'s first column. */
  int left(int w) {
    return left[w];
  }

  /**
   * The canvas of {@code sample}'s windows, square patches of {@code side × side} pixels in raster order, or null when
   * they do not all connect through shared pixels or their shared pixels disagree on an offset (not windows of one
   * raster).
   */
  static PatchCanvas of(WindowSample sample, int side) {
    int plane = side * side;
    if (sample.windowPixels() != plane || sample.count() == 0) {
      return null;
    }
    int n = sample.count();
    int[] windows = sample.windows();
    int[] pixelY = new int[sample.distinct()];
    int[] pixelX = new int[sample.distinct()];
    boolean[] placed = new boolean[sample.distinct()];
    int[] top = new int[n];
    int[] left = new int[n];
    boolean[] done = new boolean[n];
    place(windows, 0, side, 0, 0, pixelY, pixelX, placed);
    done[0] = true;
    int remaining = n - 1;
    boolean progress = true;
    while (remaining > 0 && progress) {
      progress = false;
      for (int w = 1; w < n; w++) {
        if (done[w]) {
          continue;
        }
        int anchor = -1;
        for (int p = 0; p < plane && anchor < 0; p++) {
          if (placed[windows[w * plane + p]]) {
            anchor = p;
          }
        }
        if (anchor < 0) {
          continue;
        }
        int d = windows[w * plane + anchor];
        top[w] = pixelY[d] - anchor / side;
        left[w] = pixelX[d] - anchor % side;
        if (!place(windows, w, side, top[w], left[w], pixelY, pixelX, placed)) {
          return null;
        }
        done[w] = true;
        remaining--;
        progress = true;
      }
    }
    if (remaining > 0) {
      return null;
    }
    int minTop = Integer.MAX_VALUE;
    int minLeft = Integer.MAX_VALUE;
    int maxTop = Integer.MIN_VALUE;
    int maxLeft = Integer.MIN_VALUE;
    for (int w = 0; w < n; w++) {
      minTop = Math.min(minTop, top[w]);
      minLeft = Math.min(minLeft, left[w]);
      maxTop = Math.max(maxTop, top[w]);
      maxLeft = Math.max(maxLeft, left[w]);
    }
    for (int w = 0; w < n; w++) {
      top[w] -= minTop;
      left[w] -= minLeft;
    }
    return new PatchCanvas(side, maxTop - minTop + side, maxLeft - minLeft + side, top, left);
  }

  /** Places window {@code w} at ({@code y0}, {@code x0}); false when a pixel already placed sits elsewhere. */
  private static boolean place(int[] windows, int w, int side, int y0, int x0, int[] pixelY, int[] pixelX,
      boolean[] placed) {
    int plane = side * side;
    for (int p = 0; p < plane; p++) {
      int d = windows[w * plane + p];
      int y = y0 + p / side;
      int x = x0 + p % side;
      if (placed[d]) {
        if (pixelY[d] != y || pixelX[d] != x) {
          return false;
        }
      } else {
        placed[d] = true;
        pixelY[d] = y;
        pixelX[d] = x;
      }
    }
    return true;
  }

  /**
   * Whether a batch of {@code count} patches is cheaper on the canvas: the canvas's two bands
   * ({@link CanvasConvolution}) have fewer pixels than the patches. Depends on the shapes alone, so the choice, and
   * the result, do not depend on the thread count.
   */
  boolean pays(int count, int kernel) {
    if (height < CanvasConvolution.BANDS * kernel || width < kernel) {
      return false;
    }
    long canvas = (long) CanvasConvolution.BANDS * CanvasConvolution.bandHeight(height, kernel) * width;
    return canvas < (long) count * side * side;
  }

  /** The placement of the windows {@code order[from .. from + count)}, the batch in that order. */
  Placement place(int[] order, int from, int count) {
    return place(order, from, count, null);
  }

  /**
   * As {@link #place(int[], int, int)}, with the batch's values as laid out for the network ({@code [n, C, side,
   * side]}, the array the network's input was written from): the canvas reads them there instead of from the input.
   */
  Placement place(int[] order, int from, int count, Object values) {
    int[] t = new int[count];
    int[] l = new int[count];
    for (int i = 0; i < count; i++) {
      t[i] = top[order[from + i]];
      l[i] = left[order[from + i]];
    }
    return new Placement(side, height, width, t, l, values);
  }

  /**
   * A batch's patches on the canvas: patch {@code i} covers rows {@code top[i] .. top[i] + side} and columns
   * {@code left[i] .. left[i] + side} of a {@code height × width} canvas; {@code values}, when not null, the batch's
   * values as written into the network's input ({@code float[]}, {@code [n, C, side, side]}).
   */
  record Placement(int side, int height, int width, int[] top, int[] left, Object values) {
    Placement(int side, int height, int width, int[] top, int[] left) {
      this(side, height, width, top, left, null);
    }

    Placement {
      if (top.length != left.length) {
        throw new IllegalArgumentException("need one top and one left per patch");
      }
      for (int i = 0; i < top.length; i++) {
        if (top[i] < 0 || left[i] < 0 || top[i] + side > height || left[i] + side > width) {
          throw new IllegalArgumentException("patch " + i + " at (" + top[i] + ", " + left[i] + ") is not inside the "
              + height + "×" + width + " canvas");
        }
      }
    }

    int count() {
      return top.length;
    }
  }
}
