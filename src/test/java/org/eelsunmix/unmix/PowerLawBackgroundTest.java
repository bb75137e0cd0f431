package org.eelsunmix.unmix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.eelsunmix.core.BadInputException;
import org.eelsunmix.core.EnergyAxis;
import org.junit.jupiter.api.Test;

/** Power-law background subtraction against closed forms: exact power laws, step and saw-tooth edges. */
class PowerLawBackgroundTest {
  /** 200–599.5 eV at 0.5 eV/channel. */
  static final EnergyAxis AXIS = EnergyAxis.ofEv(200, 0.5, 800);
  static final double A = 3.7e9;
  static final double R = 3.2;

  static PowerLawBackground kernel(String pre, String signal) {
    return new PowerLawBackground(AXIS, EnergyWindow.parse("--pre-edge", pre), EnergyWindow.parse("--signal",
        signal));
  }

  static double[] powerLaw(EnergyAxis axis) {
    double[] s = new double[axis.channels()];
    for (int i = 0; i < s.length; i++) {
      s[i] = A * Math.pow(axis.energy(i), -R);
    }
    return s;
  }

  /** Extrapolated background summed over [e3, e4], from the known A and r. */
  static double trueBackground(double e3, double e4) {
    double sum = 0;
    for (int i = 0; i < AXIS.channels(); i++) {
      double e = AXIS.energy(i);
      if (e >= e3 - 1e-9 && e <= e4 + 1e-9) {
        sum += A * Math.pow(e, -R);
      }
    }
    return sum;
  }

  static void assertRelative(double expected, double actual, double tol) {
    assertEquals(expected, actual, tol * Math.abs(expected), () -> "expected " + expected + ", got " + actual);
  }

  @Test
  void recoversANoiseFreePowerLawExactly() {
    PowerLawBackground k = kernel("250:290", "300:350");
    assertEquals(81, k.preEdgeChannels());
    assertEquals(101, k.signalChannels());
    PowerLawBackground.Fit fit = k.newFit();
    k.fit(powerLaw(AXIS), 0, fit);
    assertRelative(R, fit.r, 1e-10);
    assertRelative(A, fit.a, 1e-10);
    assertEquals(1.0, fit.rSquared, 1e-12);
    assertEquals(81, fit.fitChannels);
    assertTrue(fit.fitted());
    double background = trueBackground(300, 350);
    assertRelative(background, fit.background, 1e-10);
    assertEquals(0.0, fit.signal, 1e-10 * background);
  }

  @Test
  void integratesStepAndSawToothEdgesInClosedForm() {
    PowerLawBackground k = kernel("250:290", "300:350");
    PowerLawBackground.Fit fit = k.newFit();
    double background = trueBackground(300, 350);

    // Step of height h from 310 eV: 81 of the signal channels (310, 310.5, ..., 350) carry it.
    double h = 123.25;
    double[] step = powerLaw(AXIS);
    for (int i = 0; i < step.length; i++) {
      step[i] += AXIS.energy(i) >= 310 ? h : 0;
    }
    k.fit(step, 0, fit);
    assertRelative(R, fit.r, 1e-10);
    assertEquals(81 * h, fit.signal, 1e-10 * background);

    // Saw-tooth h·(1 − (E − Ek)/W) on [Ek, Ek + W), Ek = 300, W = 100: over the 101 channels 300..350 the sum is
    // h·(n − (ΣE − n·Ek)/W) with ΣE = n·(300 + 350)/2, an arithmetic series.
    double ek = 300;
    double w = 100;
    double[] saw = powerLaw(AXIS);
    for (int i = 0; i < saw.length; i++) {
      double e = AXIS.energy(i);
      saw[i] += e >= ek && e < ek + w ? h * (1 - (e - ek) / w) : 0;
    }
    int n = 101;
    double expected = h * (n - (n * (300 + 350) / 2.0 - n * ek) / w);
    k.fit(saw, 0, fit);
    assertEquals(expected, fit.signal, 1e-10 * background);
    assertRelative(background, fit.background, 1e-10);
  }

  @Test
  void negativeIntegralsAreKept() {
    PowerLawBackground k = kernel("250:290", "300:350");
    PowerLawBackground.Fit fit = k.newFit();
    double[] dip = powerLaw(AXIS);
    for (int i = 0; i < dip.length; i++) {
      dip[i] -= AXIS.energy(i) >= 300 ? 0.5 * dip[i] : 0; // half the background missing under the "edge"
    }
    k.fit(dip, 0, fit);
    assertRelative(-0.5 * trueBackground(300, 350), fit.signal, 1e-10);
  }

  @Test
  void nonPositivePreEdgeCountsAreLeftOutOfTheFit() {
    PowerLawBackground k = kernel("250:290", "300:350");
    PowerLawBackground.Fit fit = k.newFit();
    double[] s = powerLaw(AXIS);
    s[AXIS.channelOf(250)] = 0;
    s[AXIS.channelOf(260)] = 0;
    s[AXIS.channelOf(270.5)] = -3; // e.g. after a dark reference was subtracted
    k.fit(s, 0, fit);
    assertEquals(78, fit.fitChannels);
    assertRelative(R, fit.r, 1e-10); // the other channels still lie exactly on the power law
    assertRelative(A, fit.a, 1e-10);

    // Only one positive channel left: no background, every value NaN, the count says why.
    for (int i = AXIS.channelOf(250); i <= AXIS.channelOf(290); i++) {
      s[i] = i == AXIS.channelOf(280) ? 5 : 0;
    }
    k.fit(s, 0, fit);
    assertEquals(1, fit.fitChannels);
    assertFalse(fit.fitted());
    assertTrue(Double.isNaN(fit.signal) && Double.isNaN(fit.background) && Double.isNaN(fit.r)
        && Double.isNaN(fit.a) && Double.isNaN(fit.rSquared));
  }

  @Test
  void floatSpectraAtAnOffsetGiveTheDoubleResultToFloatRounding() {
    PowerLawBackground k = kernel("250:290", "300:350");
    double[] s = powerLaw(AXIS);
    float[] two = new float[2 * AXIS.channels()];
    for (int i = 0; i < s.length; i++) {
      two[AXIS.channels() + i] = (float) (s[i] + (AXIS.energy(i) >= 310 ? 50 : 0));
      s[i] = two[AXIS.channels() + i];
    }
    PowerLawBackground.Fit fromDouble = k.newFit();
    PowerLawBackground.Fit fromFloat = k.newFit();
    k.fit(s, 0, fromDouble);
    k.fit(two, AXIS.channels(), fromFloat);
    assertEquals(fromDouble.signal, fromFloat.signal, 0.0);
    assertEquals(fromDouble.r, fromFloat.r, 0.0);
    assertEquals(81 * 50, fromFloat.signal, 1e-5 * trueBackground(300, 350)); // float rounding of the counts
  }

  @Test
  void aDescendingAxisSelectsTheSameChannels() {
    EnergyAxis down = EnergyAxis.ofEv(AXIS.end(), -0.5, 800);
    PowerLawBackground k = new PowerLawBackground(down, EnergyWindow.parse("--pre-edge", "250:290"),
        EnergyWindow.parse("--signal", "300:350"));
    assertEquals(81, k.preEdgeChannels());
    PowerLawBackground.Fit fit = k.newFit();
    k.fit(powerLaw(down), 0, fit);
    assertRelative(R, fit.r, 1e-10);
    assertRelative(trueBackground(300, 350), fit.background, 1e-10);
  }

  static String refusal(Runnable r) {
    return assertThrows(BadInputException.class, r::run).getMessage();
  }

  @Test
  void badWindowsAreRefusedNamingTheOptionAndTheAxis() {
    String m = refusal(() -> kernel("150:290", "300:350"));
    assertTrue(m.startsWith("--pre-edge: ") && m.contains("outside") && m.contains("200–599.5 eV"), m);
    m = refusal(() -> kernel("250:290", "500:650"));
    assertTrue(m.startsWith("--signal: ") && m.contains("outside") && m.contains("200–599.5 eV"), m);
    m = refusal(() -> kernel("290:250", "300:350"));
    assertTrue(m.startsWith("--pre-edge: ") && m.contains("inverted"), m);
    m = refusal(() -> kernel("250:290", "280:350"));
    assertTrue(m.startsWith("--signal: ") && m.contains("overlaps"), m);
    m = refusal(() -> kernel("250:290", "290:350")); // sharing the 290 eV channel is overlapping too
    assertTrue(m.startsWith("--signal: ") && m.contains("overlaps"), m);
    m = refusal(() -> kernel("250:290.7", "290.2:350")); // no shared channel, but the windows overlap in eV
    assertTrue(m.startsWith("--signal: ") && m.contains("overlaps"), m);
    m = refusal(() -> kernel("300:350", "250:290"));
    assertTrue(m.startsWith("--signal: ") && m.contains("below the pre-edge"), m);
    m = refusal(() -> kernel("250.1:250.4", "300:350")); // no channel inside
    assertTrue(m.startsWith("--pre-edge: ") && m.contains("holds 0 channel") && m.contains("at least 2"), m);
    m = refusal(() -> kernel("250:250.4", "300:350"));
    assertTrue(m.contains("holds 1 channel"), m);
    m = refusal(() -> EnergyWindow.parse("--signal", "300-350"));
    assertTrue(m.startsWith("--signal: ") && m.contains("E1:E2"), m);
    m = refusal(() -> EnergyWindow.parse("--signal", "300:abc"));
    assertTrue(m.startsWith("--signal: "), m);
    m = refusal(() -> new PowerLawBackground(EnergyAxis.ofEv(-50, 1, 400), EnergyWindow.parse("--pre-edge",
        "-10:20"), EnergyWindow.parse("--signal", "100:150")));
    assertTrue(m.startsWith("--pre-edge: ") && m.contains("positive"), m);
    m = refusal(() -> new PowerLawBackground(new EnergyAxis(0.2, 0.001, "keV", 400), EnergyWindow.parse(
        "--pre-edge", "0.25:0.29"), EnergyWindow.parse("--signal", "0.3:0.35")));
    assertTrue(m.contains("keV"), m);
  }
}
