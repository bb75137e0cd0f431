package org.eelsunmix.spark.ml;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.schema.MessageType;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.execution.datasources.parquet.SparkToParquetSchemaConverter;
import org.apache.spark.sql.internal.SQLConf;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * A handful of rows (a model's endmembers: R rows of B values) written as one Parquet table folder on the driver,
 * without a Spark job: {@code dir/part-00000.parquet} and {@code dir/_SUCCESS}, the layout Spark's writer leaves.
 * The file's Parquet schema is the one Spark's own writer derives from the {@link StructType}
 * ({@link SparkToParquetSchemaConverter}, standard three-level lists), and its footer carries the Spark schema
 * under Spark's key, so {@code spark.read().parquet(dir)}, pandas and pyarrow read it as they read a table Spark
 * wrote. A Spark job costs a small command its planning, a task and a commit protocol (a few tenths of a second on
 * the driver, {@code --timings}); these rows are already on the driver.
 *
 * <p>Types: int, long, double, float, boolean, string, and arrays of the numeric types; a null value leaves an
 * optional field empty.
 */
final class SmallParquet {
  private SmallParquet() {}

  /** Writes {@code rows} of {@code schema} as the Parquet table folder {@code dir} (which must not exist). */
  static void write(Configuration conf, String dir, StructType schema, List<Row> rows) throws IOException {
    MessageType parquet = new SparkToParquetSchemaConverter(SQLConf.get()).convert(schema);
    Path folder = new Path(dir);
    FileSystem fs = folder.getFileSystem(conf);
    fs.mkdirs(folder);
    SimpleGroupFactory groups = new SimpleGroupFactory(parquet);
    try (ParquetWriter<Group> w = ExampleParquetWriter.builder(new Path(folder, "part-00000.parquet"))
        .withConf(conf).withType(parquet).withWriteMode(ParquetFileWriter.Mode.CREATE)
        .withCompressionCodec(CompressionCodecName.UNCOMPRESSED) // a few kB; no codec to load
        .withExtraMetaData(Map.of(org.eelsunmix.spark.SeriesStore.SPARK_ROW_METADATA, schema.json())).build()) {
      for (Row r : rows) {
        Group g = groups.newGroup();
        for (int i = 0; i < schema.fields().length; i++) {
          if (!r.isNullAt(i)) {
            add(g, schema.fields()[i], r.get(i));
          }
        }
        w.write(g);
      }
    }
    fs.create(new Path(folder, "_SUCCESS"), false).close();
  }

  private static void add(Group g, StructField f, Object v) {
    DataType t = f.dataType();
    if (t instanceof ArrayType a) {
      // Spark's standard list: <name> (LIST) { repeated group list { element } }
      Group list = g.addGroup(f.name());
      Iterable<?> values = v instanceof double[] d ? java.util.Arrays.stream(d).boxed().toList()
          : v instanceof float[] fl ? floats(fl) : v instanceof scala.collection.Seq<?> s
          ? scala.collection.JavaConverters.seqAsJavaList(s) : (List<?>) v;
      for (Object e : values) {
        Group item = list.addGroup(0);
        if (e != null) {
          addValue(item, "element", a.elementType(), e);
        }
      }
    } else {
      addValue(g, f.name(), t, v);
    }
  }

  private static List<Float> floats(float[] v) {
    Float[] boxed = new Float[v.length];
    for (int i = 0; i < v.length; i++) {
      boxed[i] = v[i];
    }
    return List.of(boxed);
  }

  private static void addValue(Group g, String name, DataType t, Object v) {
    if (t.equals(DataTypes.IntegerType)) {
      g.add(name, ((Number) v).intValue());
    } else if (t.equals(DataTypes.LongType)) {
      g.add(name, ((Number) v).longValue());
    } else if (t.equals(DataTypes.DoubleType)) {
      g.add(name, ((Number) v).doubleValue());
    } else if (t.equals(DataTypes.FloatType)) {
      g.add(name, ((Number) v).floatValue());
    } else if (t.equals(DataTypes.BooleanType)) {
      g.add(name, (Boolean) v);
    } else if (t.equals(DataTypes.StringType)) {
      g.add(name, v.toString());
    } else {
      throw new IllegalArgumentException("SmallParquet cannot write " + t.simpleString() + " (column " + name + ")");
    }
  }
}
