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

  /**
   * A {@code side × side} {@code co-ru-pt} cube (B = 200; blocks of 8 when 8 divides the side, mixing filter up to
   * 9) as pixel rows with the energy axis, in 2 × cores partitions, persisted in memory (not yet materialised; the
   * caller unpersists it). The cube is generated in a task, as {@code generate} does, so the query plan does not
   * carry the pixels.
   */
  public static Dataset<Row> coRuPt(SparkSession spark, int side) {
    SyntheticGenerator.Options o = SyntheticGenerator.Options.builtin("co-ru-pt").withSize(side)
        .withBlock(side % 8 == 0 ? 8 : 1).withFilter(Math.min(9, side | 1));
    int cores = spark.sparkContext().defaultParallelism();
    Dataset<Row> raw = spark.createDataFrame(JavaSparkContext.fromSparkContext(spark.sparkContext())
        .parallelize(List.of(0), 1).flatMap(r -> ImageRows.pixels(SyntheticGenerator.generate(o, r).image())),
        PixelSchema.PIXELS).repartition(cores * 2);
    return raw.select(raw.col("acquisition_id"), raw.col("x"), raw.col("y"),
        SpectrumColumn.withAxis(raw, "spectrum", o.endmembers().axis())).persist(StorageLevel.MEMORY_ONLY());
  }
}
