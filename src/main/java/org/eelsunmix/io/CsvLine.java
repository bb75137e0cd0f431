package org.eelsunmix.io;

import java.util.ArrayList;
import java.util.List;

/**
 * One line of a comma-separated file as RFC 4180 writes it: a field holding a comma, a quote or a line break is
 * quoted, quotes doubled. Line breaks inside fields become spaces, so every record is one line (the small sidecar
 * tables of this project, {@code _rejected.csv} and the processed ledger, are read line by line).
 */
public final class CsvLine {
  private CsvLine() {}

  /** The fields joined into one line (without the line terminator); null fields are empty. */
  public static String format(List<String> fields) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < fields.size(); i++) {
      if (i > 0) {
        sb.append(',');
      }
      String f = fields.get(i) == null ? "" : fields.get(i).replace('\r', ' ').replace('\n', ' ');
      if (f.indexOf(',') >= 0 || f.indexOf('"') >= 0) {
        sb.append('"').append(f.replace("\"", "\"\"")).append('"');
      } else {
        sb.append(f);
      }
    }
    return sb.toString();
  }

  /** The fields of one line written by {@link #format}. */
  public static List<String> parse(String line) {
    List<String> out = new ArrayList<>();
    StringBuilder f = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
          f.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          f.append(c);
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        out.add(f.toString());
        f.setLength(0);
      } else {
        f.append(c);
      }
    }
    out.add(f.toString());
    return out;
  }
}
