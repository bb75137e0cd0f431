package org.eelsunmix.cli;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.maps.LineProfile;
import org.eelsunmix.spark.AtomicOutput;
import org.eelsunmix.spark.PixelSchema;
import org.eelsunmix.spark.ResultFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import org.eelsunmix.spark.OrderedMerge;

/**
 * {@code profile}: a line profile ({@link LineProfile}) of one acquisition's map from any map table: the
 * {@code maps/} of {@code bs} (column {@code signal} by default), the {@code abundances/} of {@code unmix} (one
 * component of the {@code abundances} array) or any Parquet table with {@code x}, {@code y} and a numeric column.
 * The pixels are added into per-line sums inside the partitions and merged in partition order
 * ({@link OrderedMerge}); only the profile (one row per line) and the map's extent reach the driver. The map size is taken from the table (largest
 * x and y plus one), since map tables do not record it. Writes {@code profile.csv} (line, first, last,
 * position_px, position_UNITS with {@code --pixel-size}, sum, mean, pixels, skipped) and
 * {@code _config.properties} atomically into the output folder.
 */
@Command(name = "profile", mixinStandardHelpOptions = true,
    description = "Line profile (sum and mean per line) of one acquisition's map, e.g. across an interface.")
final class ProfileCommand extends SparkCommand {
  @Option(names = "--table", required = true, description = "map table: maps/ of bs, abundances/ of unmix, or any "
      + "Parquet table with x, y and a numeric column")
  String table;

  @Option(names = "--acquisition", paramLabel = "ID", description = "acquisition to profile (default: the only one "
      + "in the table)")
  String acquisition;

  @Option(names = "--column", description = "column holding the map (default: signal, else abundances)")
  String column;

  @Option(names = "--component", paramLabel = "K", description = "for an array column such as abundances: which "
      + "component, from 0")
  Integer component;

  @Option(names = "--along", defaultValue = "x", description = "direction of the profile: x (one point per column "
      + "group) or y (per row group); default x")
  String along;

  @Option(names = "--region", paramLabel = "x0:x1,y0:y1", description = "pixels taken into account, ends excluded "
      + "as in NumPy (default: the whole map)")
  String region;

  @Option(names = "--width", defaultValue = "1", paramLabel = "N", description = "adjacent columns (along x) or rows "
      + "(along y) summed into one profile point; default 1")
  int width;

  @Option(names = "--pixel-size", description = "size of a pixel, for a distance column (the store holds no "
      + "spatial calibration)")
  Double pixelSize;

  @Option(names = "--pixel-units", defaultValue = "nm", description = "units of --pixel-size; default nm")
  String pixelUnits;

  @Option(names = "--out", required = true, description = "output folder (profile.csv, _config.properties)")
  String out;

  @Option(names = "--overwrite", description = "replace an existing output folder")
  boolean overwrite;

  @Override
  public Integer call() throws Exception {
    LineProfile.Axis axis = LineProfile.Axis.parse(along, "--along");
    if (pixelSize != null && !(pixelSize > 0 && Double.isFinite(pixelSize))) {
      throw new BadInputException("--pixel-size", "must be a positive number, got " + pixelSize);
    }
    SparkSession spark = spark();
    Dataset<Row> maps = read(spark);
    List<String> columns = Arrays.asList(maps.schema().fieldNames());
    String id = acquisition;
    if (columns.contains(PixelSchema.ACQUISITION_ID)) {
      if (id == null) {
        List<Row> ids = maps.select(PixelSchema.ACQUISITION_ID).distinct().orderBy(PixelSchema.ACQUISITION_ID)
            .limit(3).collectAsList();
        if (ids.size() != 1) {
          throw new BadInputException("--acquisition", ids.isEmpty() ? table + " holds no pixels" : table
              + " holds several acquisitions (" + ids.stream().map(r -> r.getString(0)).toList()
              + (ids.size() > 2 ? ", ..." : "") + "): name one");
        }
        id = ids.get(0).getString(0);
      }
      maps = maps.where(functions.col(PixelSchema.ACQUISITION_ID).equalTo(id));
    } else if (id != null) {
      throw new BadInputException(table, "has no acquisition_id column, so --acquisition " + id + " cannot be chosen");
    }
    String valueColumn = column != null ? column : columns.contains("signal") ? "signal" : PixelSchema.ABUNDANCES_COL;
    Column value = value(maps, valueColumn);

    describe("profile: map extent");
    Row extent = maps.agg(functions.min(PixelSchema.X), functions.max(PixelSchema.X), functions.min(PixelSchema.Y),
        functions.max(PixelSchema.Y), functions.count(functions.lit(1)),
        functions.min(isArray(maps, valueColumn) ? functions.size(functions.col(valueColumn)) : functions.lit(-1)))
        .first();
    long rows = extent.getLong(4);
    if (rows == 0) {
      throw new BadInputException(table, "holds no pixels" + (id == null ? "" : " of acquisition '" + id + "'"));
    }
    if (extent.getInt(0) < 0 || extent.getInt(2) < 0) {
      throw new BadInputException(table, "has negative pixel coordinates (x from " + extent.getInt(0) + ", y from "
          + extent.getInt(2) + ")");
    }
    int mapWidth = extent.getInt(1) + 1;
    int mapHeight = extent.getInt(3) + 1;
    if (rows > (long) mapWidth * mapHeight) {
      throw new BadInputException(table, "has " + rows + " rows for a " + mapWidth + " × " + mapHeight + " map: "
          + "pixels appear more than once" + (id == null ? " (several acquisitions?)" : ""));
    }
    if (component != null && extent.getInt(5) <= component) {
      throw new BadInputException("--component", "asked for component " + component + " but column '" + valueColumn
          + "' holds " + extent.getInt(5) + " values per pixel (components 0 to " + (extent.getInt(5) - 1) + ")");
    }
    LineProfile profile = new LineProfile(axis, region == null ? LineProfile.Region.whole(mapWidth, mapHeight)
        : LineProfile.Region.parse(region), width, mapWidth, mapHeight);

    describe("profile: " + valueColumn + " along " + along);
    List<LineProfile.Line> lines = OrderedMerge.aggregate(maps.select(functions.col(PixelSchema.X),
        functions.col(PixelSchema.Y), value).toJavaRDD(), profile.newSums(),
        (s, r) -> s.add(r.getInt(0), r.getInt(1), r.isNullAt(2) ? Double.NaN : r.getDouble(2)),
        LineProfile.Sums::merge).lines();
    String label = valueColumn + (component == null ? "" : "[" + component + "]");
    AtomicOutput.commit(spark.sparkContext().hadoopConfiguration(), out, overwrite, tmp -> {
      writeProfile(spark, tmp + "/profile.csv", lines);
      writeConfig(tmp);
    });
    System.out.printf(Locale.ROOT, "profile of %s%s along %s, region %s, %d line(s) of %d %s: wrote %s%n", label,
        id == null ? "" : " of " + id, axis.name().toLowerCase(Locale.ROOT), profile.region(), lines.size(), width,
        axis == LineProfile.Axis.X ? "column(s)" : "row(s)", new Path(out, "profile.csv"));
    return 0;
  }

  private Dataset<Row> read(SparkSession spark) throws IOException {
    Path p = new Path(table);
    if (!p.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(p)) {
      throw new BadInputException(table, "no such table (give the maps/ folder of bs or the abundances/ folder of "
          + "unmix)");
    }
    StructType schema = spark.read().parquet(table).schema();
    PixelSchema.requireColumn(schema, PixelSchema.X, DataTypes.IntegerType, table);
    PixelSchema.requireColumn(schema, PixelSchema.Y, DataTypes.IntegerType, table);
    // Read again declaring acquisition_id a string: a partition value such as 0042 would otherwise become 42.
    StructType declared = new StructType();
    for (StructField f : schema.fields()) {
      declared = declared.add(f.name().equals(PixelSchema.ACQUISITION_ID) ? new StructField(f.name(),
          DataTypes.StringType, f.nullable(), f.metadata()) : f);
    }
    return spark.read().schema(declared).parquet(table);
  }

  private static boolean isArray(Dataset<Row> maps, String name) {
    return maps.schema().fields()[maps.schema().fieldIndex(name)].dataType() instanceof ArrayType;
  }

  /** The map value as a double column: a numeric column, or one component of a numeric array column. */
  private Column value(Dataset<Row> maps, String name) {
    if (!Arrays.asList(maps.schema().fieldNames()).contains(name)) {
      throw new BadInputException(column == null ? table : "--column", (column == null ? "has no signal or "
          + "abundances column; name the map column with --column" : "no column '" + name + "' in " + table)
          + " (columns: " + String.join(", ", maps.schema().fieldNames()) + ")");
    }
    DataType type = maps.schema().fields()[maps.schema().fieldIndex(name)].dataType();
    if (type instanceof ArrayType a && a.elementType() instanceof NumericType) {
      if (component == null) {
        throw new BadInputException("--component", "column '" + name + "' holds several values per pixel: choose "
            + "one with --component K (from 0)");
      }
      if (component < 0) {
        throw new BadInputException("--component", "must be 0 or more, got " + component);
      }
      return functions.col(name).getItem(component).cast(DataTypes.DoubleType);
    }
    if (type instanceof NumericType) {
      if (component != null) {
        throw new BadInputException("--component", "column '" + name + "' holds one value per pixel; drop "
            + "--component");
      }
      return functions.col(name).cast(DataTypes.DoubleType);
    }
    throw new BadInputException(column == null ? table : "--column", "column '" + name + "' has type "
        + type.simpleString() + ", expected a number or an array of numbers");
  }

  private void writeProfile(SparkSession spark, String file, List<LineProfile.Line> lines) throws IOException {
    List<String> header = new ArrayList<>(List.of("line", "first", "last", "position_px"));
    if (pixelSize != null) {
      header.add("position_" + pixelUnits.replaceAll("[^A-Za-z0-9µ]", "_"));
    }
    header.addAll(List.of("sum", "mean", "pixels", "skipped"));
    List<Row> rows = new ArrayList<>();
    for (LineProfile.Line l : lines) {
      List<Object> v = new ArrayList<>(List.of(l.index(), l.first(), l.last(), l.position()));
      if (pixelSize != null) {
        v.add(l.position() * pixelSize);
      }
      v.addAll(List.of(l.sum(), l.mean(), l.pixels(), l.skipped()));
      rows.add(RowFactory.create(v.toArray()));
    }
    ResultFiles.writeCsv(spark, file, header.toArray(String[]::new), rows.iterator());
  }
}
