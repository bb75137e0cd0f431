package org.eelsunmix.autoencoder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.eelsunmix.core.SpectrumImage;
import org.eelsunmix.synth.SyntheticGenerator;
import org.junit.jupiter.api.Test;

/** {@link EpochTimes}: its medians, and that a training records one time per epoch. */
class EpochTimesTest {
  @Test
  void mediansLeaveOutTheFirstEpochs() {
    EpochTimes t = new EpochTimes(new double[] {9, 3, 1, 2}, new double[] {20, 6, 2, 4});
    assertEquals(2, t.medianWall(1)); // of 3, 1, 2
    assertEquals(4, t.medianCpu(1));
    assertEquals(1.5, t.medianWall(2)); // of 1, 2
    assertEquals(2.5, t.medianWall(0)); // of 9, 3, 1, 2: (2 + 3) / 2
    assertThrows(IllegalArgumentException.class, () -> t.medianWall(4));
    assertThrows(IllegalArgumentException.class, () -> new EpochTimes(new double[2], new double[3]));
  }

  @Test
  void aTrainingTimesEachEpoch() {
    SpectrumImage image = SyntheticGenerator.generate(SyntheticGenerator.Options.builtin("co-ru-pt"), 0).image();
    DaeuOptions o = new DaeuOptions(3, 1).withEpochs(3).withSamples(600);
    long cpu0 = EpochTimes.processCpuNanos();
    long t0 = System.nanoTime();
    EpochTimes t = Daeu.train(image, o).epochTimes();
    double wall = (System.nanoTime() - t0) / 1e9;
    double cpu = (EpochTimes.processCpuNanos() - cpu0) / 1e9;
    assertEquals(3, t.epochs());
    double wallSum = 0;
    double cpuSum = 0;
    for (int e = 0; e < 3; e++) {
      assertTrue(t.wall()[e] > 0, "epoch " + e + " took no time");
      assertTrue(t.cpu()[e] >= 0, "epoch " + e + " CPU " + t.cpu()[e]);
      wallSum += t.wall()[e];
      cpuSum += t.cpu()[e];
    }
    // The epochs are part of the training: together no longer than the whole call, on either clock.
    assertTrue(wallSum <= wall, wallSum + " s of epochs in a " + wall + " s training");
    assertTrue(cpuSum <= cpu + 1e-3, cpuSum + " CPU s of epochs in " + cpu + " CPU s");
  }
}
