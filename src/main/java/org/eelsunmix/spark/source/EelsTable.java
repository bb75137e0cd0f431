package org.eelsunmix.spark.source;

import java.util.Set;
import org.apache.spark.sql.connector.catalog.SupportsRead;
import org.apache.spark.sql.connector.catalog.TableCapability;
import org.apache.spark.sql.connector.read.ScanBuilder;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;

/** The pixels of the files of one load, as a readable table of the pixel schema. */
final class EelsTable implements SupportsRead {
  private final LoadPlan plan;
  private final SourceOptions options;
  private final StructType schema;

  EelsTable(LoadPlan plan, SourceOptions options, StructType schema) {
    this.plan = plan;
    this.options = options;
    this.schema = schema;
  }

  @Override
  public String name() {
    return "eels " + String.join(",", options.paths());
  }

  @Override
  public StructType schema() {
    return schema;
  }

  @Override
  public Set<TableCapability> capabilities() {
    return Set.of(TableCapability.BATCH_READ);
  }

  @Override
  public ScanBuilder newScanBuilder(CaseInsensitiveStringMap ignored) {
    return new EelsScan(plan, options, schema);
  }
}
