package org.eelsunmix.autoencoder;

import org.eelsunmix.core.Endmembers;
import org.eelsunmix.core.SpectrumImage;
import org.eelsunmix.eval.UnmixingScores;
import org.eelsunmix.synth.SyntheticCube;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * One seeded in-memory CNNAEU training on a synthetic cube and the mean SAD of its endmembers against the truth: the
 * run the layer-comparison tests ({@code CnnaeuFftTest}, {@code CnnaeuWinogradTest}) make once per path.
 */
final class CnnaeuSeededRun {
  private CnnaeuSeededRun() {}

  /** Trains with {@code o}, stores the per-epoch losses in {@code losses[slot]}, returns the mean SAD (rad). */
  static double meanSad(SyntheticCube cube, CnnaeuOptions o, double[][] losses, int slot) {
    SpectrumImage image = cube.image();
    WindowSample sample = WindowSample.of(image, o.drawWindows(image.width(), image.height(), image.id()),
        o.windowPixels());
    MultiLayerNetwork net = Cnnaeu.network(image.channels(), o);
    TrainedNetwork t = AutoencoderFit.fit(o, sample, image.id(), net);
    losses[slot] = t.losses();
    Endmembers m = new Endmembers(Cnnaeu.decoderEndmembers(t.network()), null, image.axis());
    return UnmixingScores.score(cube.truthEndmembers(), cube.truthAbundances(), m,
        Cnnaeu.abundances(t.network(), image), image).meanSad();
  }
}
