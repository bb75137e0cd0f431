package org.eelsunmix.eval;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eelsunmix.core.BadInputException;

/**
 * Reads a study file: JSON (Jackson) of this shape.
 *
 * <pre>{@code
 * {"name": "paper", "seed": 1, "replicates": 20, "note": "free text",
 *  "grid": {"set": ["co-ru-pt", "k-edges"], "dose": [1e5], "filter": [9], "R": [3]},
 *  "methods": [{"method": "vca-fcls"},
 *              {"method": "nmf", "label": "nmf-mu", "options": {"nmf-solver": "mu", "max-iter": 400}}]}
 * }</pre>
 *
 * <ul>
 *   <li>{@code name} (text), {@code seed} (whole number, default 1), {@code replicates} (≥ 1, default 20),
 *       {@code note} (optional text);</li>
 *   <li>{@code grid}: each axis a list of values (a single value is a list of one); {@code set} is required: a
 *       built-in set name or a folder of EMSA/MSA spectra relative to the study file. {@code R} (endmembers to
 *       unmix, default the set's count) may be an axis; every other axis is a synthetic setting
 *       ({@code SyntheticGenerator.Options.with}: {@code size}, {@code block}, {@code filter}, {@code dose}, and the
 *       settings added there). Values are kept as written ({@code 1e5} stays {@code 1e5}). {@code seed} is not an
 *       axis (the master seed is);</li>
 *   <li>{@code methods}: a list of {@code {"method", "label", "options"}}; labels default to the method's name and
 *       must be unique; options are the method's command-line flags without dashes.</li>
 * </ul>
 *
 * Structural errors (unknown top-level key, empty axis, replicates &lt; 1, duplicate label) are
 * {@link BadInputException}s naming the file and the key. Settings and methods are checked by
 * {@link StudyGrid#checkSettings} and by the runner's method check, before any Spark job.
 */
public final class StudyFile {
  private StudyFile() {}

  private static final Set<String> KEYS = Set.of("name", "seed", "replicates", "note", "grid", "methods");
  private static final Set<String> METHOD_KEYS = Set.of("method", "label", "options");

  /** Reads and checks {@code file}. */
  public static StudyDefinition read(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new BadInputException("--study", "cannot read " + file + ": " + e.getMessage());
    }
    Path base = file.toAbsolutePath().getParent();
    return parse(text, file.toString(), base == null ? "." : base.toString());
  }

  /** Parses study JSON; {@code source} names it in errors, {@code baseDir} resolves set folders. */
  public static StudyDefinition parse(String json, String source, String baseDir) {
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(json);
    } catch (IOException e) {
      throw new BadInputException(source, "not valid JSON: " + e.getMessage().lines().findFirst().orElse(""));
    }
    if (!(root instanceof ObjectNode)) {
      throw new BadInputException(source, "a study file is one JSON object");
    }
    for (Iterator<String> it = root.fieldNames(); it.hasNext();) {
      String k = it.next();
      if (!KEYS.contains(k)) {
        throw new BadInputException(source + ": " + k, "unknown key; a study has " + String.join(", ",
            List.of("name", "seed", "replicates", "note", "grid", "methods")));
      }
    }
    String name = root.path("name").asText("");
    if (name.isBlank()) {
      throw new BadInputException(source + ": name", "the study needs a name");
    }
    JsonNode seedNode = root.path("seed");
    if (!seedNode.isMissingNode() && !seedNode.canConvertToExactIntegral()) {
      throw new BadInputException(source + ": seed", "must be a whole number, got " + seedNode);
    }
    long seed = seedNode.isMissingNode() ? 1 : seedNode.asLong();
    JsonNode repNode = root.path("replicates");
    if (!repNode.isMissingNode() && !repNode.canConvertToExactIntegral()) {
      throw new BadInputException(source + ": replicates", "must be a whole number, got " + repNode);
    }
    int replicates = repNode.isMissingNode() ? 20 : repNode.asInt();
    if (replicates < 1) {
      throw new BadInputException(source + ": replicates", "must be at least 1, got " + replicates);
    }
    LinkedHashMap<String, List<String>> grid = grid(json, root.path("grid"), source);
    List<StudyDefinition.Method> methods = methods(root.path("methods"), source);
    return new StudyDefinition(name, seed, replicates, grid, methods, root.path("note").asText(""), baseDir);
  }

  private static LinkedHashMap<String, List<String>> grid(String json, JsonNode grid, String source) {
    if (!(grid instanceof ObjectNode)) {
      throw new BadInputException(source + ": grid", "the study needs a grid object with at least \"set\"");
    }
    LinkedHashMap<String, List<String>> axes = asWritten(json, source);
    for (Map.Entry<String, List<String>> e : axes.entrySet()) {
      if (e.getValue().isEmpty()) {
        throw new BadInputException(source + ": grid." + e.getKey(), "the axis has no values");
      }
      if (e.getKey().equals("seed")) {
        throw new BadInputException(source + ": grid.seed", "the seed is not a grid axis: give the master "
            + "\"seed\" of the study; each unit's seed is derived from it");
      }
    }
    if (!axes.containsKey(StudyDefinition.SET)) {
      throw new BadInputException(source + ": grid.set", "the grid needs the endmember set(s): built-in names or "
          + "folders of MSA spectra");
    }
    return axes;
  }

  /**
   * The grid's values as written in the file (Jackson's tree would print {@code 1e5} as {@code 100000.0}): a
   * streaming pass over the top-level {@code grid} object, each scalar's own text.
   */
  private static LinkedHashMap<String, List<String>> asWritten(String json, String source) {
    LinkedHashMap<String, List<String>> axes = new LinkedHashMap<>();
    try (JsonParser p = new JsonFactory().createParser(json)) {
      p.nextToken(); // the root object
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String key = p.getCurrentName();
        JsonToken t = p.nextToken();
        if (!key.equals("grid")) {
          p.skipChildren();
          continue;
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String axis = p.getCurrentName();
          List<String> values = new ArrayList<>();
          JsonToken v = p.nextToken();
          if (v == JsonToken.START_ARRAY) {
            while ((v = p.nextToken()) != JsonToken.END_ARRAY) {
              values.add(scalar(p, v, source, axis));
            }
          } else {
            values.add(scalar(p, v, source, axis));
          }
          if (axes.put(axis, values) != null) {
            throw new BadInputException(source + ": grid." + axis, "the axis is given twice");
          }
        }
      }
    } catch (IOException e) {
      throw new BadInputException(source, "not valid JSON: " + e.getMessage());
    }
    return axes;
  }

  private static String scalar(JsonParser p, JsonToken v, String source, String axis) throws IOException {
    if (!v.isScalarValue() || v == JsonToken.VALUE_NULL) {
      throw new BadInputException(source + ": grid." + axis, "values must be numbers or texts");
    }
    return p.getText();
  }

  private static List<StudyDefinition.Method> methods(JsonNode node, String source) {
    if (!(node instanceof ArrayNode) || node.isEmpty()) {
      throw new BadInputException(source + ": methods", "the study needs a list of methods, e.g. "
          + "[{\"method\": \"vca-fcls\"}]");
    }
    List<StudyDefinition.Method> out = new ArrayList<>();
    Set<String> labels = new HashSet<>();
    for (int i = 0; i < node.size(); i++) {
      String where = source + ": methods[" + i + "]";
      JsonNode m = node.get(i);
      if (!(m instanceof ObjectNode)) {
        throw new BadInputException(where, "each method is an object {\"method\": ..., \"options\": {...}}");
      }
      for (Iterator<String> it = m.fieldNames(); it.hasNext();) {
        String k = it.next();
        if (!METHOD_KEYS.contains(k)) {
          throw new BadInputException(where + "." + k, "unknown key; a method has method, label, options");
        }
      }
      String method = m.path("method").asText("");
      if (method.isBlank()) {
        throw new BadInputException(where + ".method", "missing method name");
      }
      String label = m.path("label").asText(method);
      if (!labels.add(label)) {
        throw new BadInputException(where + ".label", "label '" + label + "' is used twice; give each a label");
      }
      Map<String, Object> options = new LinkedHashMap<>();
      JsonNode o = m.path("options");
      if (!o.isMissingNode()) {
        if (!(o instanceof ObjectNode)) {
          throw new BadInputException(where + ".options", "must be an object of option: value");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext();) {
          Map.Entry<String, JsonNode> e = it.next();
          JsonNode v = e.getValue();
          Object value = v.isBoolean() ? (Object) v.asBoolean() : v.isIntegralNumber() ? (Object) v.asLong()
              : v.isNumber() ? (Object) v.asDouble() : v.isTextual() ? v.asText() : null;
          if (value == null) {
            throw new BadInputException(where + ".options." + e.getKey(), "must be a number, boolean or text");
          }
          options.put(e.getKey(), value);
        }
      }
      out.add(new StudyDefinition.Method(label, method, options));
    }
    return out;
  }

  /** The study as resolved, as JSON ({@code study.json} of the output): axes and options as given. */
  public static String resolvedJson(StudyDefinition d) {
    ObjectMapper mapper = new ObjectMapper();
    ObjectNode root = mapper.createObjectNode();
    root.put("name", d.name());
    root.put("seed", d.seed());
    root.put("replicates", d.replicates());
    if (!d.note().isEmpty()) {
      root.put("note", d.note());
    }
    ObjectNode grid = root.putObject("grid");
    d.grid().forEach((axis, values) -> {
      ArrayNode a = grid.putArray(axis);
      values.forEach(a::add);
    });
    ArrayNode methods = root.putArray("methods");
    for (StudyDefinition.Method m : d.methods()) {
      ObjectNode n = methods.addObject();
      n.put("label", m.label());
      n.put("method", m.method());
      n.set("options", mapper.valueToTree(m.options()));
    }
    try {
      return mapper.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
