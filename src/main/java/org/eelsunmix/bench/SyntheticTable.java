package org.eelsunmix.bench;

import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.eelsunmix.spark.ImageRows;
import org.eelsunmix.spark.PixelSchema;
import org.eelsunmix.spark.SpectrumColumn;
import org.eelsunmix.synth.SyntheticGenerator;

/** The synthetic pixel table the Spark benchmarks time their passes on. */
public final class SyntheticTable {
  private SyntheticTable() {}

  /** The built-in {@code co-ru-pt} set (B = 200) on a {@code side × side} grid, blocks of 8 where they fit. */
  public static SyntheticGenerator.Options coRuPt(int side) {
    return SyntheticGenerator.Options.builtin("co-ru-pt").withBlock(1).withFilter(1).withSize(side)
        .withBlock(side % 8 == 0 ? 8 : 1).withFilter(Math.min(9, side % 2 == 1 ? side : side - 1));
  }

  /**
   * A {@code side × side} {@code co-ru-pt} cube as pixel rows with the energy axis, generated inside a task (so the
   * query plan does not carry the pixels), spread over {@code partitions} and cached (counted once).
   */
  public static Dataset<Row> cached(SparkSession spark, SyntheticGenerator.Options o, int partitions) {
    Dataset<Row> raw = spark.createDataFrame(JavaSparkContext.fromSparkContext(spark.sparkContext())
        .parallelize(List.of(0), 1).flatMap(r -> ImageRows.pixels(SyntheticGenerator.generate(o, r).image())),
        PixelSchema.PIXELS).repartition(partitions);
    Dataset<Row> df = raw.select(raw.col("acquisition_id"), raw.col("x"), raw.col("y"),
        SpectrumColumn.withAxis(raw, "spectrum", o.endmembers().axis())).persist(StorageLevel.MEMORY_ONLY());
    df.count();
    return df;
  }
}
