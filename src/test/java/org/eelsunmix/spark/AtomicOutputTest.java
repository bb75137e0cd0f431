package org.eelsunmix.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.eelsunmix.core.BadInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Atomic files and folders on the local Hadoop file system, and the clean-up of killed writers' temporaries. */
class AtomicOutputTest {
  static Path aged(Path p, Duration age) throws IOException {
    Files.setLastModifiedTime(p, FileTime.from(Instant.now().minus(age)));
    return p;
  }

  static List<String> names(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).filter(n -> !n.endsWith(".crc")).sorted().toList();
    }
  }

  @Test
  void aFileIsReplacedWholeAndOnlyWhenAsked(@TempDir Path dir) throws Exception {
    Configuration conf = new Configuration();
    String target = dir.resolve("scree.csv").toString();
    AtomicOutput.writeFile(conf, target, false, o -> o.write("one\n".getBytes(StandardCharsets.UTF_8)));
    assertThrows(BadInputException.class, () -> AtomicOutput.writeFile(conf, target, false, o -> o.write(1)));
    AtomicOutput.writeFile(conf, target, true, o -> o.write("two\n".getBytes(StandardCharsets.UTF_8)));
    assertEquals("two\n", Files.readString(dir.resolve("scree.csv")));
    // A writer that fails leaves the old file and no temporary.
    assertThrows(java.io.UncheckedIOException.class, () -> AtomicOutput.writeFile(conf, target, true, o -> {
      o.write("thr".getBytes(StandardCharsets.UTF_8));
      throw new IOException("disk full");
    }));
    assertEquals("two\n", Files.readString(dir.resolve("scree.csv")));
    assertEquals(List.of("scree.csv"), names(dir));
  }

  @Test
  void aWriteRemovesOnlyItsOwnTargetsStaleTemporaries(@TempDir Path dir) throws Exception {
    Duration old = AtomicOutput.STALE_AFTER.plusHours(1);
    aged(Files.createDirectories(dir.resolve("._tmp-model-0123abcd/data")).getParent(), old);
    aged(Files.createDirectories(dir.resolve("._old-model-89abcdef")), old);
    Files.createDirectories(dir.resolve("._tmp-model-fedcba98")); // young: a writer may still be at it
    aged(Files.createDirectories(dir.resolve("._tmp-model-old-0123abcd")), old); // another target's
    aged(Files.createDirectories(dir.resolve("notes")), old);
    AtomicOutput.commit(new Configuration(), dir.resolve("model").toString(), false,
        tmp -> Files.createDirectories(Path.of(new org.apache.hadoop.fs.Path(tmp).toUri())));
    assertEquals(List.of("._tmp-model-fedcba98", "._tmp-model-old-0123abcd", "model", "notes"), names(dir));
    assertTrue(Files.isDirectory(dir.resolve("model")));
  }

  @Test
  void staleSparkStagingFoldersOfATableGoBeforeItIsWritten(@TempDir Path dir) throws Exception {
    Path table = Files.createDirectories(dir.resolve("abundances"));
    aged(Files.createDirectories(table.resolve(".spark-staging-1b2c/_temporary")).getParent(),
        AtomicOutput.STALE_AFTER.plusMinutes(1));
    Files.createDirectories(table.resolve(".spark-staging-9f8e"));
    Files.createDirectories(table.resolve("acquisition_id=a"));
    var spark = TestSpark.session();
    SeriesStore.writePartitioned(spark.range(1).selectExpr("'b' as acquisition_id", "id as x"), table.toString(),
        spark);
    List<String> left = names(table);
    assertFalse(left.contains(".spark-staging-1b2c"), left.toString());
    assertTrue(left.containsAll(List.of(".spark-staging-9f8e", "acquisition_id=a", "acquisition_id=b")),
        left.toString());
  }
}
