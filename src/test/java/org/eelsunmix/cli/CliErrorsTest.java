package org.eelsunmix.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.eelsunmix.core.EnergyAxis;
import org.eelsunmix.core.SpectrumImage;
import org.eelsunmix.io.NpyAcquisition;
import org.eelsunmix.io.NpyWriter;
import org.eelsunmix.spark.Acquisition;
import org.eelsunmix.spark.PixelSchema;
import org.eelsunmix.spark.TestSpark;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input at the command line: one clear line naming the file or option, exit code 2, nothing written. */
class CliErrorsTest {

  static void assertRefused(CliTestSupport.Run run, String... mentions) {
    assertEquals(2, run.code(), "exit code; stderr: " + run.err());
    String first = run.err().lines().findFirst().orElse("");
    assertTrue(first.startsWith("error: "), run.err());
    for (String m : mentions) {
      assertTrue(first.contains(m), "'" + m + "' not in: " + first);
    }
  }

  static Path cubeFolder(Path dir, String name, float[] values, int rows, int cols, int channels) throws Exception {
    Path f = dir.resolve(name);
    NpyAcquisition.write(f, new SpectrumImage("x", rows, cols, EnergyAxis.ofEv(100, 1, channels),
        new float[rows * cols * channels]), null, null);
    NpyWriter.write(f.resolve("cube.npy"), new int[] {rows, cols, channels}, values); // may hold NaN or negatives
    return f;
  }

  /** A hand-made .npy header + body (for dtypes our writer does not produce). */
  static void rawNpy(Path file, String descr, String shape, byte[] body) throws Exception {
    String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
    int len = dict.length() + 1;
    int pad = (64 - (10 + len) % 64) % 64;
    String header = dict + " ".repeat(pad) + "\n";
    ByteBuffer bb = ByteBuffer.allocate(10 + header.length() + body.length).order(ByteOrder.LITTLE_ENDIAN);
    bb.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0);
    bb.putShort((short) header.length()).put(header.getBytes(StandardCharsets.US_ASCII)).put(body);
    Files.write(file, bb.array());
  }

  @Test
  void badNpyFoldersNameTheFileAndWriteNothing(@TempDir Path dir) throws Exception {
    String store = dir.resolve("store").toString();
    assertRefused(CliTestSupport.run("import-npy", "--input", dir.resolve("missing").toString(), "--store", store),
        "missing");

    float[] nan = new float[2 * 3 * 4];
    nan[13] = Float.NaN;
    Path f = cubeFolder(dir, "nan", nan, 2, 3, 4);
    assertRefused(CliTestSupport.run("import-npy", "--input", f.toString(), "--store", store), "cube.npy", "NaN");

    float[] inf = new float[2 * 3 * 4];
    inf[0] = Float.POSITIVE_INFINITY;
    f = cubeFolder(dir, "inf", inf, 2, 3, 4);
    assertRefused(CliTestSupport.run("import-npy", "--input", f.toString(), "--store", store), "cube.npy");

    float[] negative = new float[2 * 3 * 4];
    negative[5] = -1;
    f = cubeFolder(dir, "negative", negative, 2, 3, 4);
    assertRefused(CliTestSupport.run("import-npy", "--input", f.toString(), "--store", store), "cube.npy",
        "negative");

    f = cubeFolder(dir, "complex", new float[24], 2, 3, 4);
    rawNpy(f.resolve("cube.npy"), "<c8", "(2, 3, 4)", new byte[2 * 3 * 4 * 8]);
    assertRefused(CliTestSupport.run("import-npy", "--input", f.toString(), "--store", store), "cube.npy",
        "complex");

    f = cubeFolder(dir, "flat", new float[24], 2, 3, 4);
    NpyWriter.write(f.resolve("cube.npy"), new int[] {6, 4}, new float[24]);
    assertRefused(CliTestSupport.run("import-npy", "--input", f.toString(), "--store", store), "cube.npy", "3-D");

    f = cubeFolder(dir, "truncated", new float[24], 2, 3, 4);
    byte[] bytes = Files.readAllBytes(f.resolve("cube.npy"));
    Files.write(f.resolve("cube.npy"), java.util.Arrays.copyOf(bytes, bytes.length - 10));
    assertRefused(CliTestSupport.run("import-npy", "--input", f.toString(), "--store", store), "cube.npy",
        "truncated");

    // One good and one bad folder: the good one is not written either (strict, before anything is written).
    Path good = cubeFolder(dir, "good", new float[24], 2, 3, 4);
    assertRefused(CliTestSupport.run("import-npy", "--input", good.toString(), "--input",
        dir.resolve("nan").toString(), "--store", store), "NaN");
    assertFalse(Files.exists(Path.of(store)), "nothing may be written after a refused import");
  }

  @Test
  void impossibleOptionsAreNamed(@TempDir Path dir) {
    String store = dir.resolve("series").toString();
    assertEquals(0, CliTestSupport.run("generate", "--size", "8", "--block", "4", "--filter", "3", "--out", store)
        .code());
    String out = dir.resolve("out").toString();
    assertRefused(CliTestSupport.run("unmix", "--store", store, "--endmembers", "500", "--out", out),
        "--endmembers", "200 channels");
    assertRefused(CliTestSupport.run("unmix", "--store", store, "--endmembers", "0", "--out", out), "--endmembers");
    assertRefused(CliTestSupport.run("unmix", "--store", store, "--method", "magic", "--out", out), "--method",
        "vca-fcls");
    assertRefused(CliTestSupport.run("unmix", "--store", store, "--acquisition", "nope", "--out", out),
        "--acquisition", "nope");
    assertRefused(CliTestSupport.run("unmix", "--store", dir.resolve("nowhere").toString(), "--out", out),
        "nowhere");
    assertFalse(Files.exists(Path.of(out)), "a refused unmix writes nothing");

    assertRefused(CliTestSupport.run("generate", "--size", "10", "--block", "4", "--out", store), "--block");
    assertRefused(CliTestSupport.run("generate", "--filter", "4", "--out", store), "--filter");
    assertRefused(CliTestSupport.run("generate", "--dose", "-5", "--out", store), "--dose");
    assertRefused(CliTestSupport.run("generate", "--set", "gold", "--out", store), "--set", "co-ru-pt");
    assertRefused(CliTestSupport.run("evaluate", "--replicates", "0", "--out", out), "--replicates");
    assertRefused(CliTestSupport.run("evaluate", "--method", "magic", "--out", out), "--method");
    CliTestSupport.Run usage = CliTestSupport.run("unmix", "--no-such-option");
    assertEquals(2, usage.code());
  }

  @Test
  void aColumnOfTheWrongTypeIsNamed(@TempDir Path dir) {
    SparkSession spark = TestSpark.session();
    String store = dir.resolve("store").toString();
    StructType wrong = new StructType().add("acquisition_id", DataTypes.StringType).add("x", DataTypes.IntegerType)
        .add("y", DataTypes.IntegerType).add("spectrum", DataTypes.createArrayType(DataTypes.StringType));
    spark.createDataFrame(List.of(RowFactory.create("a", 0, 0, new String[] {"1", "2"})), wrong).write()
        .partitionBy("acquisition_id").parquet(store + "/pixels");
    spark.createDataFrame(List.of(new Acquisition("a", null, null, 1, 1, EnergyAxis.ofEv(0, 1, 2), null, "npy")
        .toRow()), PixelSchema.ACQUISITIONS).write().partitionBy("acquisition_id").parquet(store + "/acquisitions");
    assertRefused(CliTestSupport.run("unmix", "--store", store, "-R", "1", "--out", dir.resolve("o").toString()),
        "pixels", "'spectrum'", "array<string>");
  }
}
