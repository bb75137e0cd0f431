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

  @Test
  void comparesDl4jsStepWithThePlainTrainer() {
    SyntheticCube cube = DaeuSpeed.cube("co-ru-pt");
    DaeuOptions o = new DaeuOptions(3, 2).withEpochs(1).withSamples(120);
    DaeuSpeed.TrainingComparison c = DaeuSpeed.compareTraining(cube.image(), o, 2);
    assertEquals(2, c.dl4jCpuSeconds().length);
    assertTrue(c.dl4jBest() > 0 && c.plainBest() > 0);
    // The two steps are the same arithmetic in the same order (DaeuTrainerTest): the same network bit for bit.
    assertTrue(c.identical(), "DL4J's and the plain trainer's networks differ");
  }
}
