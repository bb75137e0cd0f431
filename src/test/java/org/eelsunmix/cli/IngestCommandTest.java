package org.eelsunmix.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.eelsunmix.spark.Acquisition;
import org.eelsunmix.spark.SeriesStore;
import org.eelsunmix.spark.TestSpark;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real files of ../shared/data into a store: values as listed in its README, bad files strict or lenient. */
class IngestCommandTest {
  static final Path DATA = Path.of(System.getProperty("eelsunmix.shared.data", "../shared/data"));

  @Test
  void lenientIngestKeepsTheGoodFilesAndListsTheRest(@TempDir Path dir) throws Exception {
    String store = dir.resolve("store").toString();
    CliTestSupport.Run run = CliTestSupport.run("ingest", "--input", DATA.resolve("dm").toString(), "--input",
        DATA.resolve("hspy/LSMO_linescan.hspy").toString(), "--input",
        DATA.resolve("ripple/test_ripple_sdim-1_ndim-2_uint16.rpl").toString(), "--store", store,
        "--stringency", "lenient");
    assertEquals(0, run.code(), run.err());
    SeriesStore series = new SeriesStore(TestSpark.session(), store);
    List<String> ids = series.listAcquisitions().stream().map(Acquisition::id).toList();
    assertEquals(List.of("1D_test-EELS_spectrum", "3D_EELS_SI", "LSMO_linescan",
        "test_ripple_sdim-1_ndim-2_uint16"), ids);

    // 3D_EELS_SI.dm4: 2 x 2 pixels x 2048 channels from 300 eV at 1 eV; sum 7.16907e6, first value 8473.01.
    Acquisition si = series.acquisition("3D_EELS_SI");
    assertEquals(2, si.width());
    assertEquals(2, si.height());
    assertEquals(2048, si.axis().channels());
    assertEquals(300, si.axis().offset(), 1e-9);
    assertEquals(1, si.axis().scale(), 1e-12);
    assertEquals(64, si.checksum().length());
    // DataBar "Acquisition Date" 14/05/2019 (day first: 14 is no month), "Acquisition Time" 20:50:13.
    assertEquals(java.sql.Timestamp.valueOf("2019-05-14 20:50:13"), si.acquisitionTime());
    assertEquals("float32", si.dataType());
    assertEquals("dm4", si.format());
    assertTrue(si.metadata().size() > 3, "DM tags kept as metadata: " + si.metadata());
    assertEquals("uint16", series.acquisition("test_ripple_sdim-1_ndim-2_uint16").dataType());
    Row sum = series.pixels(List.of("3D_EELS_SI"))
        .select(functions.aggregate(functions.col("spectrum"), functions.lit(0.0),
            (acc, v) -> acc.plus(v)).as("s"))
        .agg(functions.sum("s")).first();
    assertEquals(7.16907e6, sum.getDouble(0), 7.16907e6 * 1e-5);
    Row first = series.pixels(List.of("3D_EELS_SI")).where("x = 0 and y = 0").first();
    assertEquals(8473.01, (Float) first.getList(3).get(0), 0.01);
    // The LSMO line scan: 40 pixels in one row, 586 channels from 428.5 eV at 0.5 eV.
    Acquisition line = series.acquisition("LSMO_linescan");
    assertEquals(40, line.width());
    assertEquals(1, line.height());
    assertEquals(428.5, line.axis().offset(), 1e-9);
    assertEquals(40, series.pixels(List.of("LSMO_linescan")).where("y = 0").count());

    // The image stacks and complex files were skipped, each with its reason, and listed.
    List<String> rejected = Files.readAllLines(Path.of(store, "_rejected.csv"));
    assertEquals(1 + 8, rejected.size(), String.join("\n", rejected));
    assertTrue(rejected.stream().anyMatch(l -> l.contains("3D_test-13.dm4") && l.contains("complex")));
    assertTrue(rejected.stream().anyMatch(l -> l.contains("3D_test-1.dm3") && l.contains("image stack")));
    assertTrue(run.out().contains("4 ingested, 8 skipped"), run.out());
  }

  @Test
  void strictIngestRefusesBeforeWriting(@TempDir Path dir) {
    String store = dir.resolve("store").toString();
    CliTestSupport.Run run = CliTestSupport.run("ingest", "--input", DATA.resolve("dm/3D_EELS_SI.dm4").toString(),
        "--input", DATA.resolve("dm/3D_test-2.dm4").toString(), "--store", store);
    CliErrorsTest.assertRefused(run, "3D_test-2.dm4", "image stack");
    assertFalse(Files.exists(Path.of(store)));
    CliErrorsTest.assertRefused(CliTestSupport.run("ingest", "--input", dir.toString(), "--store", store),
        "--input");
    CliErrorsTest.assertRefused(CliTestSupport.run("ingest", "--input", DATA.resolve("dm").toString(), "--store",
        store, "--stringency", "sloppy"), "--stringency");
  }
}
