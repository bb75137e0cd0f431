package org.eelsunmix.spark;

import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.eelsunmix.core.BadInputException;

/**
 * The one definition of every table this project writes (design §2). All tables are Parquet, partitioned by
 * {@code acquisition_id} where they hold per-acquisition data.
 *
 * <ul>
 *   <li>{@link #PIXELS}: one row per pixel: {@code acquisition_id}, {@code x}, {@code y}, {@code spectrum}
 *       array&lt;float&gt; (elements declared non-null, so MLlib's vector checks accept it).</li>
 *   <li>{@link #ACQUISITIONS}: one row per acquisition: source, checksum, geometry, energy calibration, format,
 *       stored data type and the metadata found in the file (map of text).</li>
 *   <li>{@link #ABUNDANCES}: one row per pixel: {@code abundances} array&lt;double&gt; (R values) and the pixel's
 *       reconstruction {@code rmse}; also used for ground-truth abundances (rmse null).</li>
 *   <li>{@link #ENDMEMBERS}: one row per endmember: index, name, spectrum array&lt;double&gt;, energy axis.</li>
 *   <li>{@link #EVALUATION}: evaluation results in long form, one row per (replicate, method, endmember, metric).</li>
 *   <li>{@link #ELEMENTAL_MAP}: one row per pixel: background-subtracted edge {@code signal} and its power-law fit.</li>
 * </ul>
 */
public final class PixelSchema {
  private PixelSchema() {}

  public static final String ACQUISITION_ID = "acquisition_id";
  public static final String X = "x";
  public static final String Y = "y";
  public static final String SPECTRUM = "spectrum";
  public static final String ABUNDANCES_COL = "abundances";
  public static final String RMSE = "rmse";
  /** Posterior standard deviations beside the abundances, written by models that have them (BLU). */
  public static final String ABUNDANCES_STD = "abundances_std";

  /** {@code array<float>} with non-null elements: the type of a stored spectrum. */
  public static final ArrayType SPECTRUM_TYPE = DataTypes.createArrayType(DataTypes.FloatType, false);
  /** {@code array<double>} with non-null elements: abundances and endmember spectra. */
  public static final ArrayType VALUES_TYPE = DataTypes.createArrayType(DataTypes.DoubleType, false);

  public static final StructType PIXELS = new StructType(new StructField[] {
      field(ACQUISITION_ID, DataTypes.StringType, false),
      field(X, DataTypes.IntegerType, false),
      field(Y, DataTypes.IntegerType, false),
      field(SPECTRUM, SPECTRUM_TYPE, false)});

  public static final StructType ACQUISITIONS = new StructType(new StructField[] {
      field(ACQUISITION_ID, DataTypes.StringType, false),
      field("source_path", DataTypes.StringType, true),
      field("checksum", DataTypes.StringType, true),
      field("width", DataTypes.IntegerType, false),
      field("height", DataTypes.IntegerType, false),
      field("channels", DataTypes.IntegerType, false),
      field("energy_offset", DataTypes.DoubleType, false),
      field("energy_scale", DataTypes.DoubleType, false),
      field("energy_units", DataTypes.StringType, false),
      field("acquisition_time", DataTypes.TimestampType, true),
      field("format", DataTypes.StringType, false),
      field("data_type", DataTypes.StringType, true),
      field("metadata", DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType, true), true)});

  public static final StructType ABUNDANCES = new StructType(new StructField[] {
      field(ACQUISITION_ID, DataTypes.StringType, false),
      field(X, DataTypes.IntegerType, false),
      field(Y, DataTypes.IntegerType, false),
      field(ABUNDANCES_COL, VALUES_TYPE, false),
      field(RMSE, DataTypes.DoubleType, true)});

  public static final StructType ENDMEMBERS = new StructType(new StructField[] {
      field("endmember", DataTypes.IntegerType, false),
      field("name", DataTypes.StringType, false),
      field(SPECTRUM, VALUES_TYPE, false),
      field("energy_offset", DataTypes.DoubleType, false),
      field("energy_scale", DataTypes.DoubleType, false),
      field("energy_units", DataTypes.StringType, false)});

  /** Ground-truth endmembers of a synthetic or imported acquisition: {@link #ENDMEMBERS} keyed by acquisition. */
  public static final StructType TRUTH_ENDMEMBERS = new StructType(new StructField[] {
      field(ACQUISITION_ID, DataTypes.StringType, false),
      field("endmember", DataTypes.IntegerType, false),
      field("name", DataTypes.StringType, false),
      field(SPECTRUM, VALUES_TYPE, false)});

  public static final StructType EVALUATION = new StructType(new StructField[] {
      field("study", DataTypes.StringType, false),
      field("endmember_set", DataTypes.StringType, false),
      field("dose", DataTypes.DoubleType, false),
      field("replicate", DataTypes.IntegerType, false),
      field("seed", DataTypes.LongType, false),
      field("method", DataTypes.StringType, false),
      field("endmember", DataTypes.StringType, true),
      field("metric", DataTypes.StringType, false),
      field("value", DataTypes.DoubleType, true),
      field("seconds", DataTypes.DoubleType, true),
      field("error", DataTypes.StringType, true)});

  /**
   * A background-subtracted elemental map ({@code bs}, {@link org.eelsunmix.unmix.PowerLawBackground}): per pixel the
   * edge {@code signal} and the extrapolated {@code background} under it (counts summed over the signal window),
   * the power law {@code background_a·E^−background_r} fitted over the pre-edge window, its log–log
   * {@code r_squared} and the number of positive pre-edge channels used ({@code fit_channels}); NaN when the fit
   * failed.
   */
  public static final StructType ELEMENTAL_MAP = new StructType(new StructField[] {
      field(ACQUISITION_ID, DataTypes.StringType, false),
      field(X, DataTypes.IntegerType, false),
      field(Y, DataTypes.IntegerType, false),
      field("signal", DataTypes.DoubleType, false),
      field("background", DataTypes.DoubleType, false),
      field("background_r", DataTypes.DoubleType, false),
      field("background_a", DataTypes.DoubleType, false),
      field("r_squared", DataTypes.DoubleType, false),
      field("fit_channels", DataTypes.IntegerType, false)});

  private static StructField field(String name, DataType type, boolean nullable) {
    return new StructField(name, type, nullable, Metadata.empty());
  }

  /**
   * Checks that {@code schema} has column {@code column} of the expected type (array types match on element
   * type); the error names the table and the column.
   */
  public static void requireColumn(StructType schema, String column, DataType expected, String table) {
    int i;
    try {
      i = schema.fieldIndex(column);
    } catch (IllegalArgumentException e) {
      throw new BadInputException(table, "has no column '" + column + "' (columns: "
          + String.join(", ", schema.fieldNames()) + ")");
    }
    DataType actual = schema.fields()[i].dataType();
    boolean ok = expected instanceof ArrayType ea
        ? actual instanceof ArrayType aa && aa.elementType().equals(ea.elementType())
        : actual.equals(expected);
    if (!ok) {
      throw new BadInputException(table, "column '" + column + "' has type " + actual.simpleString()
          + ", expected " + expected.simpleString());
    }
  }

  /** Hive's folder name for a null partition value; Spark reads such a partition back with a null id. */
  public static final String HIVE_DEFAULT_PARTITION = "__HIVE_DEFAULT_PARTITION__";

  /**
   * Longest acquisition id, in characters: {@code acquisition_id=ID} must stay a legal folder name (255 bytes) even
   * when every character takes 3 bytes (UTF-8, or Hive's {@code %XX} escapes).
   */
  public static final int MAX_ID_LENGTH = 80;

  /** Characters an id may not hold: path separators, Hive's key-value sign, and what Windows refuses in names. */
  private static final String ID_FORBIDDEN = "/\\=:*?\"<>|";

  /**
   * Why {@code id} cannot be an acquisition id, or null when it can. An id names a Hive partition folder
   * ({@code acquisition_id=ID}) in every table and, in {@code generate --format npy} and {@code reprocess}, a
   * folder of its own; so it must be non-empty (an empty value becomes
   * {@link #HIVE_DEFAULT_PARTITION}, read back as null), must not start with {@code .} or {@code _} (hidden to
   * Spark, Hadoop, pandas and pyarrow), must not start or end with white space (it could not be typed back for
   * {@code --acquisition}), and must hold no control character and none of {@code / \ = : * ? " < > |}.
   */
  public static String idProblem(String id) {
    if (id == null || id.isEmpty()) {
      return "is empty";
    }
    if (id.isBlank()) {
      return "is blank";
    }
    if (id.equalsIgnoreCase(HIVE_DEFAULT_PARTITION)) {
      return "is Hive's name for a missing value";
    }
    if (id.length() > MAX_ID_LENGTH) {
      return "is " + id.length() + " characters long (at most " + MAX_ID_LENGTH + ": it names a folder)";
    }
    if (id.startsWith(".") || id.startsWith("_")) {
      return "starts with '" + id.charAt(0) + "' (Spark, pandas and pyarrow skip such names as hidden)";
    }
    if (Character.isWhitespace(id.charAt(0)) || Character.isWhitespace(id.charAt(id.length() - 1))) {
      return "starts or ends with white space";
    }
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      if (isControl(c)) {
        return String.format("holds the control character U+%04X", (int) c);
      }
      if (ID_FORBIDDEN.indexOf(c) >= 0) {
        return "holds '" + c + "' (not allowed: / \\ = : * ? \" < > |)";
      }
    }
    return null;
  }

  /**
   * Returns {@code id} when it is a usable acquisition id ({@link #idProblem}), else refuses it naming
   * {@code source} (the option or file it came from).
   */
  public static String requireUsableId(String id, String source) {
    return requireUsableId(id, source, null);
  }

  /** As {@link #requireUsableId(String, String)}, the message ending with {@code remedy} (when not null). */
  public static String requireUsableId(String id, String source, String remedy) {
    String problem = unusableIdReason(id);
    if (problem != null) {
      throw new BadInputException(source, problem + (remedy == null ? "" : "; " + remedy));
    }
    return id;
  }

  /** Why {@code id} cannot be an acquisition id, as a phrase naming it, or null when it can. */
  public static String unusableIdReason(String id) {
    String problem = idProblem(id);
    return problem == null ? null : "acquisition id '" + printable(id) + "' " + problem;
  }

  /** {@code id} with control characters written as Java escapes, so a message stays on one line. */
  static String printable(String id) {
    StringBuilder sb = new StringBuilder();
    for (char c : (id == null ? "" : id).toCharArray()) {
      sb.append(isControl(c) ? String.format("\\u%04X", (int) c) : String.valueOf(c));
    }
    return sb.toString();
  }

  /** Control characters and line breaks: a name holding one cannot be printed on one line or typed back. */
  private static boolean isControl(char c) {
    int type = Character.getType(c);
    return Character.isISOControl(c) || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR;
  }

  /** Checks a spectrum column: {@code array<float>} or {@code array<double>}. */
  public static void requireSpectrumColumn(StructType schema, String column, String table) {
    int i;
    try {
      i = schema.fieldIndex(column);
    } catch (IllegalArgumentException e) {
      throw new BadInputException(table, "has no spectrum column '" + column + "' (columns: "
          + String.join(", ", schema.fieldNames()) + ")");
    }
    DataType t = schema.fields()[i].dataType();
    if (!(t instanceof ArrayType a)
        || !(a.elementType().equals(DataTypes.FloatType) || a.elementType().equals(DataTypes.DoubleType))) {
      throw new BadInputException(table, "column '" + column + "' has type " + t.simpleString()
          + ", expected array<float> or array<double> (one spectrum per row)");
    }
  }
}
