package org.eelsunmix.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.core.EnergyAxis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MsaTest {
  @TempDir
  Path dir;

  /** A file as an instrument might write it: lower-case keywords, unit qualifiers, Y data in five columns. */
  private static final String HAND_WRITTEN_Y = String.join("\r\n",
      "#FORMAT      : EMSA/MAS Spectral Data File",
      "#VERSION     : 1.0",
      "#TITLE       : Ni L-edge, hand typed",
      "#DATE        : 01-MAR-2024",
      "#TIME        : 14:05",
      "#OWNER       : a microscopist",
      "#npoints     : 7.",
      "#NCOLUMNS    : 5",
      "#XUNITS      : eV",
      "#YUNITS      : counts",
      "#DATATYPE    : y",
      "#XPERCHAN    : 0.25",
      "#OFFSET      : 840.5",
      "#SIGNALTYPE  : ELS",
      "#BEAMKV   -kV: 200.0",
      "##EXPOSURE -s: 0.01",
      "#SPECTRUM    : Spectral Data Starts Here",
      "1.0, 2.5, 3e2, 4, -5.25,",
      "  6 7",
      "#ENDOFDATA   :",
      "#CHECKSUM    : 0",
      "");

  private static final String HAND_WRITTEN_XY = String.join("\n",
      "#FORMAT      : EMSA/MAS Spectral Data File",
      "#VERSION     : 1.0",
      "#TITLE       : Co",
      "#NPOINTS     : 4",
      "#DATATYPE    : XY",
      "#XPERCHAN    : 3.33",
      "#OFFSET      : 200.0",
      "#SPECTRUM    :",
      "200.00, 10",
      "203.33, 9.5",
      "206.66, 9.0",
      "209.99, 8.5",
      "#ENDOFDATA   :");

  @Test
  void readsAHandWrittenYFile() {
    MsaSpectrum s = Msa.parse(HAND_WRITTEN_Y, "hand.msa");
    assertEquals("Ni L-edge, hand typed", s.title());
    assertEquals(new EnergyAxis(840.5, 0.25, "eV", 7), s.axis());
    assertArrayEquals(new double[] {1.0, 2.5, 300.0, 4.0, -5.25, 6.0, 7.0}, s.values());
    assertEquals("200.0", s.keyword("BEAMKV"));
    assertEquals("200.0", s.keywords().get("BEAMKV -kV"));
    assertEquals("0.01", s.keyword("#EXPOSURE"));
    assertEquals("ELS", s.keyword("signaltype"));
    assertEquals("01-MAR-2024", s.keyword("DATE"));
    assertNull(s.keyword("CHECKSUM"), "fixed keywords are not kept in the map");
    assertNull(s.keyword("NPOINTS"));
  }

  @Test
  void readsAHandWrittenXyFileWithRoundedEnergies() {
    MsaSpectrum s = Msa.parse(HAND_WRITTEN_XY, "co.msa");
    assertEquals(EnergyAxis.ofEv(200.0, 3.33, 4), s.axis());
    assertArrayEquals(new double[] {10, 9.5, 9.0, 8.5}, s.values());
    assertEquals("Co", s.title());
    assertTrue(s.keywords().isEmpty());
  }

  @Test
  void writeThenReadIsExact() {
    SplittableRandom random = new SplittableRandom(7);
    double[] values = new double[523];
    for (int i = 0; i < values.length; i++) {
      // Awkward doubles: many significant digits, tiny and huge magnitudes, negative zero-crossing values.
      values[i] = (random.nextDouble() - 0.2) * Math.pow(10, random.nextInt(-30, 30));
    }
    values[0] = 0.0;
    values[1] = Double.MIN_VALUE;
    values[2] = -Double.MAX_VALUE;
    EnergyAxis axis = new EnergyAxis(-12.345678901234567, 0.0123456789012345, "eV", values.length);
    Map<String, String> keywords = new LinkedHashMap<>();
    keywords.put("DATE", "02-JAN-2025");
    keywords.put("BEAMKV -kV", "300");
    keywords.put("#MYKEY", "user value");
    keywords.put("YUNITS", "electrons");
    MsaSpectrum original = new MsaSpectrum("round trip", axis, values, keywords);
    Path file = dir.resolve("sub/round.msa");
    Msa.write(file, original);
    MsaSpectrum back = Msa.read(file);
    assertEquals(original.title(), back.title());
    assertEquals(axis, back.axis());
    assertArrayEquals(values, back.values());
    assertEquals("300", back.keywords().get("BEAMKV -kV"));
    assertEquals("user value", back.keywords().get("#MYKEY"));
    assertEquals("02-JAN-2025", back.keyword("DATE"));
    assertEquals("electrons", back.keyword("YUNITS"));
    assertEquals("ELS", back.keyword("SIGNALTYPE"), "the writer marks the file as EELS");
    assertEquals("eels-unmix", back.keyword("OWNER"));
    assertTrue(back.keyword("TIME").matches("\\d\\d:\\d\\d"));
  }

  @Test
  void writesTheStandardHeaderInOrderAndAtomically() throws IOException {
    MsaSpectrum s = new MsaSpectrum("t", EnergyAxis.ofEv(100, 1, 3), new double[] {1, 2, 3});
    Path file = dir.resolve("a.msa");
    Files.writeString(file, "old content that must be replaced");
    Msa.write(file, s);
    String text = Files.readString(file);
    assertEquals(List.of("FORMAT", "VERSION", "TITLE", "DATE", "TIME", "OWNER", "NPOINTS", "NCOLUMNS", "XUNITS",
        "YUNITS", "DATATYPE", "XPERCHAN", "OFFSET", "SIGNALTYPE", "SPECTRUM", "ENDOFDATA"), Msa.writtenOrder(text));
    assertTrue(text.startsWith("#FORMAT      : EMSA/MAS Spectral Data File\r\n#VERSION     : 1.0\r\n"), text);
    assertTrue(text.contains("\r\n100.0, 1.0\r\n101.0, 2.0\r\n102.0, 3.0\r\n#ENDOFDATA   : \r\n"), text);
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(List.of(file), files.toList(), "no temporary file is left behind");
    }
  }

  @Test
  void readsFromAStream() {
    MsaSpectrum s = Msa.read(new ByteArrayInputStream(HAND_WRITTEN_XY.getBytes(StandardCharsets.US_ASCII)),
        "classpath:co.msa");
    assertEquals(4, s.axis().channels());
  }

  @Test
  void missingKeywordsAreNamed() {
    String text = HAND_WRITTEN_XY.replace("#NPOINTS     : 4\n", "").replace("#XPERCHAN    : 3.33\n", "");
    BadInputException e = assertThrows(BadInputException.class, () -> Msa.parse(text, "/data/co.msa"));
    assertEquals("/data/co.msa", e.source());
    assertTrue(e.getMessage().startsWith("/data/co.msa: "), e.getMessage());
    assertTrue(e.getMessage().contains("#NPOINTS") && e.getMessage().contains("#XPERCHAN"), e.getMessage());
    assertTrue(e.getMessage().contains("missing required keywords"), e.getMessage());
  }

  @Test
  void missingSpectrumLineIsNamed() {
    String text = HAND_WRITTEN_XY.replace("#SPECTRUM    :\n", "");
    BadInputException e = assertThrows(BadInputException.class, () -> Msa.parse(text, "co.msa"));
    assertTrue(e.getMessage().contains("#SPECTRUM"), e.getMessage());
  }

  @Test
  void npointsDisagreeingWithTheDataIsRefused() {
    BadInputException fewer = assertThrows(BadInputException.class,
        () -> Msa.parse(HAND_WRITTEN_XY.replace("#NPOINTS     : 4", "#NPOINTS     : 5"), "co.msa"));
    assertTrue(fewer.getMessage().contains("#NPOINTS says 5 points but the data has 4"), fewer.getMessage());
    BadInputException more = assertThrows(BadInputException.class,
        () -> Msa.parse(HAND_WRITTEN_XY.replace("#NPOINTS     : 4", "#NPOINTS     : 3"), "co.msa"));
    assertTrue(more.getMessage().contains("#NPOINTS says 3 points but the data has more"), more.getMessage());
    BadInputException huge = assertThrows(BadInputException.class,
        () -> Msa.parse(HAND_WRITTEN_XY.replace("#NPOINTS     : 4", "#NPOINTS     : 2000000000"), "co.msa"));
    assertTrue(huge.getMessage().contains("#NPOINTS"), huge.getMessage());
    BadInputException fraction = assertThrows(BadInputException.class,
        () -> Msa.parse(HAND_WRITTEN_XY.replace("#NPOINTS     : 4", "#NPOINTS     : 4.5"), "co.msa"));
    assertTrue(fraction.getMessage().contains("whole number"), fraction.getMessage());
  }

  @Test
  void unreadableNumbersNameTheLine() {
    BadInputException e = assertThrows(BadInputException.class,
        () -> Msa.parse(HAND_WRITTEN_XY.replace("203.33, 9.5", "203.33, 9.5x"), "co.msa"));
    assertEquals("co.msa: line 10: cannot read '9.5x' as a finite number", e.getMessage());
    BadInputException pair = assertThrows(BadInputException.class,
        () -> Msa.parse(HAND_WRITTEN_XY.replace("203.33, 9.5", "203.33, 9,5"), "co.msa"));
    assertTrue(pair.getMessage().contains("line 10") && pair.getMessage().contains("pair"), pair.getMessage());
    BadInputException nan = assertThrows(BadInputException.class,
        () -> Msa.parse(HAND_WRITTEN_XY.replace("203.33, 9.5", "203.33, NaN"), "co.msa"));
    assertTrue(nan.getMessage().contains("'NaN'"), nan.getMessage());
    BadInputException header = assertThrows(BadInputException.class,
        () -> Msa.parse(HAND_WRITTEN_XY.replace("#XPERCHAN    : 3.33", "#XPERCHAN    : 3.33 eV"), "co.msa"));
    assertTrue(header.getMessage().contains("#XPERCHAN"), header.getMessage());
  }

  @Test
  void nonLinearEnergyColumnIsRefused() {
    // Channel 2 is missing: the energies jump by two channels.
    String text = HAND_WRITTEN_XY.replace("206.66, 9.0", "209.99, 9.0").replace("209.99, 8.5", "213.32, 8.5");
    BadInputException e = assertThrows(BadInputException.class, () -> Msa.parse(text, "co.msa"));
    assertTrue(e.getMessage().contains("not the linear energy axis") && e.getMessage().contains("point 2"),
        e.getMessage());
  }

  @Test
  void otherBadInput() {
    BadInputException type = assertThrows(BadInputException.class,
        () -> Msa.parse(HAND_WRITTEN_XY.replace("#DATATYPE    : XY", "#DATATYPE    : XYZ"), "co.msa"));
    assertTrue(type.getMessage().contains("#DATATYPE must be XY or Y"), type.getMessage());
    BadInputException zero = assertThrows(BadInputException.class,
        () -> Msa.parse(HAND_WRITTEN_XY.replace("#XPERCHAN    : 3.33", "#XPERCHAN    : 0"), "co.msa"));
    assertTrue(zero.getMessage().contains("#XPERCHAN"), zero.getMessage());
    BadInputException notMsa = assertThrows(BadInputException.class,
        () -> Msa.parse("P5\n64 64\n255\n", "image.pgm"));
    assertTrue(notMsa.getMessage().contains("is this an EMSA/MSA file?"), notMsa.getMessage());
    Path missing = dir.resolve("nope.msa");
    BadInputException noFile = assertThrows(BadInputException.class, () -> Msa.read(missing));
    assertEquals(missing.toString(), noFile.source());
  }

  @Test
  void reservedKeywordsCannotBeSetThroughTheMap() {
    assertThrows(IllegalArgumentException.class, () -> new MsaSpectrum("t", EnergyAxis.ofEv(1, 1, 1),
        new double[] {1}, Map.of("XPERCHAN", "2")));
    assertThrows(IllegalArgumentException.class, () -> new MsaSpectrum("t", EnergyAxis.ofEv(1, 1, 2),
        new double[] {1}));
  }
}
