package org.eelsunmix.cli;

import java.util.Arrays;
import java.util.concurrent.Callable;
import org.eelsunmix.bench.FclsThroughput;
import org.eelsunmix.synth.SyntheticCube;
import org.eelsunmix.synth.SyntheticGenerator;
import org.eelsunmix.unmix.UnmixingMethod;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench}: prints the spine's speed figures, single-threaded (per core), after a JIT warm-up: FCLS pixels/s at
 * B = 200, R = 3 and B = 903, R = 4, and VCA-FCLS seconds (median of several runs) for one 64×64 cube of each
 * built-in set. No Spark involved: these are the kernels every distributed path calls.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Measure FCLS throughput and VCA-FCLS time per cube (single core).")
final class BenchCommand implements Callable<Integer> {
  @Option(names = "--seconds", defaultValue = "3", description = "timed seconds per FCLS figure (default 3)")
  double seconds;

  @Option(names = "--runs", defaultValue = "5", description = "timed VCA-FCLS runs per set (default 5)")
  int runs;

  @Override
  public Integer call() {
    System.out.printf("%-28s %s%n", "benchmark (one core)", "result");
    for (int[] s : new int[][] {{200, 3}, {903, 4}}) {
      double rate = FclsThroughput.pixelsPerSecond(s[0], s[1], 20_000, 42L, seconds);
      System.out.printf("%-28s %.2f million pixels/s%n", "FCLS B=" + s[0] + " R=" + s[1], rate / 1e6);
    }
    for (String set : new String[] {"co-ru-pt", "k-edges"}) {
      SyntheticCube cube = SyntheticGenerator.generate(SyntheticGenerator.Options.builtin(set), 0);
      int r = cube.truthEndmembers().count();
      UnmixingMethod.VCA_FCLS.unmix(cube.image(), r, 1); // warm-up
      double[] t = new double[Math.max(1, runs)];
      for (int i = 0; i < t.length; i++) {
        long t0 = System.nanoTime();
        UnmixingMethod.VCA_FCLS.unmix(cube.image(), r, 1);
        t[i] = (System.nanoTime() - t0) / 1e9;
      }
      Arrays.sort(t);
      System.out.printf("%-28s %.3f s (median of %d; min %.3f s)%n", "VCA-FCLS 64x64 " + set + " (B="
          + cube.image().channels() + ")", t[t.length / 2], t.length, t[0]);
    }
    return 0;
  }
}
