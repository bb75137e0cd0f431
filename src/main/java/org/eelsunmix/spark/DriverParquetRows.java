package org.eelsunmix.spark;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.catalog.ExternalCatalogUtils;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.catalyst.util.DateTimeUtils;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The rows of a small table partitioned by one string column (a store's acquisitions: one short row per
 * acquisition), read on the driver with parquet-hadoop instead of a Spark job. A small command's first Spark job
 * costs it the job's planning, code generation and task launch (about a second of driver time, {@code --timings});
 * these rows are a few hundred bytes each. Values are decoded as Spark's reader decodes them (timestamps through
 * {@link DateTimeUtils}), so the rows equal {@code spark.read().schema(schema).parquet(dir).collectAsList()}.
 *
 * <p>Returns null, so that the caller falls back to Spark, for more than {@link #MAX_FILES} data files and for
 * anything outside the plain case: a column type other than string, int, long, double, boolean, timestamp (INT96
 * or INT64 micros/millis) and map&lt;string,string&gt;, a data file outside a {@code column=value} folder, a
 * Parquet column whose physical type does not match.
 */
final class DriverParquetRows {
  private DriverParquetRows() {}

  /**
   * More files than this are left to Spark: the driver opens them one after another (a few ms each locally, a
   * name-node round trip or more each on HDFS), while Spark reads an archive's thousands of acquisition files in
   * parallel tasks. Below it, one job's fixed cost is the larger.
   */
  static final int MAX_FILES = 64;

  /** A Parquet data file of a table Spark wrote, not a marker ({@code _SUCCESS}) or hidden (checksum) file. */
  static boolean isDataFile(String name) {
    return name.endsWith(".parquet") && !name.startsWith("_") && !name.startsWith(".");
  }

  /**
   * @param schema the rows' schema, the partition column included (its values come from the folder names)
   * @param partitionColumn the string column the table is partitioned by
   * @return the rows in no particular order, or null (read it with Spark)
   */
  static List<Row> read(Configuration conf, Path dir, StructType schema, String partitionColumn) {
    try {
      FileSystem fs = dir.getFileSystem(conf);
      List<Row> rows = new ArrayList<>();
      RemoteIterator<LocatedFileStatus> files = fs.listFiles(dir, true);
      int read = 0;
      while (files.hasNext()) {
        LocatedFileStatus f = files.next();
        String name = f.getPath().getName();
        if (!isDataFile(name)) {
          continue;
        }
        if (++read > MAX_FILES) {
          return null;
        }
        String folder = f.getPath().getParent().getName();
        if (!f.getPath().getParent().getParent().equals(fs.makeQualified(dir))
            || !folder.startsWith(partitionColumn + "=")) {
          return null;
        }
        String key = ExternalCatalogUtils.unescapePathName(folder.substring(partitionColumn.length() + 1));
        if (!readFile(conf, f.getPath(), schema, partitionColumn, key, rows)) {
          return null;
        }
      }
      return rows;
    } catch (IOException | RuntimeException e) {
      return null; // Spark's reader names the problem in its own words
    }
  }

  private static boolean readFile(Configuration conf, Path file, StructType schema, String partitionColumn,
      String key, List<Row> rows) throws IOException {
    try (ParquetReader<Group> reader = ParquetReader.builder(new GroupReadSupport(), file).withConf(conf).build()) {
      for (Group g = reader.read(); g != null; g = reader.read()) {
        Object[] values = new Object[schema.size()];
        for (int i = 0; i < values.length; i++) {
          StructField f = schema.fields()[i];
          if (f.name().equals(partitionColumn)) {
            values[i] = key;
          } else if (!g.getType().containsField(f.name())) {
            return false;
          } else if (g.getFieldRepetitionCount(f.name()) == 0) {
            values[i] = null;
          } else {
            Object v = value(g, f.name(), f.dataType());
            if (v == Unsupported.VALUE) {
              return false;
            }
            values[i] = v;
          }
        }
        rows.add(new GenericRowWithSchema(values, schema));
      }
    }
    return true;
  }

  private enum Unsupported { VALUE }

  /** 1900-01-01T00:00Z in microseconds: later instants read the same in Spark's every calendar rebase mode. */
  private static final long GREGORIAN_SAFE_MICROS = -2208988800L * 1_000_000L;

  private static Object value(Group g, String name, DataType t) {
    int index = g.getType().getFieldIndex(name);
    if (t instanceof MapType m) {
      if (!m.keyType().equals(DataTypes.StringType) || !m.valueType().equals(DataTypes.StringType)
          || g.getType().getType(index).isPrimitive()) {
        return Unsupported.VALUE;
      }
      Group map = g.getGroup(index, 0);
      Map<String, String> out = new LinkedHashMap<>();
      if (map.getType().getFieldCount() != 1) {
        return Unsupported.VALUE;
      }
      for (int k = 0; k < map.getFieldRepetitionCount(0); k++) {
        Group kv = map.getGroup(0, k);
        GroupType kvType = kv.getType();
        if (kvType.getFieldCount() != 2) {
          return Unsupported.VALUE;
        }
        out.put(kv.getString(0, 0), kv.getFieldRepetitionCount(1) == 0 ? null : kv.getString(1, 0));
      }
      return scala.collection.JavaConverters.mapAsScalaMap(out);
    }
    if (!g.getType().getType(index).isPrimitive()) {
      return Unsupported.VALUE;
    }
    PrimitiveType p = g.getType().getType(index).asPrimitiveType();
    PrimitiveType.PrimitiveTypeName physical = p.getPrimitiveTypeName();
    if (t.equals(DataTypes.StringType) && physical == PrimitiveType.PrimitiveTypeName.BINARY) {
      return g.getString(index, 0);
    } else if (t.equals(DataTypes.IntegerType) && physical == PrimitiveType.PrimitiveTypeName.INT32) {
      return g.getInteger(index, 0);
    } else if (t.equals(DataTypes.LongType) && physical == PrimitiveType.PrimitiveTypeName.INT64) {
      return g.getLong(index, 0);
    } else if (t.equals(DataTypes.DoubleType) && physical == PrimitiveType.PrimitiveTypeName.DOUBLE) {
      return g.getDouble(index, 0);
    } else if (t.equals(DataTypes.BooleanType) && physical == PrimitiveType.PrimitiveTypeName.BOOLEAN) {
      return g.getBoolean(index, 0);
    } else if (t.equals(DataTypes.TimestampType)) {
      return timestamp(g, index, p);
    }
    return Unsupported.VALUE;
  }

  /** As Spark's reader: INT96 (Julian day, nanoseconds of the day) or INT64 micro/milliseconds since the epoch. */
  private static Object timestamp(Group g, int index, PrimitiveType p) {
    long micros;
    if (p.getPrimitiveTypeName() == PrimitiveType.PrimitiveTypeName.INT96) {
      java.nio.ByteBuffer b = g.getInt96(index, 0).toByteBuffer().order(java.nio.ByteOrder.LITTLE_ENDIAN);
      long nanos = b.getLong();
      int day = b.getInt();
      micros = DateTimeUtils.fromJulianDay(day, nanos);
    } else if (p.getPrimitiveTypeName() == PrimitiveType.PrimitiveTypeName.INT64
        && p.getLogicalTypeAnnotation() instanceof LogicalTypeAnnotation.TimestampLogicalTypeAnnotation ts
        && ts.isAdjustedToUTC()) {
      long v = g.getLong(index, 0);
      switch (ts.getUnit()) {
        case MICROS -> micros = v;
        case MILLIS -> micros = Math.multiplyExact(v, 1000L);
        default -> {
          return Unsupported.VALUE;
        }
      }
    } else {
      return Unsupported.VALUE;
    }
    if (micros < GREGORIAN_SAFE_MICROS) {
      return Unsupported.VALUE; // before 1900: Spark may rebase between calendars; let it
    }
    return DateTimeUtils.toJavaTimestamp(micros);
  }
}
