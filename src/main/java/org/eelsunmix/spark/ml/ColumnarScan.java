package org.eelsunmix.spark.ml;

import java.util.List;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.catalyst.expressions.Alias;
import org.apache.spark.sql.catalyst.expressions.Attribute;
import org.apache.spark.sql.catalyst.expressions.AttributeReference;
import org.apache.spark.sql.catalyst.expressions.NamedExpression;
import org.apache.spark.sql.execution.ColumnarToRowExec;
import org.apache.spark.sql.execution.InputAdapter;
import org.apache.spark.sql.execution.ProjectExec;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.execution.WholeStageCodegenExec;
import org.apache.spark.sql.vectorized.ColumnVector;
import org.apache.spark.sql.vectorized.ColumnarBatch;
import scala.collection.JavaConverters;

/**
 * The columnar batches under a dataset's rows, when its physical plan is a columnar scan (the vectorised Parquet
 * reader) turned into rows, optionally under a projection that only picks, reorders or renames columns (as
 * {@code SeriesStore.pixels} does, to attach the energy axis): then a per-pixel pass can read the spectrum column a
 * block at a time from the reader's vectors instead of each row's copy of it, and hand Spark rows that are views of
 * the batch (nothing of a column is copied unless a consumer reads it). Any other plan (a cache, a shuffle, a
 * filter, a computed column) gives null: the caller keeps the row path.
 *
 * <p>Relies on the physical operators of the pinned Spark 3.5 ({@code ColumnarToRowExec}, {@code ProjectExec},
 * {@code SparkPlan.executeColumnar}), public classes of Spark's {@code execution} package.
 */
final class ColumnarScan {
  /** The scan's batches (reused by the reader: consume a batch before asking for the next). */
  final RDD<ColumnarBatch> batches;
  /** Column {@code i} of the dataset is column {@code columns[i]} of each batch. */
  final int[] columns;

  private ColumnarScan(RDD<ColumnarBatch> batches, int[] columns) {
    this.batches = batches;
    this.columns = columns;
  }

  /** The batches of {@code dataset}, or null when its plan is not a (projected) columnar scan. */
  static ColumnarScan of(Dataset<?> dataset) {
    SparkPlan plan = unwrap(dataset.queryExecution().executedPlan());
    int width = dataset.schema().size();
    int[] columns = new int[width];
    for (int i = 0; i < width; i++) {
      columns[i] = i;
    }
    if (plan instanceof ProjectExec project) {
      List<NamedExpression> list = JavaConverters.seqAsJavaList(project.projectList());
      List<Attribute> input = JavaConverters.seqAsJavaList(project.child().output());
      for (int i = 0; i < width; i++) {
        columns[i] = indexOf(list.get(i), input);
        if (columns[i] < 0) {
          return null;
        }
      }
      plan = unwrap(project.child());
    }
    if (!(plan instanceof ColumnarToRowExec toRows)) {
      return null;
    }
    SparkPlan scan = unwrap(toRows.child());
    if (!scan.supportsColumnar() || scan.output().size() < width) {
      return null;
    }
    return new ColumnarScan(scan.executeColumnar(), columns);
  }

  /** The dataset's columns of one batch, in the dataset's order (views, no copy); {@code columns} as {@link #columns}. */
  static ColumnarBatch view(int[] columns, ColumnarBatch batch) {
    ColumnVector[] vectors = new ColumnVector[columns.length];
    for (int i = 0; i < columns.length; i++) {
      vectors[i] = batch.column(columns[i]);
    }
    return new ColumnarBatch(vectors, batch.numRows());
  }

  /** The input column a projected column is (itself or renamed), or −1 for a computed one. */
  private static int indexOf(NamedExpression e, List<Attribute> input) {
    Object inner = e instanceof Alias a ? a.child() : e; // NamedExpression is a Scala trait, not an Expression
    if (!(inner instanceof AttributeReference ref)) {
      return -1;
    }
    for (int j = 0; j < input.size(); j++) {
      if (input.get(j).exprId().equals(ref.exprId())) {
        return j;
      }
    }
    return -1;
  }

  /** The operator inside whole-stage code generation's wrappers. */
  private static SparkPlan unwrap(SparkPlan plan) {
    while (true) {
      if (plan instanceof WholeStageCodegenExec w) {
        plan = w.child();
      } else if (plan instanceof InputAdapter a) {
        plan = a.child();
      } else {
        return plan;
      }
    }
  }
}
