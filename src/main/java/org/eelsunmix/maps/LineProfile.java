package org.eelsunmix.maps;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.eelsunmix.core.BadInputException;

/**
 * A line profile of a map: how an elemental or abundance map changes across an interface. The map is cut, inside a
 * rectangular {@link Region}, into lines of {@code lineWidth} adjacent columns (profile along x) or rows (along y);
 * each line gives one profile point: the sum and mean of the map over its pixels. Summing several columns and the
 * whole region across the profile trades resolution along it for counting noise, as a microscopist does when
 * integrating a profile box parallel to an interface.
 *
 * <p>Lines are numbered from the region's start: line k holds coordinates
 * {@code [start + k·lineWidth, start + (k+1)·lineWidth)} along the profile, cut short at the region's end (the last
 * line may be narrower; its pixel count says so). Its position is the centre of those coordinates, in pixels.
 * Non-finite map values (NaN of a failed background fit) are left out of the sum and mean and counted as skipped.
 *
 * <p>Use {@link #of} for a map held in memory; the distributed path adds pixels into {@link Sums} per partition and
 * merges them, so both give the same lines. Regions are half-open, as NumPy slices: {@code x0:x1} is
 * {@code x0 ≤ x < x1}. Instances are immutable and serialisable.
 */
public final class LineProfile implements java.io.Serializable {
  private static final long serialVersionUID = 1L;

  /** The map direction the profile runs along. */
  public enum Axis {
    X, Y;

    /** {@code x} or {@code y} (any case), given for {@code option}. */
    public static Axis parse(String text, String option) {
      if (text != null && (text.equalsIgnoreCase("x") || text.equalsIgnoreCase("y"))) {
        return valueOf(text.toUpperCase(Locale.ROOT));
      }
      throw new BadInputException(option, "expected x or y, got '" + text + "'");
    }
  }

  /**
   * A rectangle of map pixels, half-open: {@code x0 ≤ x < x1}, {@code y0 ≤ y < y1}.
   *
   * @param x0 first column
   * @param x1 one past the last column
   * @param y0 first row
   * @param y1 one past the last row
   */
  public record Region(int x0, int x1, int y0, int y1) implements java.io.Serializable {
    /** Refuses empty or inverted rectangles. */
    public Region {
      if (x1 <= x0 || y1 <= y0) {
        throw new BadInputException(REGION, "region " + format(x0, x1, y0, y1) + " is empty or inverted: "
            + "give x0:x1,y0:y1 with x0 < x1 and y0 < y1 (pixels, end excluded)");
      }
    }

    /** The whole of a {@code width} × {@code height} map. */
    public static Region whole(int width, int height) {
      return new Region(0, width, 0, height);
    }

    /** Parses {@code x0:x1,y0:y1} (pixels, ends excluded, e.g. {@code 10:50,0:64}). */
    public static Region parse(String text) {
      String[] xy = text == null ? new String[0] : text.trim().split(",", -1);
      if (xy.length == 2) {
        String[] x = xy[0].trim().split(":", -1);
        String[] y = xy[1].trim().split(":", -1);
        if (x.length == 2 && y.length == 2) {
          try {
            return new Region(Integer.parseInt(x[0].trim()), Integer.parseInt(x[1].trim()),
                Integer.parseInt(y[0].trim()), Integer.parseInt(y[1].trim()));
          } catch (NumberFormatException e) {
            // reported below
          }
        }
      }
      throw new BadInputException(REGION, "expected x0:x1,y0:y1 in pixels (e.g. 10:50,0:64), got '" + text
          + "'");
    }

    public int width() {
      return x1 - x0;
    }

    public int height() {
      return y1 - y0;
    }

    @Override
    public String toString() {
      return format(x0, x1, y0, y1);
    }

    private static String format(int x0, int x1, int y0, int y1) {
      return x0 + ":" + x1 + "," + y0 + ":" + y1;
    }
  }

  /**
   * One profile point.
   *
   * @param index line number from the region's start
   * @param first first pixel coordinate along the profile
   * @param last last pixel coordinate along the profile (inclusive)
   * @param position centre of the line, in pixels: {@code (first + last) / 2}
   * @param sum sum of the finite map values in the line
   * @param mean {@code sum / pixels}; NaN when no pixel had a finite value
   * @param pixels pixels with a finite value
   * @param skipped pixels with a non-finite value
   */
  public record Line(int index, int first, int last, double position, double sum, double mean, long pixels,
      long skipped) {}

  /** The parameter names that error messages cite (the command line maps them to its options). */
  static final String REGION = "region";
  static final String WIDTH = "lineWidth";

  private final Axis along;
  private final Region region;
  private final int lineWidth;
  private final int lines;

  /**
   * @param along direction of the profile
   * @param region pixels taken into account; must lie inside the map
   * @param lineWidth adjacent columns (along x) or rows (along y) summed into one line, at least 1 and at most the
   *     region's extent along the profile
   * @param mapWidth columns of the map
   * @param mapHeight rows of the map
   * @throws BadInputException naming {@code region} or {@code lineWidth}, with the map size
   */
  public LineProfile(Axis along, Region region, int lineWidth, int mapWidth, int mapHeight) {
    if (region.x0() < 0 || region.y0() < 0 || region.x1() > mapWidth || region.y1() > mapHeight) {
      throw new BadInputException(REGION, "region " + region + " reaches outside the map of " + mapWidth
          + " × " + mapHeight + " pixels (x 0:" + mapWidth + ", y 0:" + mapHeight + ")");
    }
    int extent = along == Axis.X ? region.width() : region.height();
    if (lineWidth < 1 || lineWidth > extent) {
      throw new BadInputException(WIDTH, "must be between 1 and the region's " + extent + " "
          + (along == Axis.X ? "columns" : "rows") + " along " + along.name().toLowerCase(Locale.ROOT) + " (region "
          + region + "), got " + lineWidth);
    }
    this.along = along;
    this.region = region;
    this.lineWidth = lineWidth;
    this.lines = (extent + lineWidth - 1) / lineWidth;
  }

  /**
   * The profile of a map held in memory, row-major ({@code map[y·width + x]}).
   *
   * @throws BadInputException for a region or line width that does not fit the map
   */
  public static List<Line> of(double[] map, int width, int height, Axis along, Region region, int lineWidth) {
    if (map.length != (long) width * height) {
      throw new IllegalArgumentException("map has " + map.length + " values, expected " + width + " × " + height);
    }
    LineProfile profile = new LineProfile(along, region, lineWidth, width, height);
    Sums sums = profile.newSums();
    for (int y = region.y0(); y < region.y1(); y++) {
      for (int x = region.x0(); x < region.x1(); x++) {
        sums.add(x, y, map[y * width + x]);
      }
    }
    return sums.lines();
  }

  public Axis along() {
    return along;
  }

  public Region region() {
    return region;
  }

  public int lineWidth() {
    return lineWidth;
  }

  /** Number of profile points. */
  public int lines() {
    return lines;
  }

  /** The line holding pixel (x, y), or -1 when the pixel lies outside the region. */
  public int lineOf(int x, int y) {
    if (x < region.x0() || x >= region.x1() || y < region.y0() || y >= region.y1()) {
      return -1;
    }
    return (along == Axis.X ? x - region.x0() : y - region.y0()) / lineWidth;
  }

  /** Empty per-line sums, to add pixels into. */
  public Sums newSums() {
    return new Sums(this);
  }

  /**
   * Per-line sums and pixel counts: a mergeable state (add pixels in any order, merge partial states), so a
   * distributed map gives the same lines as one in memory, up to the order of floating-point additions.
   */
  public static final class Sums implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    private final LineProfile profile;
    private final double[] sum;
    private final long[] pixels;
    private final long[] skipped;

    Sums(LineProfile profile) {
      this.profile = profile;
      this.sum = new double[profile.lines];
      this.pixels = new long[profile.lines];
      this.skipped = new long[profile.lines];
    }

    /** Adds one map pixel (ignored outside the region; non-finite values only counted). Returns this. */
    public Sums add(int x, int y, double value) {
      int line = profile.lineOf(x, y);
      if (line >= 0) {
        if (Double.isFinite(value)) {
          sum[line] += value;
          pixels[line]++;
        } else {
          skipped[line]++;
        }
      }
      return this;
    }

    /** Adds another state of the same profile into this one. Returns this. */
    public Sums merge(Sums other) {
      if (other.sum.length != sum.length) {
        throw new IllegalArgumentException("merging sums of different profiles");
      }
      for (int k = 0; k < sum.length; k++) {
        sum[k] += other.sum[k];
        pixels[k] += other.pixels[k];
        skipped[k] += other.skipped[k];
      }
      return this;
    }

    /** The profile points, in order along the profile. */
    public List<Line> lines() {
      int start = profile.along == Axis.X ? profile.region.x0() : profile.region.y0();
      int end = profile.along == Axis.X ? profile.region.x1() : profile.region.y1();
      List<Line> out = new ArrayList<>(sum.length);
      for (int k = 0; k < sum.length; k++) {
        int first = start + k * profile.lineWidth;
        int last = Math.min(end, first + profile.lineWidth) - 1;
        out.add(new Line(k, first, last, (first + last) / 2.0, sum[k], pixels[k] > 0 ? sum[k] / pixels[k]
            : Double.NaN, pixels[k], skipped[k]));
      }
      return out;
    }
  }
}
