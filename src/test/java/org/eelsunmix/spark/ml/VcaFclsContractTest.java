package org.eelsunmix.spark.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.eelsunmix.core.SpectrumImage;
import org.eelsunmix.spark.TestSpark;
import org.eelsunmix.unmix.Fcls;
import org.eelsunmix.unmix.Vca;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * VCA-FCLS keeps the stage contract: VCA's endmembers of {@link Vca#fit}, FCLS abundances of {@link Fcls}. With the
 * default 5 restarts from seed 5 the contract cube's restarts find different sets and restart 1 is kept, so the
 * contract's distributed-equals-in-memory check covers the choice; the checks below add the losses, the kept
 * restart and a single restart, for 1, 2 and 7 partitions.
 */
class VcaFclsContractTest extends UnmixingStageContract<VcaFclsModel> {
  @Override
  protected VcaFcls estimator() {
    return new VcaFcls().setNumEndmembers(3).setSeed(5);
  }

  @Override
  protected double[][] referenceEndmembers(SpectrumImage image) {
    return Vca.fit(image, new Vca.Options(3, 5)).endmembers().matrix();
  }

  @Override
  protected double[] referenceTransform(VcaFclsModel model, SpectrumImage image) {
    return new Fcls(model.endmembers().matrix()).unmix(image).values();
  }

  @ParameterizedTest(name = "{0} partitions")
  @ValueSource(ints = {1, 2, 7})
  void theRestartsLossesAndTheKeptOneAreTheInMemoryKernels(int partitions) {
    Vca.Result reference = Vca.fit(FIRST, new Vca.Options(3, 5, Double.NaN, 4));
    VcaFclsModel model = estimator().setRestarts(4).fit(table(FIRST, partitions));
    assertEquals(reference.kept(), model.keptRestart());
    assertTrue(reference.kept() > 0, "a later restart wins on this cube: kept " + reference.kept());
    double[] expected = reference.restartLosses();
    double[] actual = model.restartLosses();
    assertEquals(4, actual.length);
    for (int k = 0; k < 4; k++) {
      assertEquals(expected[k], actual[k], 1e-9 * expected[k], "restart " + k);
    }
    assertRowsClose(reference.endmembers().matrix(), model.endmembers().matrix(), 1e-9, "kept endmembers");
    assertEquals(4, model.getRestarts());
    assertTrue(model.summaryLine().contains("kept restart " + reference.kept() + " (seed " + (5 + reference.kept())
        + ")"), model.summaryLine());
  }

  @ParameterizedTest(name = "{0} partitions")
  @ValueSource(ints = {1, 2, 7})
  void oneRestartIsOneVca(int partitions) {
    VcaFclsModel model = estimator().setRestarts(1).fit(table(FIRST, partitions));
    double[][] single = Vca.fit(FIRST, new Vca.Options(3, 5).withRestarts(1)).endmembers().matrix();
    assertRowsClose(single, model.endmembers().matrix(), 1e-9, "endmembers");
    assertEquals(0, model.keptRestart());
    assertTrue(Double.isNaN(model.restartLosses()[0]));
    assertTrue(model.summaryLine().endsWith("; 1 restart"), model.summaryLine());
  }

  @Test
  void theLossesAndTheKeptRestartAreSavedInTheMetadata(@TempDir Path dir) throws Exception {
    VcaFclsModel model = fitted();
    String path = dir.resolve("model").toString();
    model.write().save(path);
    String metadata = TestSpark.session().read().text(path + "/metadata").first().getString(0);
    assertTrue(metadata.contains("\"restartLosses\"") && metadata.contains("\"keptRestart\":1"), metadata);
    VcaFclsModel loaded = VcaFclsModel.load(path);
    assertArrayEquals(model.restartLosses(), loaded.restartLosses(), 0);
    assertEquals(model.keptRestart(), loaded.keptRestart());
    assertEquals(Vca.DEFAULT_RESTARTS, loaded.getRestarts());
  }
}
