package org.eelsunmix.spark.ml;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamPair;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.SparkSession;
import org.eelsunmix.core.BadInputException;

/**
 * Saving and loading of stages in Spark ML's layout: {@code metadata/part-00000} holds one JSON line with
 * {@code class}, {@code timestamp}, {@code sparkVersion}, {@code uid}, {@code paramMap}, {@code defaultParamMap}
 * (the fields of MLlib's {@code DefaultParamsWriter}, so a {@code Pipeline} can load our stages), plus our own
 * {@code extra} object; a model's arrays go to {@code data/} as Parquet. Writing goes through
 * {@link org.eelsunmix.spark.AtomicOutput}, so a saved model is complete or absent.
 */
public final class MlPersistence {
  private MlPersistence() {}

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Writes the metadata file of {@code stage} under {@code dir}. */
  public static void writeMetadata(SparkSession spark, Params stage, String dir, ObjectNode extra)
      throws IOException {
    ObjectNode root = JSON.createObjectNode();
    root.put("class", stage.getClass().getName());
    root.put("timestamp", System.currentTimeMillis());
    root.put("sparkVersion", spark.version());
    root.put("uid", stage.uid());
    root.set("paramMap", params(stage.extractParamMap().toSeq(), stage, false));
    root.set("defaultParamMap", params(stage.extractParamMap().toSeq(), stage, true));
    if (extra != null) {
      root.set("extra", extra);
    }
    Path file = new Path(dir, "metadata/part-00000");
    FileSystem fs = file.getFileSystem(spark.sparkContext().hadoopConfiguration());
    try (OutputStream out = fs.create(file, false)) {
      out.write((JSON.writeValueAsString(root) + "\n").getBytes(StandardCharsets.UTF_8));
    }
    fs.create(new Path(dir, "metadata/_SUCCESS"), false).close();
  }

  private static ObjectNode params(scala.collection.Seq<ParamPair<?>> pairs, Params stage, boolean defaults)
      throws IOException {
    ObjectNode node = JSON.createObjectNode();
    scala.collection.Iterator<ParamPair<?>> it = pairs.iterator();
    while (it.hasNext()) {
      ParamPair<?> pair = it.next();
      @SuppressWarnings("unchecked")
      Param<Object> p = (Param<Object>) pair.param();
      boolean explicit = stage.isSet(p);
      if (defaults ? stage.hasDefault(p) : explicit) {
        Object value = defaults ? stage.getDefault(p).get() : pair.value();
        node.set(p.name(), JSON.readTree(p.jsonEncode(value)));
      }
    }
    return node;
  }

  /** {@code values} as a JSON array, for a model's metadata. */
  static ArrayNode jsonArray(double[] values) {
    ArrayNode a = JSON.createArrayNode();
    for (double v : values) {
      a.add(v);
    }
    return a;
  }

  /** {@code rows} as a JSON array of arrays. */
  static ArrayNode jsonRows(double[][] rows) {
    ArrayNode a = JSON.createArrayNode();
    for (double[] row : rows) {
      a.add(jsonArray(row));
    }
    return a;
  }

  /** The numbers of a JSON array written by {@link #jsonArray} (none when the node is missing). */
  static double[] doubles(JsonNode array) {
    double[] v = new double[array.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = array.get(i).asDouble();
    }
    return v;
  }

  /** Reads the metadata JSON of a saved stage, checking that it was saved by {@code expectedClass}. */
  public static JsonNode readMetadata(SparkSession spark, String dir, Class<?> expectedClass) {
    JsonNode root = readMetadata(spark, dir);
    String cls = root.path("class").asText("");
    if (!cls.equals(expectedClass.getName())) {
      throw new BadInputException(dir, "holds a " + (cls.isEmpty() ? "stage of unknown class" : cls)
          + ", not a " + expectedClass.getSimpleName());
    }
    return root;
  }

  /** Reads the metadata JSON of a saved stage, whatever its class (its {@code class} field says). */
  public static JsonNode readMetadata(SparkSession spark, String dir) {
    Path file = new Path(dir, "metadata/part-00000");
    try {
      FileSystem fs = file.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (!fs.exists(file)) {
        throw new BadInputException(dir, "is not a saved model or stage (no metadata/part-00000)");
      }
      JsonNode root;
      try (InputStream in = fs.open(file)) {
        root = JSON.readTree(in);
      }
      return root;
    } catch (IOException e) {
      throw new BadInputException(dir, "cannot read the model metadata: " + e.getMessage(), e);
    }
  }

  /**
   * The reader of a stage saved by {@link StageWriter} with params only (an estimator): a new {@code type} made by
   * its public {@code (String uid)} constructor from the saved uid, its params restored from the metadata.
   */
  static <T extends Params> MLReader<T> paramsOnlyReader(Class<T> type) {
    return new MLReader<>() {
      @Override
      public T load(String path) {
        JsonNode meta = readMetadata(sparkSession(), path, type);
        T stage;
        try {
          stage = type.getConstructor(String.class).newInstance(meta.path("uid").asText());
        } catch (ReflectiveOperationException e) {
          throw new IllegalStateException(type.getName() + " has no public (String uid) constructor", e);
        }
        restoreParams(stage, meta);
        return stage;
      }
    };
  }

  /**
   * Loads the stage saved at {@code dir} by the class its metadata names, through that class's static
   * {@code read()} (Spark's {@code DefaultParamsReader.loadParamsInstance}): no list of known classes. A class
   * that is missing or has no reader is refused naming the folder.
   */
  public static Object loadStage(SparkSession spark, String dir) {
    String cls = readMetadata(spark, dir).path("class").asText("");
    MLReader<?> reader;
    try {
      reader = (MLReader<?>) Class.forName(cls).getMethod("read").invoke(null);
    } catch (ClassNotFoundException | NoSuchMethodException e) {
      throw new BadInputException(dir, "holds a " + (cls.isEmpty() ? "stage of unknown class" : cls)
          + ", which this version cannot read");
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("reading " + dir + " with " + cls + ".read(): " + e.getMessage(), e);
    }
    return reader.session(spark).load(dir);
  }

  /** Sets on {@code stage} the explicit and default params recorded in {@code metadata}. */
  public static void restoreParams(Params stage, JsonNode metadata) {
    for (String section : new String[] {"defaultParamMap", "paramMap"}) {
      Iterator<Map.Entry<String, JsonNode>> fields = metadata.path(section).fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> e = fields.next();
        if (!stage.hasParam(e.getKey())) {
          continue; // a param of a newer version: ignore, as MLlib does for unknown defaults
        }
        @SuppressWarnings("unchecked")
        Param<Object> p = (Param<Object>) stage.getParam(e.getKey());
        Object value = p.jsonDecode(e.getValue().toString());
        if (section.equals("paramMap")) {
          stage.set(p, value);
        } else {
          stage.setDefault(p, value);
        }
      }
    }
  }
}
