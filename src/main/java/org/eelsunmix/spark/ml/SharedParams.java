package org.eelsunmix.spark.ml;

import java.util.List;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.param.Params;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.core.EnergyAxis;
import org.eelsunmix.spark.PixelSchema;
import org.eelsunmix.spark.SpectrumColumn;

/**
 * Factories of the shared params of {@link UnmixingParams} for a given owner (a Spark param belongs to one stage),
 * their defaults, and the schema rule every unmixing stage follows: the input is a spectrum column, the output adds
 * an {@code abundances} array&lt;double&gt; column and a per-pixel {@code rmse}.
 */
final class SharedParams {
  private SharedParams() {}

  static Param<String> inputCol(Params owner) {
    return new Param<>(owner, "inputCol", "spectrum column: array<float> or array<double>, one spectrum per row");
  }

  static Param<String> outputCol(Params owner) {
    return new Param<>(owner, "outputCol", "abundances column written: array<double>, one value per endmember");
  }

  static Param<String> rmseCol(Params owner) {
    return new Param<>(owner, "rmseCol", "per-pixel reconstruction RMSE column written (double)");
  }

  static IntParam numEndmembers(Params owner) {
    return new IntParam(owner, "numEndmembers", "number of endmembers R (>= 1)", ParamValidators.gtEq(1));
  }

  static LongParam seed(Params owner) {
    return new LongParam(owner, "seed", "random seed");
  }

  /** The shared params' defaults on {@code owner}: R, seed, and the column names. */
  static void setDefaults(Params owner, IntParam numEndmembers, int r, LongParam seed, long seedValue,
      Param<String> inputCol, Param<String> outputCol, Param<String> rmseCol) {
    owner.setDefault(numEndmembers, r);
    owner.setDefault(seed, seedValue);
    owner.setDefault(inputCol, PixelSchema.SPECTRUM);
    owner.setDefault(outputCol, PixelSchema.ABUNDANCES_COL);
    owner.setDefault(rmseCol, PixelSchema.RMSE);
  }

  /**
   * The energy axis of the spectra in {@code column}: the one attached to the column ({@link SpectrumColumn}), or
   * a plain channel axis of the first spectrum's length; an empty table is refused.
   */
  static EnergyAxis spectraAxis(Dataset<?> dataset, String column) {
    EnergyAxis axis = SpectrumColumn.axisOf(dataset.schema(), column);
    if (axis != null) {
      return axis;
    }
    List<Row> first = dataset.toDF().select(functions.size(functions.col(column))).limit(1).collectAsList();
    if (first.isEmpty()) {
      throw new BadInputException("input dataset", "has no pixels");
    }
    return new EnergyAxis(0, 1, "channel", first.get(0).getInt(0));
  }

  /** Input schema + the output columns; names the table and the bad column. */
  static StructType outputSchema(StructType schema, String inputCol, String outputCol, String rmseCol) {
    PixelSchema.requireSpectrumColumn(schema, inputCol, "input dataset");
    for (String c : new String[] {outputCol, rmseCol}) {
      if (java.util.Arrays.asList(schema.fieldNames()).contains(c)) {
        throw new BadInputException("input dataset", "already has a column '" + c + "' (set another output column)");
      }
    }
    return schema.add(outputCol, PixelSchema.VALUES_TYPE, false).add(rmseCol, DataTypes.DoubleType, false);
  }
}
