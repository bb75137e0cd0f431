package org.eelsunmix.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.eelsunmix.core.Abundances;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.core.Endmembers;
import org.eelsunmix.core.EnergyAxis;
import org.eelsunmix.synth.SyntheticGenerator.Options;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class SyntheticGeneratorTest {
  private static final Options CO_RU_PT = Options.builtin("co-ru-pt");

  @Test
  void defaultsAreTheDocumentedProtocol() {
    assertEquals(64, CO_RU_PT.size());
    assertEquals(8, CO_RU_PT.block());
    assertEquals(9, CO_RU_PT.filter());
    assertEquals(1e5, CO_RU_PT.dose());
    assertEquals(SyntheticGenerator.DEFAULT_DOSE, CO_RU_PT.dose());
    assertEquals("co-ru-pt", CO_RU_PT.set());
  }

  @Test
  void noiseFreeCubeIsAbundancesTimesEndmembers() {
    SyntheticCube cube = SyntheticGenerator.generate(CO_RU_PT.withDose(SyntheticGenerator.NOISE_FREE), 3);
    checkProduct(cube, 1.0);
    // Noise-free endmembers keep unit sum, so every pixel has unit total.
    double[] pixel = cube.image().spectrum(10, 20);
    assertEquals(1.0, Arrays.stream(pixel).sum(), 1e-5);
  }

  @Test
  void truthIsScaledByTheDose() {
    double dose = 2500.0;
    SyntheticCube cube = SyntheticGenerator.generate(CO_RU_PT.withDose(dose).withSize(32).withFilter(5), 0);
    checkProduct(cube, dose);
  }

  /** The truth endmembers sum to {@code dose}, equal the unit-sum built-ins times the dose, abundances are valid. */
  private static void checkProduct(SyntheticCube cube, double dose) {
    Endmembers unit = BuiltinEndmembers.compute("co-ru-pt");
    Endmembers truth = cube.truthEndmembers();
    assertEquals(unit.names(), truth.names());
    for (int r = 0; r < unit.count(); r++) {
      double[] u = unit.spectrum(r);
      double[] t = truth.spectrum(r);
      assertEquals(dose, Arrays.stream(t).sum(), 1e-12 * dose);
      for (int b = 0; b < u.length; b++) {
        assertEquals(u[b] * dose, t[b], 1e-12 * u[b] * dose);
      }
    }
    Abundances a = cube.truthAbundances();
    for (int p = 0; p < a.pixels(); p++) {
      double sum = 0;
      for (int r = 0; r < a.count(); r++) {
        assertTrue(a.values()[p * a.count() + r] >= 0);
        sum += a.values()[p * a.count() + r];
      }
      assertEquals(1.0, sum, 1e-12);
    }
    if (dose == 1.0) {
      // Noise-free: every value is Σ_r a_r m_r, rounded to float.
      double[][] m = truth.matrix();
      float[] data = cube.image().data();
      int channels = truth.channels();
      for (int p = 0; p < a.pixels(); p++) {
        for (int b = 0; b < channels; b++) {
          double x = 0;
          for (int r = 0; r < a.count(); r++) {
            x += a.values()[p * a.count() + r] * m[r][b];
          }
          assertEquals((float) x, data[p * channels + b], Math.ulp((float) x), "pixel " + p + " channel " + b);
        }
      }
    }
  }

  /**
   * Poisson counts: integers, and the counts per pixel total Poisson(dose) because the mixture has unit total, so
   * the image-wide total has mean P·D and standard deviation sqrt(P·D); the per-channel means over the image
   * equal those of A·M within 5 standard errors.
   */
  @Test
  void noisyCubeHasPoissonStatistics() {
    double dose = 1e4;
    SyntheticCube cube = SyntheticGenerator.generate(CO_RU_PT.withDose(dose), 1);
    float[] data = cube.image().data();
    double total = 0;
    for (float v : data) {
      assertEquals(Math.rint(v), v, 0.0, "counts are whole numbers");
      assertTrue(v >= 0);
      total += v;
    }
    int pixels = cube.image().pixels();
    double expected = pixels * dose;
    assertTrue(Math.abs(total - expected) < 5 * Math.sqrt(expected), "total " + total + " vs " + expected);

    // Channel by channel over the image: Σ_p y_pb ~ Poisson(Σ_p x_pb).
    int channels = cube.image().channels();
    double[][] m = cube.truthEndmembers().matrix();
    double[] a = cube.truthAbundances().values();
    int r = m.length;
    for (int b = 0; b < channels; b += 7) {
      double mean = 0;
      double observed = 0;
      for (int p = 0; p < pixels; p++) {
        for (int k = 0; k < r; k++) {
          mean += a[p * r + k] * m[k][b];
        }
        observed += data[p * channels + b];
      }
      assertTrue(Math.abs(observed - mean) < 5 * Math.sqrt(mean), "channel " + b);
    }
  }

  @Test
  void sameSeedGivesABitIdenticalCube() {
    Options o = Options.builtin("k-edges").withSize(32).withBlock(4).withFilter(3).withSeed(77);
    SyntheticCube a = SyntheticGenerator.generate(o, 5);
    SyntheticCube b = SyntheticGenerator.generate(o, 5);
    assertArrayEquals(a.image().data(), b.image().data());
    assertArrayEquals(a.truthAbundances().values(), b.truthAbundances().values());
    assertEquals(a.truthEndmembers(), b.truthEndmembers());
    assertEquals(a.seed(), b.seed());
    assertEquals("k-edges-r0005", a.image().id());

    SyntheticCube otherReplicate = SyntheticGenerator.generate(o, 6);
    assertFalse(Arrays.equals(a.image().data(), otherReplicate.image().data()));
    SyntheticCube otherSeed = SyntheticGenerator.generate(o.withSeed(78), 5);
    assertFalse(Arrays.equals(a.truthAbundances().values(), otherSeed.truthAbundances().values()));
  }

  @Test
  void mapsDoNotDependOnTheDose() {
    SyntheticCube low = SyntheticGenerator.generate(CO_RU_PT.withDose(100), 2);
    SyntheticCube clean = SyntheticGenerator.generate(CO_RU_PT.withDose(SyntheticGenerator.NOISE_FREE), 2);
    assertArrayEquals(low.truthAbundances().values(), clean.truthAbundances().values());
    assertEquals(low.seed(), clean.seed());
  }

  @Test
  void replicateSeedIsTheSplitMix64Sequence() {
    // SplittableRandom(seed).nextLong() is SplitMix64: mix64(seed + k·γ) for k = 1, 2, … — an independent
    // reference for the documented derivation.
    for (long seed : new long[] {0, 1, -5, 123456789L}) {
      SplittableRandom reference = new SplittableRandom(seed);
      for (int replicate = 0; replicate < 5; replicate++) {
        assertEquals(reference.nextLong(), SyntheticGenerator.replicateSeed(seed, replicate));
      }
    }
    assertEquals("co-ru-pt-r0007", SyntheticGenerator.acquisitionId("co-ru-pt", 7));
    assertEquals("my-set-r12345", SyntheticGenerator.acquisitionId(" my set ", 12345));
  }

  @Test
  void userEndmembersOfAnyScaleAreNormalised() {
    EnergyAxis axis = EnergyAxis.ofEv(100, 1, 3);
    Endmembers e = new Endmembers(new double[][] {{2, 2, 4}, {0, 30, 10}}, List.of("a", "b"), axis);
    Options o = new Options("mine", e, 4, 2, 1, SyntheticGenerator.NOISE_FREE, 9);
    SyntheticCube cube = SyntheticGenerator.generate(o, 0);
    assertArrayEquals(new double[] {0.25, 0.25, 0.5}, cube.truthEndmembers().spectrum(0), 1e-15);
    assertArrayEquals(new double[] {0, 0.75, 0.25}, cube.truthEndmembers().spectrum(1), 1e-15);
    // k = 1 keeps the maps pure: every pixel is one of the two endmembers.
    for (int p = 0; p < 16; p++) {
      double[] s = cube.image().spectrum(p / 4, p % 4);
      assertTrue(s[0] == 0.25f || s[0] == 0f, Arrays.toString(s));
    }
  }

  @Test
  void badOptionsNameTheOption() {
    assertOption("size", () -> CO_RU_PT.withSize(0));
    assertOption("size", () -> CO_RU_PT.withSize(200_000));
    assertOption("block", () -> CO_RU_PT.withBlock(7));
    assertOption("block", () -> CO_RU_PT.withBlock(0));
    assertOption("block", () -> CO_RU_PT.withBlock(128));
    assertOption("filter", () -> CO_RU_PT.withFilter(4));
    assertOption("filter", () -> CO_RU_PT.withFilter(-1));
    assertOption("filter", () -> CO_RU_PT.withSize(8).withFilter(9));
    assertOption("dose", () -> CO_RU_PT.withDose(0));
    assertOption("dose", () -> CO_RU_PT.withDose(-3));
    assertOption("dose", () -> CO_RU_PT.withDose(Double.NaN));
    assertOption("dose", () -> CO_RU_PT.withDose(1e300));
    assertOption("set", () -> Options.builtin("nonsense"));
    EnergyAxis axis = EnergyAxis.ofEv(100, 1, 2);
    assertOption("set", () -> Options.of("neg", new Endmembers(new double[][] {{1, -1}}, null, axis)));
    assertOption("set", () -> Options.of("zero", new Endmembers(new double[][] {{0, 0}}, null, axis)));
    assertOption("replicate", () -> SyntheticGenerator.generate(CO_RU_PT, -1));
    BadInputException e = assertThrows(BadInputException.class, () -> CO_RU_PT.withBlock(7));
    assertTrue(e.getMessage().contains("divide") && e.getMessage().contains("64"), e.getMessage());
  }

  private static void assertOption(String option, Executable bad) {
    BadInputException e = assertThrows(BadInputException.class, bad);
    assertEquals(option, e.source(), e.getMessage());
  }

  @Test
  void settingsByNameChangeOneOptionAndNameTheBadOne() {
    SyntheticGenerator.Options o = SyntheticGenerator.Options.builtin("co-ru-pt");
    SyntheticGenerator.Options changed = o.with("size", "32").with("block", "4").with("filter", "3")
        .with("dose", "Infinity").with("seed", "9");
    assertEquals(new SyntheticGenerator.Options("co-ru-pt", o.endmembers(), 32, 4, 3,
        SyntheticGenerator.NOISE_FREE, 9), changed);
    BadInputException unknown = assertThrows(BadInputException.class,
        () -> o.with("colour", "red"));
    assertTrue(unknown.getMessage().contains("colour"), unknown.getMessage());
    BadInputException notNumber = assertThrows(BadInputException.class,
        () -> o.with("dose", "lots"));
    assertTrue(notNumber.getMessage().contains("dose") && notNumber.getMessage().contains("lots"));
  }
}
