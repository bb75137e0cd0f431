/**
 * A Spark standalone cluster on this machine's loopback, started from the project's own jars: the master, workers
 * and spark-submit drivers as separate JVMs. Used by the cluster tests (worker loss, series, the commands through
 * spark-submit) and by {@code bench --scale --scale-master standalone}, so both start clusters the same way.
 *
 * <p>Spark deployment, not Spark computation: it starts Spark's daemons by class name and imports no Spark API;
 * {@code bench} and the tests use it.
 */
package org.eelsunmix.spark.standalone;
