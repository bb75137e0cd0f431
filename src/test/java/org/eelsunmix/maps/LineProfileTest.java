package org.eelsunmix.maps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.maps.LineProfile.Axis;
import org.eelsunmix.maps.LineProfile.Line;
import org.eelsunmix.maps.LineProfile.Region;
import org.junit.jupiter.api.Test;

/** Line profiles of planar and step maps against closed forms; region and width validation. */
class LineProfileTest {
  static final int W = 20;
  static final int H = 12;
  static final double A = 1.5;
  static final double B = 2;
  static final double C = -0.25;

  /** m(x, y) = A + B·x + C·y, row-major W × H. */
  static double[] plane() {
    double[] m = new double[W * H];
    for (int y = 0; y < H; y++) {
      for (int x = 0; x < W; x++) {
        m[y * W + x] = A + B * x + C * y;
      }
    }
    return m;
  }

  /**
   * Sum of the plane over columns first..last and rows r0..r1 (inclusive): n·A + B·ny·Σx + C·nx·Σy with the
   * arithmetic series Σx = nx·(first + last)/2, Σy = ny·(r0 + r1)/2.
   */
  static double planeSum(int first, int last, int r0, int r1) {
    int nx = last - first + 1;
    int ny = r1 - r0 + 1;
    return nx * ny * A + B * ny * nx * (first + last) / 2.0 + C * nx * ny * (r0 + r1) / 2.0;
  }

  @Test
  void profileAlongXOfAPlaneIsTheClosedForm() {
    Region region = Region.parse("2:19,1:11");
    List<Line> lines = LineProfile.of(plane(), W, H, Axis.X, region, 3);
    assertEquals(6, lines.size()); // 17 columns in lines of 3: five full lines and one of 2 columns
    for (Line l : lines) {
      int first = 2 + 3 * l.index();
      int last = Math.min(18, first + 2);
      assertEquals(first, l.first());
      assertEquals(last, l.last());
      assertEquals((first + last) / 2.0, l.position(), 0.0);
      assertEquals((long) (last - first + 1) * 10, l.pixels());
      assertEquals(0, l.skipped());
      assertEquals(planeSum(first, last, 1, 10), l.sum(), 1e-12);
      assertEquals(A + B * (first + last) / 2.0 + C * (1 + 10) / 2.0, l.mean(), 1e-12);
    }
    assertEquals(2, lines.get(5).last() - lines.get(5).first() + 1);
  }

  @Test
  void profileAlongYOfAPlaneIsTheClosedForm() {
    List<Line> lines = LineProfile.of(plane(), W, H, Axis.Y, Region.whole(W, H), 4);
    assertEquals(3, lines.size());
    for (Line l : lines) {
      int first = 4 * l.index();
      assertEquals(first + 3, l.last());
      assertEquals(planeSum(0, W - 1, first, first + 3), l.sum(), 1e-12);
      assertEquals(A + B * (W - 1) / 2.0 + C * (first + 1.5), l.mean(), 1e-12);
      assertEquals(4L * W, l.pixels());
    }
  }

  @Test
  void aStepInterfaceShowsAsAStepAndNanPixelsAreSkipped() {
    double[] m = new double[W * H];
    for (int y = 0; y < H; y++) {
      for (int x = 0; x < W; x++) {
        m[y * W + x] = x < 10 ? 7 : 1;
      }
    }
    m[3 * W + 4] = Double.NaN; // a pixel whose background fit failed
    List<Line> lines = LineProfile.of(m, W, H, Axis.X, Region.whole(W, H), 1);
    assertEquals(W, lines.size());
    for (Line l : lines) {
      assertEquals(l.first() < 10 ? 7 : 1, l.mean(), 0.0);
      long expectedPixels = l.first() == 4 ? H - 1 : H;
      assertEquals(expectedPixels, l.pixels());
      assertEquals(expectedPixels * l.mean(), l.sum(), 0.0);
      assertEquals(l.first() == 4 ? 1 : 0, l.skipped());
    }
  }

  @Test
  void mergedPartialSumsEqualTheInMemoryProfile() {
    double[] m = plane();
    Region region = new Region(3, 17, 2, 9);
    LineProfile profile = new LineProfile(Axis.Y, region, 2, W, H);
    LineProfile.Sums odd = profile.newSums();
    LineProfile.Sums even = profile.newSums();
    for (int i = W * H - 1; i >= 0; i--) { // every pixel, in reverse raster order, split in two states
      (i % 2 == 0 ? even : odd).add(i % W, i / W, m[i]);
    }
    assertEquals(LineProfile.of(m, W, H, Axis.Y, region, 2), even.merge(odd).lines());
  }

  static String refusal(Runnable r) {
    return assertThrows(BadInputException.class, r::run).getMessage();
  }

  @Test
  void badRegionsAndWidthsAreRefusedNamingTheOption() {
    double[] m = plane();
    String msg = refusal(() -> LineProfile.of(m, W, H, Axis.X, Region.parse("0:25,0:12"), 1));
    assertTrue(msg.startsWith("region: ") && msg.contains("outside") && msg.contains("20 × 12"), msg);
    msg = refusal(() -> LineProfile.of(m, W, H, Axis.X, Region.parse("-1:5,0:12"), 1));
    assertTrue(msg.startsWith("region: ") && msg.contains("outside"), msg);
    msg = refusal(() -> Region.parse("5:2,0:12"));
    assertTrue(msg.startsWith("region: ") && msg.contains("inverted"), msg);
    msg = refusal(() -> Region.parse("0:5"));
    assertTrue(msg.startsWith("region: ") && msg.contains("x0:x1,y0:y1"), msg);
    msg = refusal(() -> Region.parse("a:5,0:3"));
    assertTrue(msg.startsWith("region: "), msg);
    msg = refusal(() -> LineProfile.of(m, W, H, Axis.X, Region.whole(W, H), 0));
    assertTrue(msg.startsWith("lineWidth: ") && msg.contains("got 0"), msg);
    msg = refusal(() -> LineProfile.of(m, W, H, Axis.Y, Region.parse("0:20,2:6"), 5));
    assertTrue(msg.startsWith("lineWidth: ") && msg.contains("4 rows along y"), msg);
    msg = refusal(() -> Axis.parse("z", "--along"));
    assertTrue(msg.startsWith("--along: "), msg);
  }
}
