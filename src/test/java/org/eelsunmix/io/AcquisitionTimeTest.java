package org.eelsunmix.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.LocalDateTime;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Acquisition times as DigitalMicrograph and HyperSpy write them. */
class AcquisitionTimeTest {
  @Test
  void readsDmAndHyperSpyDatesAndTimes() {
    assertEquals(LocalDateTime.of(2019, 5, 14, 20, 50, 13),
        AcquisitionTime.of(Map.of("acquisition_date", "14/05/2019", "acquisition_time", "20:50:13")));
    assertEquals(LocalDateTime.of(2018, 2, 5, 15, 5, 22),
        AcquisitionTime.of(Map.of("acquisition_date", "2/5/2018", "acquisition_time", "3:05:22 PM")));
    assertEquals(LocalDateTime.of(2021, 11, 3, 9, 41, 7, 250_000_000),
        AcquisitionTime.of(Map.of("General.date", "2021-11-03", "General.time", "09:41:07.25")));
    assertEquals(LocalDateTime.of(2021, 11, 3, 0, 0), AcquisitionTime.of(Map.of("General.date", "2021-11-03")));
    assertNull(AcquisitionTime.of(Map.of("General.time", "09:41:07")));
    assertNull(AcquisitionTime.of(Map.of("acquisition_date", "yesterday")));
  }
}
