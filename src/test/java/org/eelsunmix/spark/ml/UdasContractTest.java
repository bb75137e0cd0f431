package org.eelsunmix.spark.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.eelsunmix.core.SpectrumImage;
import org.eelsunmix.synth.SyntheticGenerator;
import org.eelsunmix.unmix.Udas;
import org.eelsunmix.unmix.UdasEncoder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * uDAS keeps the stage contract: the distributed fit equals {@link Udas#fit} bit for bit (same driver loop, passes
 * over partitions, every sum order-independent), and on new pixels the trained encoder {@code relu(W1 y / m)}
 * pixel by pixel.
 */
class UdasContractTest extends UnmixingStageContract<UdasModel> {
  /** Bit-identical: every sum the driver sees is a {@link org.eelsunmix.unmix.FixedPointSum}. */
  @Override
  protected double tolerance() {
    return 0;
  }

  @Override
  protected UdasEstimator estimator() {
    return new UdasEstimator().setNumEndmembers(3).setSeed(5).setOuterIterations(3).setEncoderSteps(2);
  }

  @Override
  protected double[][] referenceEndmembers(SpectrumImage image) {
    return Udas.fit(image, estimator().options()).unmixing().endmembers().matrix();
  }

  @Override
  protected double[] referenceTransform(UdasModel model, SpectrumImage image) {
    UdasEncoder kernel = model.encoder();
    int r = kernel.components();
    int b = image.channels();
    double[] out = new double[image.pixels() * r];
    double[] h = new double[r];
    for (int p = 0; p < image.pixels(); p++) {
      kernel.apply(image.data(), p * b, h);
      System.arraycopy(h, 0, out, p * r, r);
    }
    return out;
  }

  /** A co-ru-pt cube (truth R = 3) fitted with R = 4, in memory: the reference of the superfluous-endmember checks. */
  private static final SpectrumImage CUBE = renamed(SyntheticGenerator.generate(SyntheticGenerator.Options
      .builtin("co-ru-pt").withSize(32), 0).image());

  /** Another id than the contract's images (the tables are cached by id). */
  private static SpectrumImage renamed(SpectrumImage image) {
    return new SpectrumImage("udas-superfluous", image.height(), image.width(), image.axis(), image.data());
  }
  private static Udas.Result superfluous;

  private static UdasEstimator superfluousEstimator() {
    return new UdasEstimator().setNumEndmembers(4).setSeed(3).setOuterIterations(3).setEncoderSteps(2);
  }

  private static synchronized Udas.Result superfluousReference() {
    if (superfluous == null) {
      superfluous = Udas.fit(CUBE, superfluousEstimator().options());
    }
    return superfluous;
  }

  /**
   * With R one too large the distributed fit drops the same endmember after the same round as the in-memory fit,
   * bit for bit, for 1, 2 and 5 partitions; saved and loaded, the model keeps the drop, the significances and
   * the zero encoder row, and its maps are the encoder's (zero for the dropped endmember).
   */
  @ParameterizedTest(name = "{0} partitions")
  @ValueSource(ints = {1, 2, 5})
  void aDroppedEndmemberIsTheSameForAnyPartitioningAndSurvivesSaveAndLoad(int partitions, @TempDir Path dir)
      throws Exception {
    Udas.Result expected = superfluousReference();
    assertEquals(1, java.util.Arrays.stream(expected.droppedAt()).filter(k -> k >= 0).count(),
        java.util.Arrays.toString(expected.droppedAt()));
    UdasModel model = superfluousEstimator().fit(table(CUBE, partitions));
    if (partitions == 2) {
      // the param reaches the fit: with the test off nothing is dropped
      UdasModel off = superfluousEstimator().setDropRatio(0).fit(table(CUBE, partitions));
      assertEquals(0, off.summary().dropped().length, off.summaryLine());
    }
    assertArrayEquals(expected.droppedAt(), model.summary().droppedAt());
    assertArrayEquals(expected.significance(), model.summary().significance());
    assertArrayEquals(expected.encoder().encoder(), model.encoder().encoder());
    assertArrayEquals(expected.objectiveHistory(), model.summary().objectiveHistory());
    double[][] endmembers = expected.unmixing().endmembers().matrix();
    for (int r = 0; r < endmembers.length; r++) {
      assertArrayEquals(endmembers[r], model.endmembers().spectrum(r), "endmember " + r);
    }
    String path = dir.resolve("model").toString();
    model.write().save(path);
    UdasModel loaded = UdasModel.load(path);
    assertArrayEquals(model.summary().droppedAt(), loaded.summary().droppedAt());
    assertArrayEquals(model.summary().significance(), loaded.summary().significance());
    assertArrayEquals(expected.encoder().nearZeroRows(), loaded.encoder().nearZeroRows());
    assertEquals(model.summaryLine(), loaded.summaryLine());
    int row = loaded.summary().dropped()[0];
    double[] maps = maps(loaded.transform(table(CUBE, partitions)), CUBE, 4);
    assertArrayEquals(referenceTransform(loaded, CUBE), maps);
    for (int p = 0; p < CUBE.pixels(); p++) {
      assertEquals(0, maps[p * 4 + row], "pixel " + p);
    }
  }
}
