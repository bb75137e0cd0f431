package org.eelsunmix.spark.source;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.io.AcquisitionFiles;

/**
 * The options of {@code spark.read().format("eels")}:
 *
 * <ul>
 *   <li>{@code path} / {@code paths}: files or folders (folders are searched recursively for .dm3, .dm4, .hspy,
 *       .hdf5 and .rpl files; a .npy cube must be named);</li>
 *   <li>{@code stringency}: {@code strict} (default: any bad file, or a file on another energy axis, fails the load
 *       naming it) or {@code lenient} (those files are skipped);</li>
 *   <li>{@code acquisitionId}: {@code name} (default: the file name without extension, as {@code ingest} names
 *       acquisitions) or {@code parent_name} ({@code <folder>_<name>}, for sessions that reuse file names);</li>
 *   <li>{@code acquisitionIds}: a JSON object naming the id of given files ({@code {"path": "id", ...}}, paths
 *       exactly as loaded); it wins over the rule for those files;</li>
 *   <li>{@code tilePixels}: pixels per input partition; else {@code maxPartitionBytes} (default 64 MiB of
 *       float32 spectra) decides. Tiles are whole rows when a row fits.</li>
 * </ul>
 *
 * @param paths the inputs as given
 * @param lenient lenient stringency
 * @param idRule {@code name} or {@code parent_name}
 * @param tilePixels pixels per partition, 0 when {@code maxPartitionBytes} decides
 * @param maxPartitionBytes float32 bytes per partition
 * @param ids acquisition ids given for some paths (as loaded), winning over {@code idRule}
 */
public record SourceOptions(List<String> paths, boolean lenient, String idRule, long tilePixels,
    long maxPartitionBytes, Map<String, String> ids) implements Serializable {

  public static final long DEFAULT_PARTITION_BYTES = 64L << 20;

  public SourceOptions {
    paths = List.copyOf(paths);
    ids = Map.copyOf(ids);
  }

  /** Options without ids given by path. */
  public SourceOptions(List<String> paths, boolean lenient, String idRule, long tilePixels, long maxPartitionBytes) {
    this(paths, lenient, idRule, tilePixels, maxPartitionBytes, Map.of());
  }

  /** Parses Spark's option map (keys are case-insensitive there; here they arrive as Spark passes them). */
  public static SourceOptions parse(Map<String, String> options) {
    Map<String, String> o = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    o.putAll(options);
    List<String> paths = new ArrayList<>();
    if (o.containsKey("path")) {
      paths.add(o.get("path"));
    }
    if (o.containsKey("paths")) {
      try {
        for (String p : new ObjectMapper().readValue(o.get("paths"), String[].class)) {
          paths.add(p);
        }
      } catch (java.io.IOException e) {
        throw new BadInputException("paths", "is not a JSON list of paths: " + o.get("paths"));
      }
    }
    if (paths.isEmpty()) {
      throw new BadInputException("format(\"eels\")", "no input: load(path) or option(\"path\", ...)");
    }
    String stringency = o.getOrDefault("stringency", "strict").toLowerCase(Locale.ROOT);
    if (!stringency.equals("strict") && !stringency.equals("lenient")) {
      throw new BadInputException("stringency", "must be strict or lenient, got '" + stringency + "'");
    }
    String idRule = o.getOrDefault("acquisitionId", "name").toLowerCase(Locale.ROOT);
    if (!idRule.equals("name") && !idRule.equals("parent_name")) {
      throw new BadInputException("acquisitionId", "must be name or parent_name, got '" + idRule + "'");
    }
    Map<String, String> ids = Map.of();
    if (o.containsKey("acquisitionIds")) {
      try {
        ids = new ObjectMapper().readValue(o.get("acquisitionIds"),
            new com.fasterxml.jackson.core.type.TypeReference<Map<String, String>>() {});
      } catch (java.io.IOException e) {
        throw new BadInputException("acquisitionIds", "is not a JSON object of paths and ids: "
            + o.get("acquisitionIds"));
      }
    }
    long tile = positive(o, "tilePixels", 0);
    long bytes = positive(o, "maxPartitionBytes", DEFAULT_PARTITION_BYTES);
    return new SourceOptions(paths, stringency.equals("lenient"), idRule, tile, bytes, ids);
  }

  private static long positive(Map<String, String> o, String key, long fallback) {
    String v = o.get(key);
    if (v == null) {
      return fallback;
    }
    try {
      long n = Long.parseLong(v.trim());
      if (n >= 1) {
        return n;
      }
    } catch (NumberFormatException ignored) {
      // reported below
    }
    throw new BadInputException(key, "must be a whole number of at least 1, got '" + v + "'");
  }

  /** The acquisition id of {@code path} under this load's rule. */
  public String idOf(String path) {
    if (ids.containsKey(path)) {
      return ids.get(path);
    }
    org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(path);
    String name = AcquisitionFiles.acquisitionId(java.nio.file.Path.of(p.getName()));
    if (idRule.equals("parent_name") && p.getParent() != null && !p.getParent().getName().isEmpty()) {
      return p.getParent().getName() + "_" + name;
    }
    return name;
  }

  /** Pixels per input partition for images of {@code width} pixels per row and {@code channels} channels. */
  public long tilePixels(int width, int channels) {
    long n = tilePixels > 0 ? tilePixels : Math.max(1, maxPartitionBytes / (4L * channels));
    return n >= width ? n / width * width : n;
  }
}
