package org.eelsunmix.spark;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.eelsunmix.core.Abundances;
import org.eelsunmix.core.Endmembers;
import org.eelsunmix.core.SpectrumImage;

/**
 * In-memory images to table rows, lazily (a task emits an image's pixel rows one at a time, so it never holds a
 * second copy of the image as rows).
 */
public final class ImageRows {
  private ImageRows() {}

  /** Pixel rows ({@link PixelSchema#PIXELS}) of an image, in raster order. */
  public static Iterator<Row> pixels(SpectrumImage image) {
    int b = image.channels();
    int w = image.width();
    float[] data = image.data();
    return new Iterator<>() {
      private int p;

      @Override
      public boolean hasNext() {
        return p < image.pixels();
      }

      @Override
      public Row next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        float[] s = Arrays.copyOfRange(data, p * b, p * b + b);
        Row r = RowFactory.create(image.id(), p % w, p / w, s);
        p++;
        return r;
      }
    };
  }

  /** Abundance rows ({@link PixelSchema#ABUNDANCES}, rmse null) of one acquisition's maps, in raster order. */
  public static Iterator<Row> abundances(String acquisitionId, Abundances a) {
    int r = a.count();
    int w = a.width();
    double[] v = a.values();
    return new Iterator<>() {
      private int p;

      @Override
      public boolean hasNext() {
        return p < a.pixels();
      }

      @Override
      public Row next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        Row row = RowFactory.create(acquisitionId, p % w, p / w, Arrays.copyOfRange(v, p * r, p * r + r), null);
        p++;
        return row;
      }
    };
  }

  /** Ground-truth endmember rows ({@link PixelSchema#TRUTH_ENDMEMBERS}) of one acquisition. */
  public static List<Row> truthEndmembers(String acquisitionId, Endmembers e) {
    List<Row> rows = new ArrayList<>();
    for (int r = 0; r < e.count(); r++) {
      rows.add(RowFactory.create(acquisitionId, r, e.names().get(r), e.spectrum(r)));
    }
    return rows;
  }
}
