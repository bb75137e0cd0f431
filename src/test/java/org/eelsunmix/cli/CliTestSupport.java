package org.eelsunmix.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import org.eelsunmix.spark.TestSpark;

/** Runs command lines in this JVM on the shared test SparkSession, capturing what they print. */
final class CliTestSupport {
  private CliTestSupport() {}

  /** Exit code, standard output and error messages of one command line. */
  record Run(int code, String out, String err) {}

  static Run run(String... args) {
    TestSpark.session(); // commands reuse the active session instead of building their own
    StringWriter err = new StringWriter();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream saved = System.out;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      int code = Main.execute(args, true, new PrintWriter(err, true));
      return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString());
    } finally {
      System.setOut(saved);
    }
  }
}
