package org.eelsunmix.spark;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.io.AcquisitionFiles;
import org.eelsunmix.io.Checksums;
import org.eelsunmix.io.SpectralFile;

/**
 * A folder of acquisition files on any Hadoop file system (local, HDFS, ...), as a microscope session archive
 * grows: the files {@link AcquisitionFiles} reads (DM3/DM4, HyperSpy, Ripple), found recursively, each with what
 * tells whether it changed (size, modification time, SHA-256 of all its files) and an acquisition id derived from
 * its path inside the archive. Names starting with {@code .} or {@code _} are skipped (temporary and sidecar files).
 *
 * <p>Serializable, so a Spark task can read an acquisition itself: the readers need a local file, so on a file
 * system other than the local one the file (with its companions, e.g. a Ripple {@code .raw}) is first copied into a
 * local temporary folder, removed after reading.
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

  /** Every acquisition file below the root, sorted by relative path; an error naming the root when it is missing. */
  public List<Entry> list() {
    Path top = new Path(root);
    try {
      FileSystem fs = top.getFileSystem(conf());
      if (!fs.exists(top)) {
        throw new BadInputException(root, "no such archive folder");
      }
      FileStatus topStatus = fs.getFileStatus(top);
      top = topStatus.getPath();
      Map<String, LocatedFileStatus> byPath = new HashMap<>();
      List<LocatedFileStatus> candidates = new ArrayList<>();
      RemoteIterator<LocatedFileStatus> it = fs.listFiles(top, true);
      while (it.hasNext()) {
        LocatedFileStatus s = it.next();
        if (hidden(top, s.getPath())) {
          continue;
        }
        byPath.put(s.getPath().toString(), s);
        if (AcquisitionFiles.formatOf(java.nio.file.Path.of(s.getPath().getName())) != null) {
          candidates.add(s);
        }
      }
      String prefix = top.toString().endsWith("/") ? top.toString() : top + "/";
      List<Entry> out = new ArrayList<>();
      for (LocatedFileStatus s : candidates) {
        String name = s.getPath().getName();
        List<String> companions = new ArrayList<>();
        long size = s.getLen();
        long modified = s.getModificationTime();
        for (String c : AcquisitionFiles.companionNames(name)) {
          LocatedFileStatus cs = byPath.get(new Path(s.getPath().getParent(), c).toString());
          if (cs != null) {
            companions.add(cs.getPath().toString());
            size += cs.getLen();
            modified = Math.max(modified, cs.getModificationTime());
            break; // one data file: the reader takes the first that exists
          }
        }
        String path = s.getPath().toString();
        String relative = path.startsWith(prefix) ? path.substring(prefix.length()) : name;
        out.add(new Entry(path, relative, AcquisitionFiles.formatOf(java.nio.file.Path.of(name)), companions, size,
            modified));
      }
      out.sort(Comparator.comparing(Entry::relativePath));
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("listing " + root + ": " + e.getMessage(), e);
    }
  }

  private static boolean hidden(Path top, Path p) {
    for (Path q = p; q != null && !q.equals(top); q = q.getParent()) {
      String n = q.getName();
      if (n.startsWith(".") || n.startsWith("_")) {
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

  /**
   * Reads one acquisition with the project's readers ({@link AcquisitionFiles#read}), its image id set to
   * {@link Entry#acquisitionId()}. Bad content is a {@link BadInputException} naming the file.
   */
  public SpectralFile read(Entry e) {
    Path file = new Path(e.path());
    try {
      FileSystem fs = file.getFileSystem(conf());
      if ("file".equals(fs.getUri().getScheme())) {
        return withId(AcquisitionFiles.read(java.nio.file.Path.of(file.toUri())), e);
      }
      java.nio.file.Path local = Files.createTempDirectory("eels-unmix-archive-");
      try {
        java.nio.file.Path copy = local.resolve(file.getName());
        fs.copyToLocalFile(file, new Path(copy.toUri()));
        for (String c : e.companions()) {
          Path cp = new Path(c);
          fs.copyToLocalFile(cp, new Path(local.resolve(cp.getName()).toUri()));
        }
        return withId(AcquisitionFiles.read(copy), e);
      } finally {
        try (var s = Files.walk(local)) {
          s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
      }
    } catch (IOException ex) {
      throw new UncheckedIOException("reading " + e.path() + ": " + ex.getMessage(), ex);
    }
  }

  /** The file as read, named by its archive path and acquisition id (not by a local copy's). */
  private static SpectralFile withId(SpectralFile f, Entry e) {
    return new SpectralFile(e.path(), f.format(), f.dtype(), f.shape(), f.image().withId(e.acquisitionId()),
        f.navigationScale(), f.navigationUnits(), f.metadata());
  }
}
