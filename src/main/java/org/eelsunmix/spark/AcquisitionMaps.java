package org.eelsunmix.spark;

import java.util.Iterator;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.eelsunmix.core.Abundances;
import org.eelsunmix.core.BadInputException;

/**
 * One acquisition's maps brought to the driver in raster order: its abundance rows (R numbers per pixel, never
 * the spectra), for the pages, exports and comparisons that draw or write one acquisition. Every pixel of the
 * acquisition must appear exactly once with R values; anything else is an error naming the table.
 */
public final class AcquisitionMaps {
  private AcquisitionMaps() {}

  /**
   * The {@code column} (an array of R numbers per pixel, e.g. {@code abundances} or {@code abundances_std}) of
   * acquisition {@code acquisition} in {@code table}, as {@code height × width × R} maps.
   *
   * @param name how to name the table in error messages (its path)
   * @throws BadInputException when a pixel is missing, repeated, outside the grid or has another count of values
   */
  public static Abundances read(Dataset<Row> table, String name, Acquisition acquisition, String column, int r) {
    int h = acquisition.height();
    int w = acquisition.width();
    double[] values = new double[h * w * r];
    boolean[] seen = new boolean[h * w];
    Iterator<Row> rows = forAcquisition(table, acquisition.id()).select(PixelSchema.X, PixelSchema.Y, column)
        .toLocalIterator();
    long count = 0;
    while (rows.hasNext()) {
      Row row = rows.next();
      int x = row.getInt(0);
      int y = row.getInt(1);
      List<Object> a = row.getList(2);
      if (x < 0 || x >= w || y < 0 || y >= h || a.size() != r) {
        throw new BadInputException(name, column + " row (y=" + y + ", x=" + x + ") with " + a.size()
            + " values does not fit " + acquisition.id() + " (" + h + " x " + w + ", R = " + r + ")");
      }
      if (seen[y * w + x]) {
        throw new BadInputException(name, "pixel (y=" + y + ", x=" + x + ") of " + acquisition.id()
            + " appears twice");
      }
      seen[y * w + x] = true;
      for (int k = 0; k < r; k++) {
        values[(y * w + x) * r + k] = ((Number) a.get(k)).doubleValue();
      }
      count++;
    }
    if (count != (long) h * w) {
      throw new BadInputException(name, "has " + count + " " + column + " rows for " + acquisition.id()
          + ", expected " + h * w);
    }
    return new Abundances(h, w, r, values);
  }

  /**
   * One map per pixel from a numeric {@code column} (e.g. an elemental map's {@code signal}), row-major
   * {@code map[y·width + x]}; pixels without a row stay NaN.
   */
  public static double[] readScalar(Dataset<Row> table, Acquisition acquisition, String column) {
    int h = acquisition.height();
    int w = acquisition.width();
    double[] map = new double[h * w];
    java.util.Arrays.fill(map, Double.NaN);
    Iterator<Row> rows = forAcquisition(table, acquisition.id()).select(PixelSchema.X, PixelSchema.Y, column)
        .toLocalIterator();
    while (rows.hasNext()) {
      Row row = rows.next();
      int x = row.getInt(0);
      int y = row.getInt(1);
      if (x >= 0 && x < w && y >= 0 && y < h && !row.isNullAt(2)) {
        map[y * w + x] = ((Number) row.get(2)).doubleValue();
      }
    }
    return map;
  }

  private static Dataset<Row> forAcquisition(Dataset<Row> table, String id) {
    Column match = functions.col(PixelSchema.ACQUISITION_ID).equalTo(id);
    return table.where(match);
  }
}
