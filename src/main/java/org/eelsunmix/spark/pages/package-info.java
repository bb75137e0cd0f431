/**
 * The store's {@code spectrum} column read straight from its Parquet pages into pixel-major {@code float[]} blocks,
 * for the full passes over a store (the fits' passes and the abundances pass): a decoder written for our
 * fixed-length, non-null {@code list<float>} spectra (levels as runs, dictionary ids unpacked eight or 32 at a time,
 * values checked through their dictionary's bounds), beside Spark's general vectorised reader.
 *
 * <p>Uses parquet-hadoop and parquet-column (on the class path through Spark) and Hadoop's file systems; imports
 * nothing of Spark's, nor anything of {@code cli}.
 */
package org.eelsunmix.spark.pages;
