package org.eelsunmix.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.eelsunmix.autoencoder.Daeu;
import org.eelsunmix.autoencoder.DaeuOptions;
import org.eelsunmix.synth.SyntheticCube;
import org.junit.jupiter.api.Test;

/** Smoke test only: the figures depend on the machine and are reported, never asserted. */
class DaeuSpeedTest {

  @Test
  void measuresTrainingAndInference() {
    SyntheticCube cube = DaeuSpeed.cube("co-ru-pt");
    DaeuOptions o = new DaeuOptions(3, 1).withEpochs(1).withSamples(60);
    DaeuSpeed.Training t = DaeuSpeed.training(cube.image(), o);
    assertEquals(10, t.steps());
    assertTrue(t.wallSeconds() > 0 && t.stepsPerSecond() > 0);
    DaeuSpeed.Inference i = DaeuSpeed.inference(Daeu.network(200, o), cube.image(), 0.05);
    assertTrue(i.pixelsPerSecond() > 0 && Double.isFinite(i.pixelsPerCpuSecond()));
  }
}
