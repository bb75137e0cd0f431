package org.eelsunmix.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link AveragingTiming#sizes}: every sample size named, those where two workers paid and those where not. */
class AveragingTimingTest {
  @Test
  void namesEverySizeOnBothSides() {
    assertEquals("at 2000, 20000 spectra; not at 100000",
        AveragingTiming.sizes(List.of(2000, 20000), List.of(100000)));
    assertEquals("at 2000 spectra", AveragingTiming.sizes(List.of(2000), null));
    assertEquals("at no size; not at 2000, 20000", AveragingTiming.sizes(null, List.of(2000, 20000)));
  }
}
