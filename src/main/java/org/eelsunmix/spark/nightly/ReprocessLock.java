package org.eelsunmix.spark.nightly;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The lock of one reprocessing output folder: {@code <out>/_reprocess.lock}, created atomically (a create that fails
 * when the file exists) with its owner inside (host, pid, start time), removed when the run ends (normally, by an
 * exception, or by a signal through a shutdown hook). Held by the command itself, so two runs on one output folder
 * never overlap whoever starts them.
 *
 * <p>A lock whose owner is gone is taken over, with a warning: one made on this host by a process that no longer
 * runs (or whose pid now belongs to a younger process), one older than {@link #STALE_AFTER}, or one whose content
 * cannot be read and that is older than a minute (a run killed between creating and writing it).
 */
public final class ReprocessLock implements AutoCloseable {
  /** The lock file's name inside the output folder. */
  public static final String FILE = "_reprocess.lock";
  /**
   * Age after which a lock is taken over whoever holds it: a nightly run takes far less, and a run killed on
   * another host (whose pid cannot be checked from here) then blocks at most one night.
   */
  public static final Duration STALE_AFTER = Duration.ofHours(24);
  private static final Duration WRITING = Duration.ofMinutes(1);
  /**
   * Priority of the release among Hadoop's shutdown hooks (run one after another, highest first): above Spark's
   * (40), which stops the session, and the file systems' close (10); below a long-lived holder's own stop hook
   * (the live watcher's, {@code spark.live.Watcher#STOP_PRIORITY}), so the lock is released only once that holder
   * has finished the acquisition in hand.
   */
  public static final int RELEASE_PRIORITY = 60;

  /** Another run holds the lock: the run must not start. */
  public static final class BusyException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BusyException(String message) {
      super(message);
    }
  }

  private final FileSystem fs;
  private final Path lock;
  private final Path createdFolder;
  private final String owner;
  private final String takeOver;
  private final Thread hook;

  private ReprocessLock(FileSystem fs, Path lock, Path createdFolder, String owner, String takeOver) {
    this.fs = fs;
    this.lock = lock;
    this.createdFolder = createdFolder;
    this.owner = owner;
    this.takeOver = takeOver;
    this.hook = new Thread(this::release, "reprocess-lock-release");
    org.apache.hadoop.util.ShutdownHookManager.get().addShutdownHook(hook, RELEASE_PRIORITY);
  }

  /**
   * Takes the lock of output folder {@code out} (created if missing), or throws {@link BusyException} naming the
   * run that holds it.
   */
  public static ReprocessLock acquire(Configuration conf, String out) {
    Path folder = new Path(out);
    try {
      FileSystem fs = folder.getFileSystem(conf);
      Path created = fs.exists(folder) ? null : folder;
      fs.mkdirs(folder);
      Path lock = new Path(folder, FILE);
      Instant now = Instant.now();
      String owner = "host=" + host() + "\npid=" + ProcessHandle.current().pid() + "\nstarted=" + now + "\n";
      String takeOver = null;
      for (int attempt = 0; ; attempt++) {
        if (create(fs, lock, owner)) {
          return new ReprocessLock(fs, lock, created, owner, takeOver);
        }
        String held = read(fs, lock);
        if (held == null) {
          continue; // released meanwhile
        }
        String stale = staleness(held, fs.getFileStatus(lock).getModificationTime(), now);
        if (stale == null || attempt > 0 || !moveAside(fs, lock, held)) {
          throw new BusyException(out + " is being reprocessed by another run (" + describe(held) + "; lock "
              + lock + "); not starting");
        }
        takeOver = "took over the lock " + lock + " of a run that is gone (" + describe(held) + ": " + stale + ")";
      }
    } catch (IOException e) {
      throw new UncheckedIOException("locking " + out + ": " + e.getMessage(), e);
    }
  }

  /** The warning to print when the lock was taken over from a run that is gone. */
  public Optional<String> takeOverWarning() {
    return Optional.ofNullable(takeOver);
  }

  /** Removes the lock (and the output folder, when taking the lock created it and nothing else was written). */
  @Override
  public void close() {
    release();
    try {
      org.apache.hadoop.util.ShutdownHookManager.get().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // the hook is running or has run: nothing to remove
    }
  }

  private synchronized void release() {
    try {
      if (owner.equals(read(fs, lock))) {
        fs.delete(lock, false);
      }
      if (createdFolder != null && fs.exists(createdFolder) && fs.listStatus(createdFolder).length == 0) {
        fs.delete(createdFolder, false);
      }
    } catch (IOException | RuntimeException e) {
      // Releasing is best effort (e.g. the file system already closed at shutdown): a lock left behind is taken
      // over by the next run once its owner is seen to be gone.
    }
  }

  /** Creates the lock file holding {@code owner}; false when it exists. */
  private static boolean create(FileSystem fs, Path lock, String owner) throws IOException {
    byte[] content = owner.getBytes(StandardCharsets.UTF_8);
    if ("file".equals(fs.getUri().getScheme())) {
      // Hadoop's local create checks, then opens: only the OS's exclusive create is atomic there.
      try {
        Files.write(java.nio.file.Path.of(fs.makeQualified(lock).toUri()), content, StandardOpenOption.CREATE_NEW,
            StandardOpenOption.WRITE);
        return true;
      } catch (java.nio.file.FileAlreadyExistsException e) {
        return false;
      }
    }
    try (OutputStream o = fs.create(lock, false)) { // atomic on HDFS (the NameNode refuses a second create)
      o.write(content);
      return true;
    } catch (org.apache.hadoop.fs.FileAlreadyExistsException e) {
      return false;
    } catch (IOException e) {
      if (fs.exists(lock)) {
        return false; // some file systems report an existing file with a plain IOException
      }
      throw e;
    }
  }

  /** The lock's content, or null when there is no lock. */
  private static String read(FileSystem fs, Path lock) throws IOException {
    try (InputStream in = fs.open(lock)) {
      ByteArrayOutputStream b = new ByteArrayOutputStream();
      in.transferTo(b);
      return b.toString(StandardCharsets.UTF_8);
    } catch (java.io.FileNotFoundException e) {
      return null;
    }
  }

  /**
   * Moves a stale lock aside, if it is still the one judged (another run may have taken it over meanwhile); true
   * when it was moved and removed.
   */
  private static boolean moveAside(FileSystem fs, Path lock, String judged) throws IOException {
    Path aside = new Path(lock.getParent(), "._stale-" + FILE + "-" + UUID.randomUUID().toString().substring(0, 8));
    if (!fs.rename(lock, aside)) {
      return false;
    }
    if (!judged.equals(read(fs, aside))) {
      fs.rename(aside, lock); // a fresh lock of another run: give it back
      return false;
    }
    fs.delete(aside, false);
    return true;
  }

  /** Why the lock with content {@code held} (file mtime {@code modified}) is stale, or null when its owner may run. */
  static String staleness(String held, long modified, Instant now) {
    Properties p = parse(held);
    Instant started;
    long pid;
    try {
      started = Instant.parse(p.getProperty("started"));
      pid = Long.parseLong(p.getProperty("pid"));
    } catch (RuntimeException unreadable) {
      return Duration.between(Instant.ofEpochMilli(modified), now).compareTo(WRITING) > 0
          ? "unreadable lock file, last written " + Instant.ofEpochMilli(modified) : null;
    }
    if (Duration.between(started, now).compareTo(STALE_AFTER) > 0) {
      return "older than " + STALE_AFTER.toHours() + " h";
    }
    if (!host().equals(p.getProperty("host"))) {
      return null;
    }
    Optional<ProcessHandle> process = ProcessHandle.of(pid);
    if (process.isEmpty() || !process.get().isAlive()) {
      return "process " + pid + " no longer runs";
    }
    Optional<Instant> since = process.get().info().startInstant();
    // Process start times are known to about a clock tick: only a clearly younger process is another one.
    if (since.isPresent() && since.get().isAfter(started.plusSeconds(2))) {
      return "pid " + pid + " now belongs to a process started at " + since.get();
    }
    return null;
  }

  private static String describe(String held) {
    Properties p = parse(held);
    return "host " + p.getProperty("host", "?") + ", pid " + p.getProperty("pid", "?") + ", started "
        + p.getProperty("started", "?");
  }

  private static Properties parse(String held) {
    Properties p = new Properties();
    try {
      p.load(new StringReader(held));
    } catch (IOException | IllegalArgumentException e) {
      // an unreadable lock has no properties
    }
    return p;
  }

  /** This machine's name, as recorded in a lock. */
  static String host() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return System.getenv().getOrDefault("HOSTNAME", "unknown-host");
    }
  }
}
