package org.eelsunmix.spark;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.io.AcquisitionFiles;
import org.eelsunmix.io.Checksums;

/**
 * A folder of acquisition files on any Hadoop file system (local, HDFS, ...), as a microscope session archive
 * grows: the files {@link AcquisitionFiles} reads (DM3/DM4, HyperSpy, Ripple), found recursively, each with what
 * tells whether it changed (size, modification time, SHA-256 of all its files) and an acquisition id derived from
 * its path inside the archive. Names starting with {@code .} or {@code _} are skipped (temporary and sidecar files).
 * Local archives may hold symbolic links: each physical file is listed once, and loops are reported, not followed.
 * Its files are read through {@code format("eels")}.
 */
public final class AcquisitionArchive implements Serializable {
  private static final long serialVersionUID = 1L;
  private final String root;
  /** The Hadoop settings of the session, as plain strings so tasks can rebuild the file system. */
  private final Map<String, String> settings;

  /**
   * One acquisition file of the archive.
   *
   * @param path the file's full URI
   * @param relativePath its path below the archive root, with {@code /}
   * @param format as {@link AcquisitionFiles#formatOf}
   * @param companions full URIs of the other files holding its data (a Ripple {@code .raw}), possibly empty
   * @param size bytes of the file and its companions together
   * @param modified latest modification time of the file and its companions (ms since the epoch)
   */
  public record Entry(String path, String relativePath, String format, List<String> companions, long size,
      long modified) implements Serializable {
    public Entry {
      companions = List.copyOf(companions);
    }

    /**
     * The acquisition id: the relative path without its extension, folders joined by {@code _}, characters other
     * than letters, digits, {@code . _ -} replaced by {@code _} (a flat archive gives the file names' stems, the
     * ids {@code ingest} gives).
     */
    public String acquisitionId() {
      String p = relativePath;
      int dot = p.lastIndexOf('.');
      if (dot > p.lastIndexOf('/') + 1) {
        p = p.substring(0, dot);
      }
      return p.replace('/', '_').replaceAll("[^A-Za-z0-9._-]", "_");
    }
  }

  public AcquisitionArchive(Configuration conf, String root) {
    this.root = root;
    this.settings = new HashMap<>();
    conf.forEach(e -> settings.put(e.getKey(), e.getValue()));
  }

  public String root() {
    return root;
  }

  /** Rebuilt once per JVM (driver or executor) from {@link #settings}. */
  private transient Configuration conf;

  private synchronized Configuration conf() {
    if (conf == null) {
      Configuration c = new Configuration(false);
      settings.forEach(c::set);
      conf = c;
    }
    return conf;
  }

  /**
   * What a listing found: the acquisition files, and one line for each symbolic link that was not followed because
   * it loops back into a folder above it.
   */
  public record Listing(List<Entry> entries, List<String> warnings) {}

  /** A file found below the root: its path there ({@code /}-separated), full URI, bytes and mtime (ms). */
  private record Found(String relativePath, String path, long size, long modified) {}

  /**
   * Every acquisition file below the root, sorted by relative path; an error naming the root when it is missing.
   * On the local file system symbolic links are followed, but each physical file is listed once (by its real
   * path: under its own path when the archive holds it there, else under the first link's), and a link looping
   * back into a folder above it is reported and not followed.
   */
  public Listing list() {
    Path top = new Path(root);
    try {
      FileSystem fs = top.getFileSystem(conf());
      if (!fs.exists(top)) {
        throw new BadInputException(root, "no such archive folder");
      }
      top = fs.getFileStatus(top).getPath();
      List<String> warnings = new ArrayList<>();
      List<Found> found = "file".equals(fs.getUri().getScheme()) ? walkLocal(top, warnings) : walk(fs, top);
      Map<String, Found> byPath = new HashMap<>();
      found.forEach(f -> byPath.put(f.relativePath(), f));
      List<Entry> out = new ArrayList<>();
      for (Found f : found) {
        String name = new Path(f.path()).getName();
        String format = AcquisitionFiles.formatOf(java.nio.file.Path.of(name));
        if (format == null) {
          continue;
        }
        List<String> companions = new ArrayList<>();
        long size = f.size();
        long modified = f.modified();
        String folder = f.relativePath().substring(0, f.relativePath().length() - name.length());
        for (String c : AcquisitionFiles.companionNames(name)) {
          Found cf = byPath.get(folder + c);
          if (cf != null) {
            companions.add(cf.path());
            size += cf.size();
            modified = Math.max(modified, cf.modified());
            break; // one data file: the reader takes the first that exists
          }
        }
        out.add(new Entry(f.path(), f.relativePath(), format, companions, size, modified));
      }
      out.sort(Comparator.comparing(Entry::relativePath));
      return new Listing(out, warnings);
    } catch (IOException e) {
      throw new UncheckedIOException("listing " + root + ": " + e.getMessage(), e);
    }
  }

  /** Any Hadoop file system: its recursive listing (HDFS resolves no symbolic links by default). */
  private static List<Found> walk(FileSystem fs, Path top) throws IOException {
    String prefix = top.toString().endsWith("/") ? top.toString() : top + "/";
    List<Found> out = new ArrayList<>();
    RemoteIterator<LocatedFileStatus> it = fs.listFiles(top, true);
    while (it.hasNext()) {
      LocatedFileStatus s = it.next();
      String path = s.getPath().toString();
      String relative = path.startsWith(prefix) ? path.substring(prefix.length()) : s.getPath().getName();
      if (!hidden(relative)) {
        out.add(new Found(relative, path, s.getLen(), s.getModificationTime()));
      }
    }
    return out;
  }

  /**
   * The local file system, walked with java.nio following links: a loop is reported by the walk (it compares
   * folders' file keys) and skipped; a file reached twice (by a link to a file or to a folder outside the loop)
   * is kept once.
   */
  private static List<Found> walkLocal(Path top, List<String> warnings) throws IOException {
    java.nio.file.Path start = java.nio.file.Path.of(top.toUri());
    java.nio.file.Path realStart = start.toRealPath();
    Map<java.nio.file.Path, List<Found>> byRealPath = new LinkedHashMap<>();
    Files.walkFileTree(start, EnumSet.of(FileVisitOption.FOLLOW_LINKS), Integer.MAX_VALUE,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(java.nio.file.Path dir, BasicFileAttributes attrs) {
            return dir.equals(start) || !hidden(start.relativize(dir).toString()) ? FileVisitResult.CONTINUE
                : FileVisitResult.SKIP_SUBTREE;
          }

          @Override
          public FileVisitResult visitFile(java.nio.file.Path file, BasicFileAttributes attrs) throws IOException {
            String relative = start.relativize(file).toString().replace(java.io.File.separatorChar, '/');
            if (attrs.isRegularFile() && !hidden(relative)) {
              byRealPath.computeIfAbsent(file.toRealPath(), k -> new ArrayList<>()).add(new Found(relative,
                  new Path(top, relative).toString(), attrs.size(), attrs.lastModifiedTime().toMillis()));
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(java.nio.file.Path file, IOException e) throws IOException {
            if (e instanceof FileSystemLoopException) {
              warnings.add("symbolic link " + file + " loops back to " + file.toRealPath()
                  + " (a folder above it); not followed");
              return FileVisitResult.CONTINUE;
            }
            throw e;
          }
        });
    List<Found> out = new ArrayList<>();
    for (Map.Entry<java.nio.file.Path, List<Found>> e : byRealPath.entrySet()) {
      String own = e.getKey().startsWith(realStart)
          ? realStart.relativize(e.getKey()).toString().replace(java.io.File.separatorChar, '/') : null;
      List<Found> ways = e.getValue();
      ways.sort(Comparator.comparing(Found::relativePath));
      out.add(ways.stream().filter(f -> f.relativePath().equals(own)).findFirst().orElse(ways.get(0)));
    }
    return out;
  }

  /** Whether a path below the root has a part starting with {@code .} or {@code _}. */
  private static boolean hidden(String relativePath) {
    for (String part : relativePath.split("/")) {
      if (part.startsWith(".") || part.startsWith("_")) {
        return true;
      }
    }
    return false;
  }

  /** SHA-256 of the file and its companions, in that order (see {@link Checksums#sha256(List)}). */
  public String checksum(Entry e) {
    List<Checksums.Source> parts = new ArrayList<>();
    List<String> all = new ArrayList<>();
    all.add(e.path());
    all.addAll(e.companions());
    Configuration conf = conf();
    for (String p : all) {
      parts.add(() -> {
        Path hp = new Path(p);
        return hp.getFileSystem(conf).open(hp);
      });
    }
    try {
      return Checksums.sha256(parts);
    } catch (IOException ex) {
      throw new UncheckedIOException("reading " + e.path() + ": " + ex.getMessage(), ex);
    }
  }
}
