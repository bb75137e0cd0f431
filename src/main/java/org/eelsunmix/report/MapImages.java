package org.eelsunmix.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Iterator;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Abundance (and RMSE) maps as image files.
 *
 * <p><b>16-bit TIFF</b> ({@link #writeTiff16}): one grey channel, unsigned 16-bit, one image pixel per map pixel,
 * row 0 at the top; the value stored is {@code round(65535 × clamp(a, 0, 1))} ({@link #toUnsigned16}), so
 * {@code a = stored / 65535} to within 7.7e-6 (half a step). For quantitative work in ImageJ, Fiji, HyperSpy.
 *
 * <p><b>PNG</b> ({@link #renderPng}): for looking at: the map in the viridis colour map ({@link ColourMap}) with
 * square pixels enlarged by a whole factor (no smoothing), a colour bar with labelled ticks, a title and a line
 * giving the image size and the pixel size when known. A line scan (one row) is drawn as a band 32 px high.
 */
public final class MapImages {
  private MapImages() {}

  /** The 16-bit value a map value in [0, 1] is stored as: {@code round(65535 × clamp(a, 0, 1))}; NaN gives 0. */
  public static int toUnsigned16(double a) {
    if (Double.isNaN(a)) {
      return 0;
    }
    return (int) Math.round(65535.0 * Math.min(1.0, Math.max(0.0, a)));
  }

  /**
   * Writes a {@code height × width} row-major map of values in [0, 1] as an uncompressed 16-bit greyscale TIFF
   * (javax.imageio's TIFF plugin, part of Java since 9). The stream is not closed.
   */
  public static void writeTiff16(double[] map, int height, int width, OutputStream out) throws IOException {
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_USHORT_GRAY);
    WritableRaster raster = img.getRaster();
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        raster.setSample(x, y, 0, toUnsigned16(map[y * width + x]));
      }
    }
    write(img, "tiff", out);
  }

  /** Writes a rendered image as PNG. The stream is not closed. */
  public static void writePng(BufferedImage img, OutputStream out) throws IOException {
    write(img, "png", out);
  }

  private static void write(BufferedImage img, String format, OutputStream out) throws IOException {
    Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName(format);
    if (!writers.hasNext()) {
      throw new IOException("this Java has no " + format + " image writer");
    }
    ImageWriter w = writers.next();
    // In memory, not ImageIO's default temporary-file cache: the target may be any Hadoop file system.
    try (ImageOutputStream ios = new MemoryCacheImageOutputStream(out)) {
      w.setOutput(ios);
      w.write(img);
    } finally {
      w.dispose();
    }
  }

  /**
   * Renders a map for viewing.
   *
   * @param map row-major {@code height × width} values
   * @param lo value drawn darkest (bottom of the colour bar)
   * @param hi value drawn brightest (top of the colour bar)
   * @param title e.g. {@code "Co abundance"}
   * @param barLabel the quantity on the colour bar, e.g. {@code "abundance"} or {@code "RMSE (counts)"}
   * @param pixelSize size of one pixel along x (NaN when unknown)
   * @param pixelUnits units of {@code pixelSize}
   */
  public static BufferedImage renderPng(double[] map, int height, int width, double lo, double hi, String title,
      String barLabel, double pixelSize, String pixelUnits) {
    int zoom = Math.max(1, 320 / Math.max(width, height));
    int mapW = width * zoom;
    int mapH = height == 1 ? 32 : height * zoom;
    int left = 20;
    int top = 40;
    int barW = 18;
    int plotH = Math.max(mapH, 160);
    int imgW = left + Math.max(mapW, 160) + 30 + barW + 90;
    int imgH = top + plotH + 46;
    BufferedImage img = new BufferedImage(imgW, imgH, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = PlotText.canvas(img);
    try {
      g.setColor(Color.BLACK);
      g.setFont(PlotText.TITLE);
      g.drawString(title, left, 26);

      double span = hi > lo ? hi - lo : 1;
      int mapTop = top + (plotH - mapH) / 2;
      int cellH = height == 1 ? mapH : zoom;
      for (int y = 0; y < height; y++) {
        for (int x = 0; x < width; x++) {
          int rgb = ColourMap.viridis((map[y * width + x] - lo) / span);
          for (int dy = 0; dy < cellH; dy++) {
            for (int dx = 0; dx < zoom; dx++) {
              img.setRGB(left + x * zoom + dx, mapTop + y * cellH + dy, rgb);
            }
          }
        }
      }
      g.setColor(Color.DARK_GRAY);
      g.setStroke(new BasicStroke(1f));
      g.drawRect(left - 1, mapTop - 1, mapW + 1, mapH + 1);

      g.setFont(PlotText.LABEL);
      g.setColor(Color.BLACK);
      String size = String.format(Locale.ROOT, "%d × %d pixels", width, height);
      if (Double.isFinite(pixelSize) && pixelSize > 0) {
        size += ", " + PlotText.length(pixelSize, pixelUnits) + " per pixel";
      }
      g.drawString(size, left, top + plotH + 30);

      int barX = left + Math.max(mapW, 160) + 30;
      for (int i = 0; i < plotH; i++) {
        g.setColor(new Color(ColourMap.viridis(1.0 - (double) i / (plotH - 1))));
        g.fillRect(barX, top + i, barW, 1);
      }
      g.setColor(Color.DARK_GRAY);
      g.drawRect(barX, top, barW, plotH - 1);
      double step = PlotText.niceStep(lo, lo + span, 5);
      int exp = PlotText.exponent(Math.max(Math.abs(lo), Math.abs(lo + span)));
      double unit = Math.pow(10, exp);
      int labelW = 0;
      for (double t : PlotText.ticks(lo, lo + span, step)) {
        int ty = (int) Math.round(top + (plotH - 1) * (1 - (t - lo) / span));
        g.drawLine(barX + barW, ty, barX + barW + 5, ty);
        g.setColor(Color.BLACK);
        String label = PlotText.label(t / unit, step / unit);
        g.drawString(label, barX + barW + 8, ty + 5);
        labelW = Math.max(labelW, g.getFontMetrics().stringWidth(label));
        g.setColor(Color.DARK_GRAY);
      }
      g.setColor(Color.BLACK);
      g.drawString(PlotText.timesTenTo(exp).trim(), barX, top - 8); // the bar labels' multiplier
      PlotText.vertical(g, barLabel, barX + barW + 8 + labelW + 16, top + plotH / 2.0);
    } finally {
      g.dispose();
    }
    return img;
  }
}
