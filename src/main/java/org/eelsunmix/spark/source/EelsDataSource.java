package org.eelsunmix.spark.source;

import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.connector.catalog.Table;
import org.apache.spark.sql.connector.catalog.TableProvider;
import org.apache.spark.sql.connector.expressions.Transform;
import org.apache.spark.sql.sources.DataSourceRegister;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;
import org.eelsunmix.spark.PixelSchema;
import org.eelsunmix.spark.SpectrumColumn;

/**
 * {@code spark.read().format("eels").load(paths)}: DM3/DM4, HyperSpy, Ripple and NumPy spectrum images as pixel
 * rows of {@link PixelSchema#PIXELS}, the common energy axis attached to the {@code spectrum} column
 * ({@link SpectrumColumn}). A Spark DataSource V2 (the shape of Spark's {@code JavaSimpleDataSourceV2}): the files
 * are listed on the driver, surveyed on the executors ({@link FileSurvey}: headers and sizes only), and read there
 * in tiles ({@link LoadPlan}, {@link PixelPartitionReader}). Options: {@link SourceOptions}. The short name is
 * registered in {@code META-INF/services/org.apache.spark.sql.sources.DataSourceRegister}.
 */
public final class EelsDataSource implements TableProvider, DataSourceRegister {
  public static final String NAME = "eels";

  /** Spark asks for the schema, then for the table, on the same instance: survey once. */
  private LoadPlan plan;
  private SourceOptions options;

  @Override
  public String shortName() {
    return NAME;
  }

  @Override
  public StructType inferSchema(CaseInsensitiveStringMap map) {
    return schema(plan(map).axis());
  }

  @Override
  public Table getTable(StructType schema, Transform[] partitioning, Map<String, String> properties) {
    LoadPlan p = plan(new CaseInsensitiveStringMap(properties));
    return new EelsTable(p, options, schema(p.axis()));
  }

  private LoadPlan plan(CaseInsensitiveStringMap map) {
    if (plan == null) {
      options = SourceOptions.parse(map.asCaseSensitiveMap());
      SparkSession spark = SparkSession.active();
      List<String> files = FileSurvey.expand(options.paths(), spark.sparkContext().hadoopConfiguration());
      plan = LoadPlan.of(FileSurvey.survey(spark, files, options, false, FileSurvey.Values.NOT_READ), options);
    }
    return plan;
  }

  private static StructType schema(org.eelsunmix.core.EnergyAxis axis) {
    StructField[] fields = PixelSchema.PIXELS.fields().clone();
    int s = PixelSchema.PIXELS.fieldIndex(PixelSchema.SPECTRUM);
    StructField f = fields[s];
    fields[s] = new StructField(f.name(), f.dataType(), f.nullable(), SpectrumColumn.metadata(axis));
    return new StructType(fields);
  }
}
