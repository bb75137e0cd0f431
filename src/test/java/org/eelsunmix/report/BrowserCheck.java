package org.eelsunmix.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;

/**
 * A page checked as a person would look at it: headless Chromium (Debian's {@code chromium}) loads it, the page's
 * own script ({@link HtmlPage}) marks every image that loaded, and each image's PNG must show data inside its plot
 * area. Skipped, with a message, where chromium is not installed ({@code .ci/run} installs it).
 */
public final class BrowserCheck {
  private BrowserCheck() {}

  /**
   * Loads {@code page} and checks that all {@code expectedImages} images loaded, each with a positive point count and
   * more than 100 coloured pixels in its plot area.
   *
   * @param scratch a folder for the browser's profile
   */
  public static void everyImageLoadsWithData(Path page, int expectedImages, Path scratch) throws Exception {
    String chromium = chromium();
    assumeTrue(chromium != null, "chromium is not installed (apt-get install chromium; .ci/run installs it): the "
        + "browser check of " + page.getFileName() + " is skipped");
    Path profile = Files.createDirectories(scratch.resolve("chromium-profile"));
    Process p = new ProcessBuilder(chromium, "--headless", "--no-sandbox", "--disable-gpu",
        "--user-data-dir=" + profile, "--virtual-time-budget=10000", "--dump-dom",
        page.toUri().toString()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    byte[] dom = p.getInputStream().readAllBytes();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "chromium did not finish");
    String html = new String(dom, StandardCharsets.UTF_8);
    assertTrue(html.contains("data-images-loaded=\"" + expectedImages + "/" + expectedImages + "\""),
        "the page's own count, expected " + expectedImages + " images: " + loadedCount(html));
    Matcher img = Pattern.compile("<img ([^>]*)>").matcher(html);
    int seen = 0;
    while (img.find()) {
      String tag = img.group(1);
      String src = attribute(tag, "src");
      assertEquals("yes", attribute(tag, "data-loaded"), src + " did not load");
      int points = Integer.parseInt(attribute(tag, "data-points"));
      assertTrue(points > 0, src + " has no data");
      int[] area = Arrays.stream(attribute(tag, "data-plot").split(" ")).mapToInt(Integer::parseInt).toArray();
      BufferedImage png = ImageIO.read(page.resolveSibling(src).toFile());
      assertTrue(colouredPixels(png, area) > 100, src + ": its plot area is blank");
      seen++;
    }
    assertEquals(expectedImages, seen);
  }

  /** Pixels inside {@code area} in a saturated colour (not white, grey or black: grid, frame and text are). */
  private static int colouredPixels(BufferedImage img, int[] area) {
    int n = 0;
    for (int y = area[1]; y < area[1] + area[3]; y++) {
      for (int x = area[0]; x < area[0] + area[2]; x++) {
        int rgb = img.getRGB(x, y);
        int r = (rgb >> 16) & 0xff;
        int g = (rgb >> 8) & 0xff;
        int b = rgb & 0xff;
        n += Math.max(r, Math.max(g, b)) - Math.min(r, Math.min(g, b)) > 60 ? 1 : 0;
      }
    }
    return n;
  }

  private static String loadedCount(String html) {
    Matcher m = Pattern.compile("data-images-loaded=\"([^\"]*)\"").matcher(html);
    return m.find() ? m.group(1) + " loaded" : "no count on the page (did its script run?)";
  }

  private static String attribute(String tag, String name) {
    Matcher m = Pattern.compile("\\s" + Pattern.quote(name) + "=\"([^\"]*)\"").matcher(" " + tag);
    assertTrue(m.find(), "no " + name + " in <img " + tag + ">");
    return m.group(1);
  }

  /** The chromium executable on the PATH, or null. */
  private static String chromium() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      for (String name : List.of("chromium", "chromium-browser")) {
        Path p = Path.of(dir, name);
        if (Files.isExecutable(p)) {
          return p.toString();
        }
      }
    }
    return null;
  }
}
