package org.eelsunmix.spark.source;

import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.connector.read.Batch;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.connector.read.PartitionReaderFactory;
import org.apache.spark.sql.connector.read.Scan;
import org.apache.spark.sql.connector.read.ScanBuilder;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.SerializableConfiguration;

/** The batch scan of a {@code format("eels")} load: its tiles as input partitions, read on the executors. */
final class EelsScan implements ScanBuilder, Scan, Batch {
  private final LoadPlan plan;
  private final SourceOptions options;
  private final StructType schema;

  EelsScan(LoadPlan plan, SourceOptions options, StructType schema) {
    this.plan = plan;
    this.options = options;
    this.schema = schema;
  }

  @Override
  public Scan build() {
    return this;
  }

  @Override
  public StructType readSchema() {
    return schema;
  }

  @Override
  public String description() {
    return "eels: " + plan.accepted().size() + " file(s), " + plan.axis();
  }

  @Override
  public Batch toBatch() {
    return this;
  }

  @Override
  public InputPartition[] planInputPartitions() {
    List<FileTile> tiles = plan.tiles(options);
    return tiles.toArray(new InputPartition[0]);
  }

  @Override
  public PartitionReaderFactory createReaderFactory() {
    SparkSession spark = SparkSession.active();
    return new PixelReaderFactory(new SerializableConfiguration(spark.sparkContext().hadoopConfiguration()));
  }
}
