package org.eelsunmix.spark.study;

import java.io.Serializable;
import java.util.Map;
import org.eelsunmix.core.InMemoryUnmixing;
import org.eelsunmix.core.SpectrumImage;
import org.eelsunmix.core.Unmixing;
import org.eelsunmix.eval.StudyDefinition;
import org.eelsunmix.spark.ml.MethodParams;

/**
 * A study method as an in-memory fit: the registry's estimator with the study's options
 * ({@link MethodParams#configure}) and the unit's R and seed, fitted by {@code fitInMemory}. Built inside the task
 * from names and values only, so it serialises as plain data.
 */
record ConfiguredMethod(String label, String method, Map<String, Object> options, String where)
    implements InMemoryUnmixing, Serializable {

  static ConfiguredMethod of(StudyDefinition.Method m, int index) {
    return new ConfiguredMethod(m.label(), m.method(), m.options(), "methods[" + index + "].options");
  }

  @Override
  public String name() {
    return label;
  }

  @Override
  public Unmixing unmix(SpectrumImage image, int endmembers, long seed) {
    return MethodParams.configure(method, endmembers, seed, options, where).fitInMemory(image);
  }
}
