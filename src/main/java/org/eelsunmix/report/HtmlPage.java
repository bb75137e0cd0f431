package org.eelsunmix.report;

import java.awt.Rectangle;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.apache.commons.text.StringEscapeUtils;
import org.jfree.chart.JFreeChart;

/**
 * What every HTML page of the project shares: the head and house style, escaped text (Apache Commons Text), each
 * chart or map written as a PNG beside the page and shown with its point count and plot area
 * ({@code data-points}, {@code data-plot}), and the page's own check that every image loaded: on load a small script
 * marks each {@code <img>} {@code data-loaded="yes|no"} and writes {@code data-images-loaded="ok/total"} on the body
 * (and into an element {@code #image-check} when the page has one), which a person sees and a headless browser
 * test reads.
 */
public final class HtmlPage {
  private final StringBuilder html = new StringBuilder();
  private final FileSink files;
  private int images;

  /**
   * Starts a page: the head with {@code title} and the house style plus {@code extraStyle} (CSS rules, may be
   * empty), then the body; {@code files} receives the images and the page ({@code null} for a page whose caller
   * writes its images and the HTML from {@link #end} itself).
   */
  public HtmlPage(String title, String extraStyle, FileSink files) {
    this.files = files;
    html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>").append(esc(title))
        .append("</title>\n<style>\n")
        .append("body{font-family:sans-serif;margin:24px;color:#222;max-width:1700px}\n")
        .append("table{border-collapse:collapse;margin:8px 0 20px}\n")
        .append("th,td{border:1px solid #ccc;padding:4px 8px;text-align:left;font-size:14px}\n")
        .append("th{background:#f0f0f0}td.num{text-align:right;font-variant-numeric:tabular-nums}\n")
        .append(".row{display:flex;flex-wrap:wrap;gap:12px;align-items:flex-start}\n")
        .append("img{border:1px solid #eee;max-width:100%}\n")
        .append("section{border-top:2px solid #ddd;margin-top:28px}\n")
        .append(extraStyle).append("</style></head><body>\n");
  }

  /** The page's HTML so far, to append to (escape text with {@link #esc}). */
  public StringBuilder html() {
    return html;
  }

  /** Images written so far. */
  public int images() {
    return images;
  }

  /** Draws {@code chart} at {@code width × height}, writes it as {@code file} and shows it. */
  public void chart(String file, JFreeChart chart, int width, int height, String alt) throws IOException {
    image(file, Charts.render(chart, width, height), alt);
  }

  /** Writes a drawn chart or map as {@code file} (PNG) and shows it. */
  public void image(String file, Charts.Rendered img, String alt) throws IOException {
    try (OutputStream o = files.create(file)) {
      img.writePng(o);
    }
    images++;
    Rectangle a = img.plotArea();
    html.append("<img src=\"").append(esc(file)).append("\" alt=\"").append(esc(alt)).append("\" width=\"")
        .append(img.image().getWidth()).append("\" height=\"").append(img.image().getHeight())
        .append("\" data-points=\"").append(img.points()).append("\" data-plot=\"").append(a.x).append(' ')
        .append(a.y).append(' ').append(a.width).append(' ').append(a.height).append("\">\n");
  }

  /** The element the image check writes its count into. */
  public static String imageCheck() {
    return "<span id=\"image-check\"></span>";
  }

  /** Ends the page (the image check's script, closing tags) and writes it as {@code file}; returns the HTML. */
  public String finish(String file) throws IOException {
    String text = end();
    try (OutputStream o = files.create(file)) {
      o.write(text.getBytes(StandardCharsets.UTF_8));
    }
    return text;
  }

  /** Ends the page (the image check's script, closing tags) and returns the HTML, for a caller that writes it. */
  public String end() {
    html.append("<script>\n// Marks each image that loaded (naturalWidth > 0) and counts them: the page's own check.\n")
        .append("window.addEventListener('load', function () {\n")
        .append("  var imgs = document.querySelectorAll('img'), ok = 0;\n")
        .append("  imgs.forEach(function (i) { var y = i.complete && i.naturalWidth > 0;")
        .append(" i.setAttribute('data-loaded', y ? 'yes' : 'no'); if (y) ok++; });\n")
        .append("  var c = document.getElementById('image-check');\n")
        .append("  if (c) { c.textContent = ok + ' of ' + imgs.length + ' images loaded.'; }\n")
        .append("  document.body.setAttribute('data-images-loaded', ok + '/' + imgs.length);\n});\n</script>\n")
        .append("</body></html>\n");
    return html.toString();
  }

  /** HTML text and attribute escaping. */
  public static String esc(String s) {
    return s == null ? "" : StringEscapeUtils.escapeHtml4(s);
  }
}
