package org.eelsunmix.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.eelsunmix.core.EnergyAxis;
import org.eelsunmix.synth.EelsSpectrumModel.IonisationEdge;
import org.eelsunmix.synth.EelsSpectrumModel.Peak;
import org.eelsunmix.synth.EelsSpectrumModel.PowerLawBackground;
import org.eelsunmix.synth.EelsSpectrumModel.Shape;
import org.junit.jupiter.api.Test;

class EelsSpectrumModelTest {
  @Test
  void powerLawIsAEToTheMinusR() {
    PowerLawBackground bg = new PowerLawBackground(2.0, 100.0, 3.5);
    assertEquals(2.0, bg.intensity(100.0), 1e-15);
    assertEquals(2.0 * Math.pow(4.0, -3.5), bg.intensity(400.0), 1e-15);
  }

  @Test
  void channelCountsIntegrateOverTheChannel() {
    // ∫ A (E/E0)^-r dE over [a, b] = A E0 / (1 − r) [(b/E0)^(1−r) − (a/E0)^(1−r)].
    PowerLawBackground bg = new PowerLawBackground(1.0, 200.0, 3.0);
    EnergyAxis axis = EnergyAxis.ofEv(200.0, 3.33, 200);
    double[] counts = new EelsSpectrumModel("bg", bg).channelCounts(axis);
    for (int i = 0; i < counts.length; i += 17) {
      double a = axis.energy(i) - 3.33 / 2;
      double b = axis.energy(i) + 3.33 / 2;
      double exact = 200.0 / (1 - 3.0) * (Math.pow(b / 200.0, -2.0) - Math.pow(a / 200.0, -2.0));
      assertEquals(exact, counts[i], 1e-5 * exact, "channel " + i);
    }
  }

  @Test
  void peaksHaveTheirAreaAndHeight() {
    for (Shape shape : Shape.values()) {
      Peak p = new Peak("p", 500.0, 3.0, 7.0, shape);
      double peak = p.intensity(500.0);
      assertEquals(7.0 * Peak.unitHeight(3.0, shape), peak, 1e-12);
      // Half maximum at ± FWHM/2.
      assertEquals(peak / 2, p.intensity(501.5), 1e-12);
      assertEquals(peak / 2, p.intensity(498.5), 1e-12);
      // Area by summing a fine axis; a Lorentzian's tails beyond ±Γ·x hold Γ/(π x) of its area.
      double[] c = new EelsSpectrumModel("p", p).channelCounts(EnergyAxis.ofEv(1.0, 0.05, 19980));
      double sum = 0;
      for (double v : c) {
        sum += v;
      }
      double outside = shape == Shape.LORENTZIAN
          ? 7.0 / Math.PI * (Math.atan(1.5 / 499.025) + Math.atan(1.5 / 499.975)) : 0.0;
      assertEquals(7.0 - outside, sum, 1e-6, shape.toString());
      Peak h = Peak.ofHeight("h", 300.0, 2.0, 5.0, shape);
      assertEquals(5.0, h.intensity(300.0), 1e-12);
    }
    assertEquals(2.0 / (Math.PI * 3.0), Peak.unitHeight(3.0, Shape.LORENTZIAN), 1e-15);
    assertEquals(Math.sqrt(4 * Math.log(2) / Math.PI) / 3.0, Peak.unitHeight(3.0, Shape.GAUSSIAN), 1e-15);
  }

  @Test
  void sharpEdgeIsASmoothedSawtooth() {
    IonisationEdge e = IonisationEdge.sharp("C-K", 284.0, 3.0, 1.0, 2.5);
    assertEquals(1.5, e.intensity(284.0), 1e-14, "half the step at the onset");
    assertEquals(3.0 * Math.pow(300.0 / 284.0, -2.5), e.intensity(300.0), 1e-12, "power-law decay above");
    assertTrue(e.intensity(280.0) < 1e-12, "nothing 4 eV (9σ) below the onset");
    // The blur is a Gaussian of FWHM 1 eV: the step reaches 0.5(1 + erf(1/√2)) = 0.8413 one σ above the onset.
    double sigma = 1.0 / (2 * Math.sqrt(2 * Math.log(2)));
    assertEquals(3.0 * 0.8413447460685429 * Math.pow((284 + sigma) / 284, -2.5), e.intensity(284 + sigma), 1e-9);
  }

  @Test
  void delayedEdgeRisesOverItsDelay() {
    IonisationEdge e = new IonisationEdge("Ru-M5", 279.0, 2.0, 1.0, 1.5, 30.0);
    assertEquals(0.0, e.intensity(279.0), 0.0, "a delayed edge starts from zero");
    double at = 279.0 + 30.0;
    assertEquals(2.0 * (1 - Math.exp(-1)) * Math.pow(at / 279.0, -1.5), e.intensity(at), 1e-12);
    // Its maximum lies tens of eV above the onset, unlike a sharp edge.
    double best = 0;
    double bestE = 0;
    for (double en = 270; en < 500; en += 0.5) {
      if (e.intensity(en) > best) {
        best = e.intensity(en);
        bestE = en;
      }
    }
    assertTrue(bestE > 279 + 20 && bestE < 279 + 80, "maximum at " + bestE);
  }

  @Test
  void normalisedSpectrumSumsToOne() {
    EelsSpectrumModel m = new EelsSpectrumModel("x", new PowerLawBackground(5, 150, 3),
        IonisationEdge.sharp("O-K", 532, 0.1, 1, 2.5));
    double[] s = m.normalisedSpectrum(EnergyAxis.ofEv(150, 1, 903));
    double sum = 0;
    for (double v : s) {
      sum += v;
      assertTrue(v > 0);
    }
    assertEquals(1.0, sum, 1e-12);
  }

  @Test
  void badParametersAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new PowerLawBackground(-1, 100, 3));
    assertThrows(IllegalArgumentException.class, () -> new PowerLawBackground(1, 0, 3));
    assertThrows(IllegalArgumentException.class, () -> IonisationEdge.sharp("x", 100, 1, 0, 3));
    assertThrows(IllegalArgumentException.class, () -> new IonisationEdge("x", 100, 1, 1, 3, -5));
    assertThrows(IllegalArgumentException.class, () -> new Peak("x", 100, 0, 1, Shape.GAUSSIAN));
    assertThrows(IllegalArgumentException.class, () -> new EelsSpectrumModel("x"));
    EelsSpectrumModel m = new EelsSpectrumModel("x", new PowerLawBackground(1, 100, 3));
    assertThrows(IllegalArgumentException.class, () -> m.channelCounts(EnergyAxis.ofEv(0, 1, 10)),
        "the power law diverges at 0 eV");
  }
}
