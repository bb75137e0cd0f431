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
    assertTrue(row.startsWith("moments B=40") && row.contains("same bits"), row);
    assertTrue(MomentsThroughput.microsPerPixel(40, 500, true, 1) > 0);
  }
}
