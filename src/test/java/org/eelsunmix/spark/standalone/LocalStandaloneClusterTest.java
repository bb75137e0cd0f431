package org.eelsunmix.spark.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher on its own (the commands through it are {@code StandaloneClusterIT}'s): a master and a worker start
 * from this JVM's jars on free ports and register; {@link LocalStandaloneCluster#close} leaves no process, port or
 * folder behind; a jar's {@code Add-Opens} become the options a {@code -cp} JVM needs.
 */
class LocalStandaloneClusterTest {
  @TempDir
  Path dir;

  @Test
  void startsRegistersAndLeavesNothingBehind() throws Exception {
    List<String> opens = List.of(System.getProperty("eelsunmix.java17.opens", "").trim().split("\\s+")).stream()
        .filter(s -> !s.isEmpty()).toList();
    LocalStandaloneCluster.Settings s = new LocalStandaloneCluster.Settings(
        LocalStandaloneCluster.classPathJars(name -> !name.startsWith("eels-unmix")), null, opens, null, 1, "512m",
        "512m", "256m");
    Path work;
    List<ProcessHandle> started;
    int port;
    try (LocalStandaloneCluster c = new LocalStandaloneCluster(1, s)) {
      work = c.work();
      Matcher m = Pattern.compile("spark://127\\.0\\.0\\.1:(\\d+)").matcher(c.master());
      assertTrue(m.matches(), c.master());
      port = Integer.parseInt(m.group(1));
      assertTrue(Files.readString(work.resolve("worker0.log")).contains("Successfully registered with master"));
      started = ProcessHandle.current().children().filter(p -> p.info().commandLine().orElse("")
          .contains(work.toString())).toList();
      assertEquals(2, started.size(), "master and worker, each its own JVM");
      assertTrue(started.stream().allMatch(ProcessHandle::isAlive));
    }
    assertTrue(started.stream().noneMatch(ProcessHandle::isAlive), "every process stopped");
    assertFalse(Files.exists(work), "folder deleted");
    try (java.net.ServerSocket again = new java.net.ServerSocket(port)) { // the master's port is free again
      assertEquals(port, again.getLocalPort());
    }
  }

  @Test
  void manifestOpensBecomeAddOpensOptions() throws Exception {
    Path jar = dir.resolve("app.jar");
    Manifest m = new Manifest();
    m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    m.getMainAttributes().putValue("Add-Opens", "java.base/java.lang java.base/sun.nio.ch");
    try (OutputStream out = new JarOutputStream(Files.newOutputStream(jar), m)) {
      out.flush();
    }
    assertEquals(List.of("--add-opens=java.base/java.lang=ALL-UNNAMED", "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED"),
        LocalStandaloneCluster.manifestOpens(jar));
    Path plain = dir.resolve("plain.jar");
    Manifest none = new Manifest();
    none.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    try (OutputStream out = new JarOutputStream(Files.newOutputStream(plain), none)) {
      out.flush();
    }
    assertEquals(List.of(), LocalStandaloneCluster.manifestOpens(plain));
  }
}
