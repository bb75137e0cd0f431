package org.eelsunmix.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import org.eelsunmix.core.BadInputException;

/**
 * The one CSV dialect of the project's tables, on streams: RFC 4180 quoting, UTF-8, {@code \n} record ends, a header
 * line, through Apache Commons CSV. The Hadoop-path writers ({@code spark.ResultFiles}) and the Spark-free pages
 * ({@code report}) both write and read through here.
 */
public final class CsvText {
  private static final CSVFormat CSV = CSVFormat.RFC4180.builder().setRecordSeparator('\n')
      .setIgnoreEmptyLines(true).build();

  /** The same dialect, reading the first record as the header (columns by name). */
  private static final CSVFormat WITH_HEADER = CSV.builder().setHeader().setSkipHeaderRecord(true).build();

  private CsvText() {}

  /** CSV text of {@code header} and {@code records} onto {@code out} (flushed, left open). */
  public static void write(OutputStream out, List<String> header, Iterable<List<String>> records) throws IOException {
    Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
    CSVPrinter printer = new CSVPrinter(w, CSV);
    printer.printRecord(header);
    for (List<String> r : records) {
      printer.printRecord(r);
    }
    printer.flush();
  }

  /** The records of a CSV text (header line skipped). */
  public static List<List<String>> read(InputStream in, String source) {
    List<List<String>> out = new ArrayList<>();
    try (CSVParser parser = CSV.parse(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      for (CSVRecord r : parser) {
        if (r.getRecordNumber() > 1) {
          out.add(r.toList());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + source + ": " + e.getMessage(), e);
    }
    return out;
  }

  /**
   * The records of a CSV text with a header line, columns addressed by name, after checking that every
   * {@code required} column is there.
   *
   * @throws BadInputException naming {@code source} when a column is missing or the text is not CSV
   */
  public static List<CSVRecord> readRecords(InputStream in, String source, List<String> required) {
    try (CSVParser p = WITH_HEADER.parse(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      for (String c : required) {
        if (!p.getHeaderNames().contains(c)) {
          throw new BadInputException(source, "has no column " + c + " (columns: "
              + String.join(", ", p.getHeaderNames()) + ")");
        }
      }
      return p.getRecords();
    } catch (IOException | IllegalStateException | UncheckedIOException e) {
      throw new BadInputException(source, "cannot be read as CSV: " + e.getMessage(), e);
    }
  }
}
