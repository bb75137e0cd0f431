package org.eelsunmix.report;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Where a report's files go: opens {@code relativePath} (with {@code /} folders) for writing; the caller closes it.
 * A local folder, or a temporary folder on any Hadoop file system that the caller commits atomically.
 */
@FunctionalInterface
public interface FileSink {
  OutputStream create(String relativePath) throws IOException;

  /** Files under a local folder (parent folders made as needed). */
  static FileSink under(java.nio.file.Path folder) {
    return rel -> {
      java.nio.file.Path p = folder.resolve(rel);
      java.nio.file.Files.createDirectories(p.getParent());
      return java.nio.file.Files.newOutputStream(p);
    };
  }
}
