package org.eelsunmix.spark;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.eelsunmix.core.BadInputException;

/**
 * The record of which archive files a reprocessing output folder already holds: {@code <out>/_ledger/}, append-only.
 * Each {@link #append} adds one small CSV file (a header line and one record, {@link ResultFiles#writeCsv}) written
 * atomically ({@link AtomicOutput#writeFile}), so an entry is there completely or not at all, and old entries are
 * never rewritten; a job killed at any point leaves only whole entries. Files are named {@code <UTC time>-<acquisition id>-<checksum
 * prefix>.csv}, so a listing is in processing order; Spark or pandas read the folder as one CSV table.
 *
 * <p>A file is known by its path and SHA-256: the same path with another checksum is new data. Size and
 * modification time are kept as a cheap pre-filter: when both are unchanged the file is taken as unchanged without
 * reading it (see {@link #find}).
 */
public final class ProcessedLedger {
  /** The ledger's columns, in file order. */
  public static final List<String> COLUMNS = List.of("path", "size", "mtime", "checksum", "acquisition_id",
      "outcome", "processed_at", "output", "model", "reason");
  public static final String FOLDER = "_ledger";
  public static final String PROCESSED = "processed";
  public static final String REJECTED = "rejected";

  private static final DateTimeFormatter FILE_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);

  private final Configuration conf;
  private final Path folder;

  /**
   * One archive file as handled by a run.
   *
   * @param path the file's full URI
   * @param size bytes (with companion files)
   * @param mtime latest modification time, ms since the epoch
   * @param checksum SHA-256 (hex) of its content
   * @param acquisitionId the id its outputs are filed under
   * @param outcome {@link #PROCESSED} or {@link #REJECTED}
   * @param processedAt when the entry was made
   * @param output where its outputs are (processed), empty when rejected
   * @param model the model applied (its folder and uid)
   * @param reason why it was rejected; empty when processed
   */
  public record Entry(String path, long size, long mtime, String checksum, String acquisitionId, String outcome,
      Instant processedAt, String output, String model, String reason) {

    List<String> fields() {
      return List.of(path, Long.toString(size), Long.toString(mtime), checksum, acquisitionId, outcome,
          processedAt.toString(), output, model, reason);
    }

    static Entry of(List<String> f, String source) {
      if (f.size() != COLUMNS.size()) {
        throw new BadInputException(source, "is not a ledger entry: " + f.size() + " fields, expected "
            + COLUMNS.size() + " (" + String.join(",", COLUMNS) + ")");
      }
      try {
        return new Entry(f.get(0), Long.parseLong(f.get(1)), Long.parseLong(f.get(2)), f.get(3), f.get(4), f.get(5),
            Instant.parse(f.get(6)), f.get(7), f.get(8), f.get(9));
      } catch (RuntimeException e) {
        throw new BadInputException(source, "is not a ledger entry: " + e.getMessage(), e);
      }
    }

    public boolean processed() {
      return PROCESSED.equals(outcome);
    }
  }

  /** The ledger of output folder {@code out} (it need not exist yet). */
  public ProcessedLedger(Configuration conf, String out) {
    this.conf = conf;
    this.folder = new Path(out, FOLDER);
  }

  public String folder() {
    return folder.toString();
  }

  /** All entries, oldest first. */
  public List<Entry> entries() {
    try {
      FileSystem fs = folder.getFileSystem(conf);
      if (!fs.exists(folder)) {
        return List.of();
      }
      List<FileStatus> files = new ArrayList<>();
      for (FileStatus s : fs.listStatus(folder)) {
        String n = s.getPath().getName();
        if (s.isFile() && n.endsWith(".csv") && !n.startsWith(".") && !n.startsWith("_")) {
          files.add(s);
        }
      }
      files.sort(Comparator.comparing(s -> s.getPath().getName()));
      List<Entry> out = new ArrayList<>();
      for (FileStatus s : files) {
        try (InputStream in = fs.open(s.getPath())) {
          for (List<String> record : ResultFiles.readCsv(in, s.getPath().toString())) {
            out.add(Entry.of(record, s.getPath().toString()));
          }
        }
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + folder + ": " + e.getMessage(), e);
    }
  }

  /**
   * The latest entry for this file that still describes it, or null: same path, and either the same size and
   * modification time (taken as unchanged without reading it) or, failing that, the same checksum, which is then
   * computed by {@code checksum} (only when needed).
   */
  public static Entry find(List<Entry> entries, String path, long size, long mtime,
      java.util.function.Supplier<String> checksum) {
    Entry samePath = null;
    for (int i = entries.size() - 1; i >= 0; i--) {
      Entry e = entries.get(i);
      if (e.path().equals(path)) {
        if (e.size() == size && e.mtime() == mtime) {
          return e;
        }
        samePath = samePath == null ? e : samePath;
      }
    }
    if (samePath == null) {
      return null;
    }
    String sum = checksum.get();
    for (int i = entries.size() - 1; i >= 0; i--) {
      Entry e = entries.get(i);
      if (e.path().equals(path) && e.checksum().equals(sum)) {
        return e;
      }
    }
    return null;
  }

  /** Adds one entry as its own file, atomically ({@link AtomicOutput#writeFile}). */
  public void append(Entry e) {
    String name = FILE_TIME.format(e.processedAt()) + "-" + e.acquisitionId() + "-"
        + e.checksum().substring(0, Math.min(12, e.checksum().length())) + ".csv";
    AtomicOutput.writeFile(conf, new Path(folder, name).toString(), false,
        o -> ResultFiles.writeCsv(o, COLUMNS, List.of(e.fields())));
  }
}
