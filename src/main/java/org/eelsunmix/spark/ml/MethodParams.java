package org.eelsunmix.spark.ml;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.eelsunmix.core.BadInputException;

/**
 * The one mapping of method option names onto the estimators' Spark ML params, shared by the command line
 * ({@code --nmf-solver mu}) and the study files ({@code "nmf-solver": "mu"}): an option {@code foo-bar} sets the
 * param {@code fooBar}, except the renamed ones that say their method ({@code nmf-solver}, {@code nmf-init} →
 * NMF's {@code solver}, {@code init}; {@code ica-domain} → ICA's {@code domain}; {@code vca-restarts} → VCA-FCLS's
 * {@code restarts}). An option the method has no param for is refused naming the methods it applies to; a value the
 * param's validator refuses names the option. Options left out keep the estimator's defaults (the method's
 * reference settings), except {@code sum-to-one}, on by default so NMF's maps compare with the other methods'.
 */
public final class MethodParams {
  private MethodParams() {}

  /** An option that sets {@code param} of {@code methods} only, under a name that says which. */
  private record Renamed(Set<String> methods, String param) {}

  /**
   * Options (without dashes) whose param is not the option's name in camel case; each applies to the methods named
   * ({@code vca-restarts}: the VCA start of VCA-FCLS, BLU and uDAS).
   */
  private static final Map<String, Renamed> RENAMED = Map.of("nmf-solver", new Renamed(Set.of("nmf"), "solver"),
      "nmf-init", new Renamed(Set.of("nmf"), "init"), "ica-domain", new Renamed(Set.of("ica"), "domain"),
      "vca-restarts", new Renamed(Set.of("vca-fcls", "blu", "udas"), "restarts"));

  /** Defaults of the command line and of the studies that differ from the estimator's (by param name). */
  private static final Map<String, Object> DEFAULTS = Map.of("sumToOne", Boolean.TRUE);

  /** Shared params that the command or the study sets itself, never a method option. */
  private static final Set<String> SHARED = Set.of("numEndmembers", "seed", "inputCol", "outputCol", "rmseCol");

  /** The param an option (with or without leading dashes) sets. */
  public static String paramName(String option) {
    String name = option.replaceFirst("^-+", "");
    Renamed renamed = RENAMED.get(name);
    if (renamed != null) {
      return renamed.param();
    }
    StringBuilder sb = new StringBuilder();
    boolean upper = false;
    for (char c : name.toCharArray()) {
      if (c == '-') {
        upper = true;
      } else {
        sb.append(upper ? Character.toUpperCase(c) : c);
        upper = false;
      }
    }
    return sb.toString();
  }

  /**
   * Whether {@code option} sets a param of {@code method} (its estimator {@code e}). A renamed option applies to its
   * one method; a param that a renamed option sets for a method is set only through it, so VCA-FCLS's
   * {@code restarts} is {@code vca-restarts}, the autoencoders' is {@code restarts}, and neither silently changes the
   * other kind of method.
   */
  public static boolean appliesTo(String option, String method, UnmixingEstimator<?, ?> e) {
    String name = option.replaceFirst("^-+", "");
    Renamed renamed = RENAMED.get(name);
    if (renamed != null) {
      return renamed.methods().contains(method) && e.hasParam(renamed.param());
    }
    String param = paramName(name);
    boolean claimed = RENAMED.values().stream().anyMatch(r -> r.methods().contains(method) && r.param().equals(param));
    return !claimed && !SHARED.contains(param) && e.hasParam(param);
  }

  /** The registered methods {@code option} applies to. */
  public static List<String> methodsWith(String option) {
    return UnmixingMethods.all().stream().filter(m -> appliesTo(option, m.name(), m.newEstimator()))
        .map(UnmixingMethod::name).toList();
  }

  /** The default a command or study gives {@code param}: its own where it differs, else the estimator's. */
  public static Object defaultOf(UnmixingEstimator<?, ?> e, String param) {
    Param<?> p = e.getParam(param);
    return DEFAULTS.containsKey(param) ? DEFAULTS.get(param)
        : e.getDefault(p).isDefined() ? e.getDefault(p).get() : null;
  }

  /** Sets the defaults of {@link #defaultOf} that differ from the estimator's own, where the method has the param. */
  public static void setDefaults(UnmixingEstimator<?, ?> e) {
    DEFAULTS.forEach((param, value) -> {
      if (e.hasParam(param)) {
        set(e, param, e.getParam(param), value);
      }
    });
  }

  /**
   * Sets {@code option} of method {@code e} to {@code value}, converted to the param's type (a number, a boolean or
   * a text, e.g. from a JSON study file) and checked by its validator; {@code where} names the option in errors
   * (e.g. {@code --nmf-solver} or {@code methods[1].options.nmf-solver}).
   *
   * @throws BadInputException naming {@code where} when the option does not apply to the method or the value is bad
   */
  public static void setOption(UnmixingEstimator<?, ?> e, String option, Object value, String where) {
    if (!appliesTo(option, e.method(), e)) {
      List<String> with = methodsWith(option);
      throw new BadInputException(where, with.isEmpty() ? "unknown method option; options are the flags of "
          + "'eels-unmix methods' without dashes" : "applies to " + String.join(", ", with) + ", not " + e.method());
    }
    set(e, where, e.getParam(paramName(option)), value);
  }

  /** Sets a param through its validator, converting {@code value}; names such as {@code MU} are taken in lower case. */
  @SuppressWarnings("unchecked")
  public static void set(UnmixingEstimator<?, ?> e, String where, Param<?> param, Object value) {
    Param<Object> p = (Param<Object>) param;
    Object v;
    try {
      v = convert(param, value);
    } catch (NumberFormatException | ArithmeticException ex) {
      throw new BadInputException(where, "invalid value " + value + ": " + param.doc());
    }
    if (v instanceof String s && !((Boolean) p.isValid().apply(s))) {
      v = s.toLowerCase(Locale.ROOT);
    }
    try {
      e.set(p, v);
    } catch (IllegalArgumentException ex) {
      throw new BadInputException(where, "invalid value " + value + ": " + param.doc());
    }
  }

  /** {@code value} as the param's Java type: Integer, Long, Double, Boolean or String. */
  private static Object convert(Param<?> param, Object value) {
    if (param instanceof IntParam) {
      return value instanceof Number n ? Math.toIntExact(exactLong(n)) : Integer.valueOf(value.toString().strip());
    }
    if (param instanceof LongParam) {
      return value instanceof Number n ? exactLong(n) : Long.valueOf(value.toString().strip());
    }
    if (param instanceof DoubleParam) {
      return value instanceof Number n ? n.doubleValue() : Double.valueOf(value.toString().strip());
    }
    if (param instanceof BooleanParam) {
      if (value instanceof Boolean b) {
        return b;
      }
      String s = value.toString().strip().toLowerCase(Locale.ROOT);
      if (!s.equals("true") && !s.equals("false")) {
        throw new NumberFormatException(s);
      }
      return Boolean.valueOf(s);
    }
    return value.toString();
  }

  /** A whole number; 2.5 is refused. */
  private static long exactLong(Number n) {
    double d = n.doubleValue();
    if (n instanceof Double || n instanceof Float) {
      if (d != Math.rint(d) || Math.abs(d) > 9e15) {
        throw new ArithmeticException("not a whole number: " + n);
      }
      return (long) d;
    }
    return n.longValue();
  }

  /**
   * The estimator of registered method {@code method} with R, the seed, the defaults of {@link #defaultOf} and the
   * given options (names without dashes, as in study files) set, its params checked together.
   *
   * @param where the prefix naming these options in errors (e.g. {@code methods[1].options})
   */
  public static UnmixingEstimator<?, ?> configure(String method, int endmembers, long seed,
      Map<String, ?> options, String where) {
    UnmixingEstimator<?, ?> e = UnmixingMethods.byName(method).newEstimator();
    set(e, "numEndmembers", e.numEndmembers(), endmembers);
    set(e, "seed", e.seed(), seed);
    setDefaults(e);
    options.forEach((option, value) -> setOption(e, option, value, where + "." + option));
    e.validateParams();
    return e;
  }
}
