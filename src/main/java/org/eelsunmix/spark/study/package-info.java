/**
 * The study engine on Spark: a study file's grid expanded into (cell, replicate, method) units, one Spark task each
 * running the plain-Java unit ({@link org.eelsunmix.eval.StudyUnit}) with the method's in-memory fit
 * ({@link org.eelsunmix.spark.ml.UnmixingEstimator#fitInMemory}), and the study folder written atomically
 * (units, aggregate, paired, cells, examples) from the kernels of {@code org.eelsunmix.eval}.
 */
package org.eelsunmix.spark.study;
