package org.eelsunmix.unmix;

import org.eelsunmix.eval.UnmixingScores;
import org.eelsunmix.synth.SyntheticCube;
import org.eelsunmix.synth.SyntheticGenerator;
import org.junit.jupiter.api.Test;

class UdasScratchTest {
  @Test
  void scratch() {
    for (String set : System.getProperty("sets", "co-ru-pt,k-edges").split(",")) {
      for (int rep = 0; rep < 3; rep++) {
        SyntheticCube cube = SyntheticGenerator.generate(SyntheticGenerator.Options.builtin(set).withSize(Integer.getInteger("side", 64)), rep);
        int r = cube.truthEndmembers().count() + Integer.getInteger("extra", 0);
        long seed = SyntheticGenerator.replicateSeed(1, rep);
        final SyntheticCube cc = cube;
        final long[] clock = {System.nanoTime()};
        UdasFit.probe = (stage, w) -> {
          int b = cc.image().channels();
          double[][] m = new double[r][b];
          for (int s0 = 0; s0 < r; s0++) for (int c = 0; c < b; c++) m[s0][c] = w[c * r + s0];
          org.eelsunmix.core.Endmembers e = new org.eelsunmix.core.Endmembers(m, null, cc.image().axis());
          System.out.printf("  %s %.2fs sad %.5f%n", stage, (System.nanoTime() - clock[0]) / 1e9, org.eelsunmix.eval.Matching.bySpectralAngle(cc.truthEndmembers(), e).angles()[0] * 0 + UnmixingScores.score(cc.truthEndmembers(), cc.truthAbundances(), e, new Fcls(e.matrix()).unmix(cc.image()), null).meanSad());
        };
        long t0 = System.nanoTime();
        Udas.Result u = Udas.fit(cube.image(), new Udas.Options(r, seed, Integer.getInteger("layers", 12), 1e-5, 1, 1e-4, 20, 10, 5, Double.NaN));
        double t = (System.nanoTime() - t0) / 1e9;
        UnmixingScores s = UnmixingScores.score(cube.truthEndmembers(), cube.truthAbundances(), u.unmixing().endmembers(), u.unmixing().abundances(), cube.image());
        Vca.Result v = Vca.fit(cube.image(), new Vca.Options(r, seed));
        UnmixingScores sv = UnmixingScores.score(cube.truthEndmembers(), cube.truthAbundances(), v.endmembers(), new Fcls(v.endmembers().matrix()).unmix(cube.image()), cube.image());
        System.out.printf("%s rep %d: %.2f s udas SAD %.5f rmse %.2f (fit %.2f) | vca SAD %.5f rmse %.2f | J %s | norms %s%n", set, rep, t, s.meanSad(), s.rmse(), u.rmse(), sv.meanSad(), sv.rmse(), java.util.Arrays.toString(u.objectiveHistory()), java.util.Arrays.toString(u.encoderRowNorms()));
      }
    }
  }
}
