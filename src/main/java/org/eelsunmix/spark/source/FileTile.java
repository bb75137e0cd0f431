package org.eelsunmix.spark.source;

import org.apache.spark.sql.connector.read.InputPartition;

/**
 * One input partition of a {@code format("eels")} load: pixels {@code [p0, p1)} (pixel-major, {@code y · width + x})
 * of one file.
 *
 * @param path the file
 * @param id the acquisition id its rows get
 * @param p0 first pixel
 * @param p1 end pixel (exclusive)
 */
public record FileTile(String path, String id, long p0, long p1) implements InputPartition {}
