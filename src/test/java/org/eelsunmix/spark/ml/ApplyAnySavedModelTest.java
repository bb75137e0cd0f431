package org.eelsunmix.spark.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.eelsunmix.cli.Main;
import org.eelsunmix.core.SpectrumImage;
import org.eelsunmix.io.NpyArray;
import org.eelsunmix.io.NpyReader;
import org.eelsunmix.spark.PixelSchema;
import org.eelsunmix.spark.SeriesStore;
import org.eelsunmix.spark.SpectrumColumn;
import org.eelsunmix.spark.TestSpark;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Through the command line, for every method that is quick enough here: {@code unmix} on acquisition A, then
 * {@code apply} of that output to acquisition B, then {@code export} of the {@code apply} output. The exported maps
 * of B must equal the in-memory transform of B with the saved model (the reference of the method's stage contract).
 */
class ApplyAnySavedModelTest {
  private static final String A = "co-ru-pt-r0000";
  private static final String B = "co-ru-pt-r0001";
  private static final Map<String, UnmixingStageContract<?>> REFERENCES = Map.of("vca-fcls",
      new VcaFclsContractTest(), "nmf", new NmfContractTest(), "ica", new IcaContractTest(), "daeu",
      new DaeuContractTest(), "mtaeu", new MtaeuContractTest(), "blu", new BluContractTest());

  @ParameterizedTest
  @ValueSource(strings = {"vca-fcls", "nmf", "ica", "daeu", "mtaeu", "blu"})
  void applyOfASavedModelToTheNextAcquisitionEqualsTheInMemoryTransform(String method, @TempDir Path dir)
      throws Exception {
    String store = dir.resolve("series").toString();
    run("generate", "--size", "16", "--block", "4", "--filter", "3", "--replicates", "2", "--seed", "3", "--out",
        store);
    String fitted = dir.resolve("fitted").toString();
    String[] quick = method.endsWith("aeu") ? new String[] {"--epochs", "2", "--samples", "60", "--restarts", "1"}
        : method.equals("blu") ? new String[] {"--sweeps", "8", "--burn-in", "3"} : new String[0];
    run(concat(new String[] {"unmix", "--store", store, "--acquisition", A, "--method", method, "-R", "3",
        "--seed", "1", "--out", fitted}, quick));
    String applied = dir.resolve("applied").toString();
    run("apply", "--model", fitted, "--store", store, "--acquisition", B, "--out", applied);
    Path exported = dir.resolve("exported");
    run("export", "--results", applied, "--store", store, "--acquisition", B, "--to", exported.toString());

    UnmixingModel<?> model = UnmixingModel.load(TestSpark.session(), applied);
    assertEquals(method, model.method());
    assertEquals(UnmixingModel.load(TestSpark.session(), fitted).uid(), model.uid());
    double[] expected = reference(method, model, image(store, B));
    NpyArray maps = NpyReader.read(exported.resolve("abundances.npy"));
    double[] actual = maps.doubles();
    assertEquals(expected.length, actual.length);
    double scale = 0;
    for (double v : expected) {
      scale = Math.max(scale, Math.abs(v));
    }
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], actual[i], 1e-6 * Math.max(1, scale), method + ", abundance " + i);
    }
    assertTrue(Files.isRegularFile(exported.resolve("endmembers.npy")));
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static double[] reference(String method, UnmixingModel<?> model, SpectrumImage image) {
    UnmixingStageContract contract = REFERENCES.get(method);
    return contract.referenceTransform(model, image);
  }

  /** Acquisition {@code id} of the store as an in-memory image (16 × 16 here). */
  private static SpectrumImage image(String store, String id) {
    var pixels = new SeriesStore(TestSpark.session(), store).pixels(List.of(id));
    var axis = SpectrumColumn.axisOf(pixels.schema(), PixelSchema.SPECTRUM);
    List<Row> rows = pixels.select(PixelSchema.X, PixelSchema.Y, PixelSchema.SPECTRUM).collectAsList();
    int w = 0;
    int h = 0;
    for (Row r : rows) {
      w = Math.max(w, r.getInt(0) + 1);
      h = Math.max(h, r.getInt(1) + 1);
    }
    int b = axis.channels();
    float[] data = new float[w * h * b];
    for (Row r : rows) {
      List<Object> y = r.getList(2);
      int p = r.getInt(1) * w + r.getInt(0);
      for (int c = 0; c < b; c++) {
        data[p * b + c] = ((Number) y.get(c)).floatValue();
      }
    }
    return new SpectrumImage(id, h, w, axis, data);
  }

  private static void run(String... args) {
    TestSpark.session();
    StringWriter err = new StringWriter();
    int code = Main.execute(args, true, new PrintWriter(err, true));
    assertEquals(0, code, String.join(" ", args) + ": " + err);
  }

  private static String[] concat(String[] a, String[] b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
