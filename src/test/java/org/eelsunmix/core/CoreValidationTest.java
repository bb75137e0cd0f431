package org.eelsunmix.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The value types refuse bad user input (shapes, calibrations, non-finite values, mismatched channel counts) with
 * a {@link BadInputException} naming the field, so that commands exit with 2 and a one-line message.
 */
class CoreValidationTest {

  private static final EnergyAxis AXIS = EnergyAxis.ofEv(100, 0.5, 3);

  /** Asserts a BadInputException naming {@code field}, whose problem mentions each of {@code mentions}. */
  private static void assertRefused(String field, Executable bad, String... mentions) {
    BadInputException e = assertThrows(BadInputException.class, bad);
    assertEquals(field, e.source(), e.getMessage());
    assertEquals(field + ": " + e.problem(), e.getMessage());
    for (String m : mentions) {
      assertTrue(e.problem().contains(m), "'" + m + "' missing from: " + e.getMessage());
    }
  }

  @Test
  void energyAxisNamesTheBadCalibration() {
    assertRefused("offset", () -> EnergyAxis.ofEv(Double.NaN, 1, 3), "NaN");
    assertRefused("offset", () -> EnergyAxis.ofEv(Double.NEGATIVE_INFINITY, 1, 3), "finite");
    assertRefused("scale", () -> EnergyAxis.ofEv(0, 0, 3), "non-zero");
    assertRefused("scale", () -> new EnergyAxis(0, Double.POSITIVE_INFINITY, "eV", 3), "Infinity");
    assertRefused("channels", () -> EnergyAxis.ofEv(0, 1, 0), "got 0");
    // A negative scale is a valid (descending) axis.
    assertEquals(98.0, EnergyAxis.ofEv(100, -1, 3).energy(2));
  }

  @Test
  void endmembersNameTheSpectraOrTheNames() {
    assertRefused("spectra", () -> new Endmembers(new double[0][], null, AXIS), "at least one");
    assertRefused("spectra", () -> new Endmembers(new double[][] {{1, 2, 3}, {1, 2}}, null, AXIS),
        "endmember 1 has 2 channels", "has 3");
    assertRefused("spectra", () -> new Endmembers(new double[][] {{1, Double.NaN, 3}}, null, AXIS),
        "endmember 0", "channel 1");
    assertRefused("names", () -> new Endmembers(new double[][] {{1, 2, 3}}, List.of("a", "b"), AXIS),
        "2 names for 1");
  }

  @Test
  void abundancesNameTheShapeOrTheValues() {
    assertRefused("height", () -> new Abundances(0, 2, 1, new double[0]));
    assertRefused("width", () -> new Abundances(2, 0, 1, new double[0]));
    assertRefused("count", () -> new Abundances(2, 2, 0, new double[0]));
    assertRefused("values", () -> new Abundances(2, 2, 2, new double[7]), "need 8 values, got 7");
    double[] v = new double[8];
    v[5] = Double.POSITIVE_INFINITY;
    assertRefused("values", () -> new Abundances(2, 2, 2, v), "pixel 2, endmember 1");
  }

  @Test
  void spectrumImagesNameTheImage() {
    assertRefused("si-1", () -> new SpectrumImage("si-1", 0, 2, AXIS, new float[0]), "1x1");
    assertRefused("si-1", () -> new SpectrumImage("si-1", 2, 2, AXIS, new float[11]), "needs 12 values, got 11");
    float[] data = new float[12];
    data[10] = Float.NaN;
    assertRefused("si-1", () -> new SpectrumImage("si-1", 2, 2, AXIS, data), "(y=1, x=1), channel 1");
    float[] negative = new float[12];
    negative[4] = -2;
    SpectrumImage image = new SpectrumImage("si-1", 2, 2, AXIS, negative);
    assertRefused("/data/si.dm4", () -> image.requireNonNegative("/data/si.dm4"), "-2.0",
        "(y=0, x=1), channel 1");
  }

  @Test
  void spectralAnglesNeedOneEnergyAxis() {
    assertRefused("spectra", () -> SpectralAngle.between(new double[3], new double[4]), "3 and 4 channels");
    assertRefused("spectra", () -> SpectralAngle.matrix(new double[][] {{1, 0}}, new double[][] {{1, 0, 0}}));
  }
}
