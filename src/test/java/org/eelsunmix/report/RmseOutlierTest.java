package org.eelsunmix.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The outlier rule against values worked out by hand. */
class RmseOutlierTest {
  @Test
  void thresholdIsMedianPlusFiveScaledMads() {
    // median 10; deviations 1, 0, 1, 2, 0 -> MAD 1; sigma 1.4826; threshold 10 + 5 * 1.4826 = 17.413
    List<Double> earlier = List.of(9.0, 10.0, 11.0, 12.0, 10.0);
    assertEquals(17.413, RmseOutlier.threshold(earlier), 1e-12);
    assertTrue(RmseOutlier.isOutlier(17.5, earlier));
    assertFalse(RmseOutlier.isOutlier(17.3, earlier));
  }

  @Test
  void identicalValuesUseTheOnePercentFloorAndTooFewFlagNothing() {
    List<Double> same = List.of(20.0, 20.0, 20.0);
    assertEquals(20 + 5 * 0.2, RmseOutlier.threshold(same), 1e-12);
    assertFalse(RmseOutlier.isOutlier(20.9, same));
    assertTrue(RmseOutlier.isOutlier(21.1, same));
    assertFalse(RmseOutlier.isOutlier(1e9, List.of(1.0, 1.0)));
    // even count: median of 1, 2, 3, 100 is 2.5; deviations 1.5, 0.5, 0.5, 97.5 -> MAD 1.0
    assertEquals(2.5 + 5 * 1.4826, RmseOutlier.threshold(List.of(1.0, 2.0, 3.0, 100.0)), 1e-12);
  }
}
