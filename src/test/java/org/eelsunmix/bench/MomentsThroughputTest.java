package org.eelsunmix.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The moments benchmark's own check and its printed row. */
class MomentsThroughputTest {

  @Test
  void bothPathsAgreeAndTheRowSaysSo() {
    for (int b : new int[] {13, 200}) {
      assertTrue(MomentsThroughput.pathsAgree(b, 77), "B = " + b);
    }
    String row = MomentsThroughput.row(40);
    assertTrue(row.startsWith("moments B=40") && row.contains("same bits") && row.contains("kernel")
        && row.contains("first round"), row);
    double[] rounds = MomentsThroughput.rounds(40, 500, org.eelsunmix.unmix.SpectralMoments.Kernel.SCALAR, 2);
    assertTrue(rounds[1] > 0 && rounds[0] >= rounds[1], java.util.Arrays.toString(rounds));
  }
}
