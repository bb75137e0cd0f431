package org.eelsunmix.io;

import static org.eelsunmix.io.NpyTestBytes.float32;
import static org.eelsunmix.io.NpyTestBytes.ints;
import static org.eelsunmix.io.NpyTestBytes.npy;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.eelsunmix.core.Abundances;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.core.Endmembers;
import org.eelsunmix.core.EnergyAxis;
import org.eelsunmix.core.SpectrumImage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyAcquisitionTest {
  private static final int ROWS = 4;
  private static final int COLS = 5;
  private static final int CHANNELS = 32;
  private static final int R = 3;
  private static final EnergyAxis AXIS = EnergyAxis.ofEv(283.5, 0.25, CHANNELS);

  @TempDir
  Path root;
  Path folder;
  SpectrumImage image;
  Endmembers gtE;
  Abundances gtA;

  @BeforeEach
  void makeAcquisition() throws IOException {
    folder = Files.createDirectory(root.resolve("acq-01"));
    Random rnd = new Random(3);
    double[][] m = new double[R][CHANNELS];
    for (double[] row : m) {
      for (int b = 0; b < CHANNELS; b++) {
        row[b] = 100 * rnd.nextDouble();
      }
    }
    gtE = new Endmembers(m, null, AXIS);
    double[] a = new double[ROWS * COLS * R];
    float[] counts = new float[ROWS * COLS * CHANNELS];
    for (int p = 0; p < ROWS * COLS; p++) {
      double sum = 0;
      for (int r = 0; r < R; r++) {
        a[p * R + r] = rnd.nextDouble();
        sum += a[p * R + r];
      }
      for (int r = 0; r < R; r++) {
        a[p * R + r] /= sum;
        for (int b = 0; b < CHANNELS; b++) {
          counts[p * CHANNELS + b] += (float) (a[p * R + r] * m[r][b]);
        }
      }
    }
    gtA = new Abundances(ROWS, COLS, R, a);
    image = new SpectrumImage("acq-01", ROWS, COLS, AXIS, counts);
  }

  /** Reads {@code folder} expecting a BadInputException whose message starts with {@code file} and has {@code fragment}. */
  private BadInputException refused(Path file, String fragment, EnergyAxis fallback) {
    BadInputException e = assertThrows(BadInputException.class, () -> NpyAcquisition.read(folder, "x", fallback));
    assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
    assertTrue(e.getMessage().contains(fragment), e.getMessage());
    return e;
  }

  private BadInputException refused(Path file, String fragment) {
    return refused(file, fragment, null);
  }

  private Path cube() {
    return folder.resolve(NpyAcquisition.CUBE);
  }

  private Path energy() {
    return folder.resolve(NpyAcquisition.ENERGY);
  }

  @Test
  void roundTripKeepsValuesAndGeometry() throws IOException {
    NpyAcquisition.write(folder, image, gtE, gtA);
    NpyAcquisition back = NpyAcquisition.read(folder, "acq-01", null);
    SpectrumImage si = back.image();
    assertEquals("acq-01", si.id());
    assertEquals(ROWS, si.height());
    assertEquals(COLS, si.width());
    assertArrayEquals(image.data(), si.data());
    assertEquals(CHANNELS, si.axis().channels());
    assertEquals(283.5, si.axis().offset(), 1e-12);
    assertEquals(0.25, si.axis().scale(), 1e-15);
    assertEquals("eV", si.axis().units());
    assertArrayEquals(gtE.matrix(), back.groundTruthEndmembers().matrix());
    assertArrayEquals(gtA.values(), back.groundTruthAbundances().values());
    assertEquals(R, back.groundTruthAbundances().count());
    // Exported dtypes: cube float32, the rest float64.
    assertEquals(NumericType.FLOAT32, NpyHeader.read(cube()).dtype());
    assertEquals(NumericType.FLOAT64, NpyHeader.read(energy()).dtype());
    assertArrayEquals(new long[] {R, CHANNELS}, NpyHeader.read(folder.resolve("endmembers_gt.npy")).shape());
    assertArrayEquals(new long[] {ROWS, COLS, R}, NpyHeader.read(folder.resolve("abundances_gt.npy")).shape());
  }

  @Test
  void idDefaultsToTheFolderName() throws IOException {
    NpyAcquisition.write(folder, image, null, null);
    assertEquals("acq-01", NpyAcquisition.read(folder, null, null).image().id());
  }

  @Test
  void rewritingWithoutGroundTruthRemovesTheOldOne() throws IOException {
    NpyAcquisition.write(folder, image, gtE, gtA);
    NpyAcquisition.write(folder, image, null, null);
    NpyAcquisition back = NpyAcquisition.read(folder, "a", null);
    assertNull(back.groundTruthEndmembers());
    assertNull(back.groundTruthAbundances());
    assertFalse(Files.exists(folder.resolve(NpyAcquisition.ENDMEMBERS_GT)));
  }

  @Test
  void writeRefusesMismatchedGroundTruthBeforeWritingAnything() throws IOException {
    Abundances wrongSize = new Abundances(ROWS, COLS + 1, R, new double[ROWS * (COLS + 1) * R]);
    assertThrows(IllegalArgumentException.class, () -> NpyAcquisition.write(folder, image, gtE, wrongSize));
    Abundances wrongR = new Abundances(ROWS, COLS, R + 1, new double[ROWS * COLS * (R + 1)]);
    assertThrows(IllegalArgumentException.class, () -> NpyAcquisition.write(folder, image, gtE, wrongR));
    assertFalse(Files.exists(cube()));
  }

  @Test
  void handBuiltIntegerCubeWithFallbackAxis() throws IOException {
    // A uint16 big-endian cube of 2 x 3 pixels x 4 channels, value = 1000*y + 100*x + channel.
    long[] v = new long[24];
    for (int i = 0; i < 24; i++) {
      v[i] = 1000L * (i / 12) + 100L * (i / 4 % 3) + i % 4;
    }
    NpyTestBytes.write(cube(), npy(">u2", false, "(2, 3, 4)", ints(2, ByteOrder.BIG_ENDIAN, v)));
    EnergyAxis fallback = EnergyAxis.ofEv(500, 1, 4);
    NpyAcquisition acq = NpyAcquisition.read(folder, "h", fallback);
    assertSame(fallback, acq.image().axis());
    assertArrayEquals(new double[] {1201, 1202}, new double[] {acq.image().spectrum(1, 2)[1],
        acq.image().spectrum(1, 2)[2]});
    assertNull(acq.groundTruthEndmembers());

    refused(cube(), "the cube has 4 channels but the energy axis given on the command line has 32", AXIS);
  }

  @Test
  void fortranOrderedCubeIsReadInPixelOrder() throws IOException {
    // Shape (2, 3, 4) in Fortran order: y fastest, then x, then channel.
    float[] stored = new float[24];
    int n = 0;
    for (int c = 0; c < 4; c++) {
      for (int x = 0; x < 3; x++) {
        for (int y = 0; y < 2; y++) {
          stored[n++] = 1000 * y + 100 * x + c;
        }
      }
    }
    NpyTestBytes.write(cube(), npy("<f4", true, "(2, 3, 4)", float32(ByteOrder.LITTLE_ENDIAN, stored)));
    SpectrumImage si = NpyAcquisition.read(folder, "f", EnergyAxis.ofEv(0, 1, 4)).image();
    assertArrayEquals(new double[] {1200, 1201, 1202, 1203}, si.spectrum(1, 2));
    assertArrayEquals(new double[] {100, 101, 102, 103}, si.spectrum(0, 1));
  }

  @Test
  void noEnergyAxisAtAll() throws IOException {
    NpyAcquisition.write(folder, image, null, null);
    Files.delete(energy());
    BadInputException e = refused(energy(), "no energy axis");
    assertTrue(e.getMessage().endsWith("no energy axis: add energy.npy or give --energy-offset and "
        + "--energy-scale"), e.getMessage());
    assertEquals(AXIS, NpyAcquisition.read(folder, "x", AXIS).image().axis());
  }

  @Test
  void energyFileWinsOverTheFallback() throws IOException {
    NpyAcquisition.write(folder, image, null, null);
    EnergyAxis other = EnergyAxis.ofEv(0, 1, CHANNELS);
    assertEquals(283.5, NpyAcquisition.read(folder, "x", other).image().axis().offset(), 1e-12);
  }

  @Test
  void missingFolderAndMissingCube() throws IOException {
    Path nowhere = root.resolve("nowhere");
    BadInputException e = assertThrows(BadInputException.class, () -> NpyAcquisition.read(nowhere, "x", AXIS));
    assertEquals(nowhere + ": no such folder", e.getMessage());
    refused(cube(), "missing: an npy acquisition folder needs cube.npy", AXIS);
  }

  @Test
  void cubeMustBeThreeDimensional() throws IOException {
    NpyWriter.write(cube(), new int[] {20, 32}, new float[640]);
    refused(cube(), "the cube must be 3-D (rows, cols, channels), found shape (20, 32)", AXIS);
    NpyWriter.write(cube(), new int[] {0, 5, 32}, new float[0]);
    refused(cube(), "the cube is empty", AXIS);
  }

  @Test
  void energyFileMustMatchTheCube() throws IOException {
    NpyAcquisition.write(folder, image, null, null);
    NpyWriter.write(energy(), new int[] {CHANNELS - 1}, new double[CHANNELS - 1]);
    refused(energy(), "31 energies but cube.npy has 32 channels");
    NpyWriter.write(energy(), new int[] {1, CHANNELS}, AXIS.energies());
    refused(energy(), "must be 1-D");
  }

  @Test
  void energyMustBeStrictlyMonotonic() throws IOException {
    NpyAcquisition.write(folder, image, null, null);
    double[] e = AXIS.energies();
    e[10] = e[9];
    NpyWriter.write(energy(), new int[] {CHANNELS}, e);
    refused(energy(), "strictly monotonic");
    e = AXIS.energies();
    e[20] = e[18];
    NpyWriter.write(energy(), new int[] {CHANNELS}, e);
    refused(energy(), "channel 20 is at 288.0 eV after channel 19 at 288.25 eV");
    e[20] = Double.NaN;
    NpyWriter.write(energy(), new int[] {CHANNELS}, e);
    refused(energy(), "non-finite energy NaN at channel 20");
  }

  @Test
  void energyMustBeLinear() throws IOException {
    NpyAcquisition.write(folder, image, null, null);
    double[] e = new double[CHANNELS];
    for (int i = 0; i < CHANNELS; i++) {
      e[i] = 280 + 0.25 * i + 1e-4 * i * i; // a 0.1-channel bow at the ends: a non-linear dispersion
    }
    NpyWriter.write(energy(), new int[] {CHANNELS}, e);
    refused(energy(), "energies are not evenly spaced");
  }

  @Test
  void decreasingAndSinglePrecisionEnergiesAreAccepted() throws IOException {
    NpyAcquisition.write(folder, image, null, null);
    // float32 energies near 1800 eV with 0.05 eV/channel: float32 steps there are 1.2e-4 eV (2.4e-3 channel),
    // coarser than the linearity tolerance, so the file's own precision must be allowed for.
    float[] f = new float[CHANNELS];
    for (int i = 0; i < CHANNELS; i++) {
      f[i] = (float) (1800.0 + 0.05 * i);
    }
    NpyWriter.write(energy(), new int[] {CHANNELS}, f);
    EnergyAxis a = NpyAcquisition.read(folder, "x", null).image().axis();
    assertEquals(1800.0, a.offset(), 2e-4);
    assertEquals(0.05, a.scale(), 1e-5);

    double[] down = new double[CHANNELS];
    for (int i = 0; i < CHANNELS; i++) {
      down[i] = 900 - 0.5 * i;
    }
    NpyWriter.write(energy(), new int[] {CHANNELS}, down);
    EnergyAxis d = NpyAcquisition.read(folder, "x", null).image().axis();
    assertEquals(900, d.offset(), 1e-10);
    assertEquals(-0.5, d.scale(), 1e-12);
  }

  @Test
  void fitIsTheLeastSquaresLine() {
    // Small rounding-like noise on E = 100 + 2 i; reference: the uncentred 2 x 2 normal equations.
    double[] noise = {3e-5, -1e-5, 4e-5, -6e-5, 2e-5, 5e-5, -3e-5, 1e-5};
    int n = noise.length;
    double[] e = new double[n];
    double sumE = 0;
    double sumIE = 0;
    double sumI = 0;
    double sumII = 0;
    for (int i = 0; i < n; i++) {
      e[i] = 100 + 2 * i + noise[i];
      sumE += e[i];
      sumIE += i * e[i];
      sumI += i;
      sumII += i * i;
    }
    double det = n * sumII - sumI * sumI;
    double offset = (sumII * sumE - sumI * sumIE) / det;
    double scale = (n * sumIE - sumI * sumE) / det;
    EnergyAxis a = NpyAcquisition.fitLinearAxis(e, NumericType.FLOAT64, "e.npy");
    assertEquals(offset, a.offset(), 1e-10);
    assertEquals(scale, a.scale(), 1e-12);
    assertTrue(Math.abs(scale - 2) > 1e-7, "the noise does move the fit, so the test can tell");
    assertEquals(n, a.channels());
  }

  @Test
  void groundTruthMustMatchTheCube() throws IOException {
    NpyAcquisition.write(folder, image, gtE, gtA);
    Path e = folder.resolve(NpyAcquisition.ENDMEMBERS_GT);
    Path a = folder.resolve(NpyAcquisition.ABUNDANCES_GT);

    NpyWriter.write(e, new int[] {R, CHANNELS + 2}, new double[R * (CHANNELS + 2)]);
    refused(e, "endmembers have 34 channels but cube.npy has 32");
    NpyWriter.write(e, new int[] {R * CHANNELS}, new double[R * CHANNELS]);
    refused(e, "must be 2-D (R, channels)");
    NpyWriter.write(e, new int[] {R + 1, CHANNELS}, new double[(R + 1) * CHANNELS]);
    refused(a, "3 abundance maps (shape (4, 5, 3)) but endmembers_gt.npy has 4 endmembers");

    NpyAcquisition.writeEndmembers(e, gtE);
    NpyWriter.write(a, new int[] {ROWS, COLS + 1, R}, new double[ROWS * (COLS + 1) * R]);
    refused(a, "abundance maps are 4 x 6 pixels but cube.npy is 4 x 5");
    NpyWriter.write(a, new int[] {ROWS * COLS, R}, new double[ROWS * COLS * R]);
    refused(a, "must be 3-D (rows, cols, R)");

    double[] bad = gtA.values().clone();
    bad[(2 * COLS + 1) * R + 2] = Double.POSITIVE_INFINITY;
    NpyWriter.write(a, new int[] {ROWS, COLS, R}, bad);
    refused(a, "non-finite abundance Infinity at pixel (y=2, x=1), endmember 2");
    NpyAcquisition.writeAbundances(a, gtA);

    double[] badE = new double[R * CHANNELS];
    badE[CHANNELS + 5] = Double.NaN;
    NpyWriter.write(e, new int[] {R, CHANNELS}, badE);
    refused(e, "non-finite value NaN in endmember 1, channel 5");
  }

  @Test
  void abundancesAloneAreEnough() throws IOException {
    NpyAcquisition.write(folder, image, null, gtA);
    NpyAcquisition back = NpyAcquisition.read(folder, "x", null);
    assertNull(back.groundTruthEndmembers());
    assertArrayEquals(gtA.values(), back.groundTruthAbundances().values());
  }

  @Test
  void badCountsAreReportedByPixelAndChannel() throws IOException {
    int[] shape = {ROWS, COLS, CHANNELS};
    float[] counts = image.data().clone();
    counts[(3 * COLS + 2) * CHANNELS + 7] = Float.NaN;
    NpyWriter.write(cube(), shape, counts);
    refused(cube(), "NaN at pixel (y=3, x=2), channel 7", AXIS);

    counts = image.data().clone();
    counts[(1 * COLS + 4) * CHANNELS + 31] = Float.POSITIVE_INFINITY;
    NpyWriter.write(cube(), shape, counts);
    refused(cube(), "+Inf at pixel (y=1, x=4), channel 31", AXIS);

    counts = image.data().clone();
    counts[0] = Float.NEGATIVE_INFINITY;
    NpyWriter.write(cube(), shape, counts);
    refused(cube(), "-Inf at pixel (y=0, x=0), channel 0", AXIS);

    counts = image.data().clone();
    counts[(2 * COLS) * CHANNELS + 3] = -1.5f;
    NpyWriter.write(cube(), shape, counts);
    refused(cube(), "negative count -1.5 at pixel (y=2, x=0), channel 3", AXIS);

    // float64 beyond the float32 range becomes infinite on reading: say why.
    double[] wide = new double[ROWS * COLS * CHANNELS];
    wide[5] = 1e39;
    NpyWriter.write(cube(), shape, wide);
    refused(cube(), "beyond the float32 range", AXIS);
  }

  @Test
  void complexCubeIsRefused() throws IOException {
    NpyTestBytes.write(cube(), npy("<c8", false, "(1, 1, 2)", new byte[16]));
    refused(cube(), "complex data cannot be unmixed", AXIS);
  }
}
