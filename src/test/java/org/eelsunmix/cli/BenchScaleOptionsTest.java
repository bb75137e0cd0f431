package org.eelsunmix.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * {@code bench --scale}'s options are checked before any cluster or job starts: an unknown master, and a standalone
 * run from class folders (it needs the packaged jar, as the tests' JVM does not run from it), are one-line errors
 * naming {@code --scale-master}, exit 2.
 */
class BenchScaleOptionsTest {
  @Test
  void badMastersAreRefusedByName() {
    CliTestSupport.Run yarn = CliTestSupport.run("bench", "--scale", "--scale-master", "yarn");
    assertEquals(2, yarn.code(), yarn.err());
    assertTrue(yarn.err().contains("--scale-master") && yarn.err().contains("local or standalone"), yarn.err());
    CliTestSupport.Run fromClasses = CliTestSupport.run("bench", "--scale", "--scale-master", "standalone");
    assertEquals(2, fromClasses.code(), fromClasses.err());
    assertTrue(fromClasses.err().contains("--scale-master") && fromClasses.err().contains("packaged jar"),
        fromClasses.err());
    CliTestSupport.Run workers = CliTestSupport.run("bench", "--scale", "--scale-master", "standalone",
        "--scale-pixels", "100");
    assertEquals(2, workers.code(), workers.err());
    assertTrue(workers.err().contains("--scale-pixels"), workers.err());
  }
}
