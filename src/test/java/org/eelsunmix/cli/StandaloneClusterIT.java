package org.eelsunmix.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eelsunmix.autoencoder.Mtaeu;
import org.eelsunmix.autoencoder.MtaeuOptions;
import org.eelsunmix.core.Abundances;
import org.eelsunmix.core.SpectrumImage;
import org.eelsunmix.io.NpyArray;
import org.eelsunmix.io.NpyReader;
import org.eelsunmix.synth.SyntheticCube;
import org.eelsunmix.synth.SyntheticGenerator;
import org.eelsunmix.unmix.Fcls;
import org.eelsunmix.unmix.Vca;
import org.eelsunmix.spark.standalone.LocalStandaloneCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The commands on a real Spark standalone cluster on 127.0.0.1: a master and two one-core workers started from
 * the test class path (as {@code $SPARK_HOME/jars}), jobs submitted with {@code SparkSubmit} and the project jar
 * through the spark-submit entry point ({@link SubmitMain}). The distributed result must equal the in-memory
 * kernels on the same cube and seed. Each JVM here (master, workers, executors, driver) is a separate process; this
 * test JVM runs no Spark at all; the cluster is a {@link LocalStandaloneCluster}.
 */
class StandaloneClusterIT {
  static LocalStandaloneCluster cluster;
  static Path work;

  @BeforeAll
  static void startCluster() throws Exception {
    cluster = ClusterForTests.start(2);
    work = cluster.work();
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close(); // every process it started, and its temporary folder
    }
  }

  /** spark-submit (client mode) of one eels-unmix command; returns its output. */
  static String submit(String name, String... args) throws Exception {
    Path log = work.resolve(name + ".log");
    Process p = cluster.submit(log, List.of(), args);
    assertTrue(p.waitFor(300, TimeUnit.SECONDS), name + " did not finish");
    String out = Files.readString(log);
    assertEquals(0, p.exitValue(), name + " failed:\n" + out);
    return out;
  }

  @Test
  void clusterRunEqualsInMemoryKernels() throws Exception {
    String store = work.resolve("series").toString();
    String results = work.resolve("results").toString();
    Path exported = work.resolve("exported");
    submit("generate", "generate", "--set", "co-ru-pt", "--replicates", "3", "--size", "32", "--block", "8",
        "--seed", "11", "--out", store);
    String unmix = submit("unmix", "unmix", "--store", store, "--acquisition", "co-ru-pt-r0002", "-R", "3", "--seed",
        "4", "--out", results);
    assertTrue(unmix.contains("1024 pixels unmixed"), unmix);
    submit("export", "export", "--results", results, "--store", store, "--to", exported.toString());

    SyntheticCube cube = SyntheticGenerator.generate(SyntheticGenerator.Options.builtin("co-ru-pt").withSize(32)
        .withSeed(11), 2);
    Vca.Result vca = Vca.fit(cube.image(), new Vca.Options(3, 4));
    NpyArray m = NpyReader.read(exported.resolve("endmembers.npy"));
    double[][] expected = vca.endmembers().matrix();
    for (int r = 0; r < 3; r++) {
      double[] got = Arrays.copyOfRange(m.doubles(), r * 200, r * 200 + 200);
      for (int b = 0; b < 200; b++) {
        assertEquals(expected[r][b], got[b], 1e-9 * Math.abs(expected[r][b]) + 1e-12, "endmember " + r);
      }
    }
    Abundances reference = new Fcls(expected).unmix(cube.image());
    NpyArray a = NpyReader.read(exported.resolve("abundances.npy"));
    assertArrayEquals(new int[] {32, 32, 3}, a.shape());
    for (int i = 0; i < a.doubles().length; i++) {
      assertEquals(reference.values()[i], a.doubles()[i], 1e-8, "abundance " + i);
    }

    // MTAEU on the cluster: neighbourhoods drawn from the rows on two executors, trained in one task, encoded per
    // pixel on the executors: the same network and maps as training on the cube in memory.
    String mtaeu = work.resolve("mtaeu").toString();
    Path mtaeuExported = work.resolve("mtaeu-exported");
    submit("unmix-mtaeu", "unmix", "--store", store, "--acquisition", "co-ru-pt-r0001", "--method", "mtaeu", "-R",
        "3", "--seed", "4", "--epochs", "2", "--samples", "150", "--restarts", "1", "--out", mtaeu);
    submit("export-mtaeu", "export", "--results", mtaeu, "--store", store, "--to", mtaeuExported.toString());
    SpectrumImage second = SyntheticGenerator.generate(SyntheticGenerator.Options.builtin("co-ru-pt").withSize(32)
        .withSeed(11), 1).image();
    Abundances inMemory = Mtaeu.train(second, new MtaeuOptions(3, 4).withEpochs(2).withSamples(150)).unmixing()
        .abundances();
    NpyArray maps = NpyReader.read(mtaeuExported.resolve("abundances.npy"));
    for (int i = 0; i < maps.doubles().length; i++) {
      assertEquals(inMemory.values()[i], maps.doubles()[i], 1e-9, "MTAEU abundance " + i);
    }
  }
}
