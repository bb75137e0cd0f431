package org.eelsunmix.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

/**
 * A local file written whole or not at all: its content goes to a hidden sibling ({@code .name.<uuid>.tmp}),
 * forced to disk, then moved over the target (atomically where the file system can). A reader sees the old file or
 * the new one, never half of one; a failed write leaves nothing behind. The readers' and exporters' one way of
 * writing local files ({@code spark.AtomicOutput} does the same on any Hadoop file system, for folders too).
 *
 * <p>Not {@code Files.createTempFile}: that makes the file owner-only, and the move would carry that over.
 */
public final class AtomicFile {
  private AtomicFile() {}

  /** Writes the content of the file through a channel positioned at its start. */
  @FunctionalInterface
  public interface Content {
    void write(FileChannel channel) throws IOException;
  }

  /** Writes {@code file} from {@code content}, atomically; its folder must exist. */
  public static void write(Path file, Content content) throws IOException {
    Path target = file.toAbsolutePath();
    Path tmp = prepare(target, content);
    move(tmp, target);
  }

  /** Writes {@code file} with {@code bytes}, atomically. */
  public static void write(Path file, byte[] bytes) throws IOException {
    write(file, channel -> writeAll(channel, ByteBuffer.wrap(bytes)));
  }

  /**
   * Writes two files that belong together (a Ripple {@code .raw} and its {@code .rpl}): both are complete on disk
   * before either is moved into place, the data file first, so its header never points at missing data.
   */
  public static void writePair(Path data, Content dataContent, Path header, Content headerContent)
      throws IOException {
    Path dataTmp = prepare(data.toAbsolutePath(), dataContent);
    Path headerTmp;
    try {
      headerTmp = prepare(header.toAbsolutePath(), headerContent);
    } catch (IOException | RuntimeException | Error e) {
      Files.deleteIfExists(dataTmp);
      throw e;
    }
    try {
      move(dataTmp, data.toAbsolutePath());
    } catch (IOException | RuntimeException | Error e) {
      Files.deleteIfExists(headerTmp);
      throw e;
    }
    move(headerTmp, header.toAbsolutePath());
  }

  /** Writes all of {@code b} (a channel may take less than asked per call). */
  public static void writeAll(FileChannel channel, ByteBuffer b) throws IOException {
    while (b.hasRemaining()) {
      channel.write(b);
    }
  }

  /** The content in a fresh hidden sibling of {@code target}, forced to disk; removed again if writing fails. */
  private static Path prepare(Path target, Content content) throws IOException {
    Path tmp = target.resolveSibling("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW)) {
        content.write(ch);
        ch.force(true); // the rename must not reach the disk before the data
      }
      return tmp;
    } catch (IOException | RuntimeException | Error e) {
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  private static void move(Path tmp, Path target) throws IOException {
    try {
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
