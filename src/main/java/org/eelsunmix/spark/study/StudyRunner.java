package org.eelsunmix.spark.study;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.eval.StudyCell;
import org.eelsunmix.eval.StudyDefinition;
import org.eelsunmix.eval.StudyExample;
import org.eelsunmix.eval.StudyGrid;
import org.eelsunmix.eval.StudyRecord;
import org.eelsunmix.eval.StudyUnit;
import org.eelsunmix.spark.ml.MethodParams;
import org.eelsunmix.spark.ml.UnmixingMethods;

/**
 * Runs a study on Spark: every (cell, replicate, method) unit is one task ({@link StudyUnit#run}, in memory), in
 * the order cell, replicate, method; the rows come back to the driver in that order whatever the partitioning.
 * {@link #plan} checks the whole study (settings of every cell, every method and option at every cell's R) before
 * any Spark job.
 */
public final class StudyRunner {
  private StudyRunner() {}

  /** A checked study: its definition and its cells in expansion order. */
  public record Plan(StudyDefinition definition, List<StudyCell> cells) implements Serializable {
    /** The method labels in study order. */
    public List<String> labels() {
      return definition.methods().stream().map(StudyDefinition.Method::label).toList();
    }

    /** Units in the study: cells × replicates × methods. */
    public long units() {
      return (long) cells.size() * definition.replicates() * definition.methods().size();
    }
  }

  /** What a study's units returned: rows in unit order, and the examples of replicate 0. */
  public record Results(List<StudyRecord> records, List<StudyExample> examples) {}

  private record Unit(int cell, int replicate, int method) implements Serializable {}

  /**
   * Expands and checks {@code d}: every cell's settings ({@link StudyGrid#cells}), every method name and option
   * (with each cell's R), as {@link BadInputException}s naming them.
   */
  public static Plan plan(StudyDefinition d) {
    List<StudyCell> cells = StudyGrid.cells(d);
    for (int i = 0; i < d.methods().size(); i++) {
      StudyDefinition.Method m = d.methods().get(i);
      try {
        UnmixingMethods.byName(m.method());
      } catch (BadInputException e) {
        throw new BadInputException("methods[" + i + "].method", e.getMessage());
      }
      for (StudyCell c : cells) {
        MethodParams.configure(m.method(), c.endmembers(), 0, m.options(), "methods[" + i + "].options");
      }
    }
    return new Plan(d, cells);
  }

  /**
   * Runs every unit as one task.
   *
   * @param partitions Spark partitions of the unit list (0: one per unit)
   */
  public static Results run(SparkSession spark, Plan plan, int partitions) {
    StudyDefinition d = plan.definition();
    List<Unit> units = new ArrayList<>();
    for (StudyCell c : plan.cells()) {
      for (int r = 0; r < d.replicates(); r++) {
        for (int m = 0; m < d.methods().size(); m++) {
          units.add(new Unit(c.index(), r, m));
        }
      }
    }
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    int slices = partitions > 0 ? partitions : Math.max(1, units.size());
    List<StudyUnit.Result> results = jsc.parallelize(units, slices).map(u -> StudyUnit.run(plan.cells().get(u.cell()),
        u.replicate(), plan.labels().get(u.method()), ConfiguredMethod.of(d.methods().get(u.method()), u.method()),
        u.replicate() == 0)).collect();
    List<StudyRecord> records = new ArrayList<>();
    List<StudyExample> examples = new ArrayList<>();
    for (StudyUnit.Result r : results) {
      records.addAll(r.records());
      if (r.example() != null) {
        examples.add(r.example());
      }
    }
    return new Results(records, examples);
  }
}
