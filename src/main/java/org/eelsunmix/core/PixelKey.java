package org.eelsunmix.core;

import java.io.Serializable;

/**
 * The address of one pixel in a series: acquisition, row {@code y}, column {@code x}. Ordered by acquisition,
 * then y, then x (raster order), which is how ties are broken wherever a method picks "the" pixel (VCA's extreme
 * pixels), so that an in-memory and a distributed run pick the same one.
 */
public record PixelKey(String acquisition, int y, int x) implements Comparable<PixelKey>, Serializable {

  public PixelKey {
    acquisition = acquisition == null ? "" : acquisition;
  }

  @Override
  public int compareTo(PixelKey o) {
    int c = acquisition.compareTo(o.acquisition);
    if (c != 0) {
      return c;
    }
    c = Integer.compare(y, o.y);
    return c != 0 ? c : Integer.compare(x, o.x);
  }
}
