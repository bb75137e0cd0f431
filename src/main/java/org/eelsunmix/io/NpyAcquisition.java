package org.eelsunmix.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import org.eelsunmix.core.Abundances;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.core.Endmembers;
import org.eelsunmix.core.EnergyAxis;
import org.eelsunmix.core.SpectrumImage;

/**
 * An acquisition stored as a folder of NumPy {@code .npy} files, the layout of {@code import-npy} and
 * {@code export}:
 *
 * <ul>
 *   <li>{@code cube.npy}: the spectrum image, shape {@code (rows, cols, channels)}, any real numeric dtype, counts
 *       that are finite and non-negative;</li>
 *   <li>{@code energy.npy} (optional): shape {@code (channels,)}, the energy of each channel in eV, strictly
 *       increasing or strictly decreasing and evenly spaced;</li>
 *   <li>{@code endmembers_gt.npy} (optional): the true pure spectra, shape {@code (R, channels)};</li>
 *   <li>{@code abundances_gt.npy} (optional): the true abundance maps, shape {@code (rows, cols, R)}.</li>
 * </ul>
 *
 * <p>The energy axis is the least-squares line {@code E_i = offset + i · scale} through {@code energy.npy}; every
 * energy must lie within {@link #LINEARITY_TOLERANCE} of a channel (plus the rounding of the file's own precision,
 * e.g. one float32 step at the largest energy) of that line, because the project describes every spectrum by a
 * linear calibration ({@link EnergyAxis}). Without {@code energy.npy} the caller's fallback axis (from
 * {@code --energy-offset}/{@code --energy-scale}) is used; when both exist the file wins.
 *
 * @param image the spectrum image
 * @param groundTruthEndmembers the true endmembers, or {@code null}
 * @param groundTruthAbundances the true abundances, or {@code null}
 */
public record NpyAcquisition(SpectrumImage image, Endmembers groundTruthEndmembers,
    Abundances groundTruthAbundances) {

  public static final String CUBE = "cube.npy";
  public static final String ENERGY = "energy.npy";
  public static final String ENDMEMBERS_GT = "endmembers_gt.npy";
  public static final String ABUNDANCES_GT = "abundances_gt.npy";

  /**
   * Largest deviation of an energy from the fitted line, as a fraction of one channel width. Energies written
   * by NumPy's {@code linspace}/{@code arange} in float64 deviate by ~1e-12 of a channel; a real non-linear
   * axis (e.g. a dispersion correction) by far more than 1e-3.
   */
  public static final double LINEARITY_TOLERANCE = 1e-3;

  /** Checks that the ground truths fit the image (same channels, same pixels, same R). */
  public NpyAcquisition {
    Objects.requireNonNull(image, "image");
    if (groundTruthEndmembers != null && groundTruthEndmembers.channels() != image.channels()) {
      throw new IllegalArgumentException("ground-truth endmembers have " + groundTruthEndmembers.channels()
          + " channels but the image has " + image.channels());
    }
    if (groundTruthAbundances != null && (groundTruthAbundances.height() != image.height()
        || groundTruthAbundances.width() != image.width())) {
      throw new IllegalArgumentException("ground-truth abundances are " + groundTruthAbundances.height() + " x "
          + groundTruthAbundances.width() + " pixels but the image is " + image.height() + " x " + image.width());
    }
    if (groundTruthEndmembers != null && groundTruthAbundances != null
        && groundTruthEndmembers.count() != groundTruthAbundances.count()) {
      throw new IllegalArgumentException(groundTruthEndmembers.count() + " ground-truth endmembers but "
          + groundTruthAbundances.count() + " ground-truth abundance maps");
    }
  }

  /**
   * Reads an acquisition folder.
   *
   * @param folder the folder holding {@code cube.npy} and the optional files
   * @param acquisitionId identifier of the image, or {@code null} for the folder's name
   * @param fallbackAxis energy axis used when there is no {@code energy.npy}, or {@code null}
   * @throws BadInputException naming the file at fault, for any missing, malformed or inconsistent file
   */
  public static NpyAcquisition read(Path folder, String acquisitionId, EnergyAxis fallbackAxis) throws IOException {
    if (!Files.isDirectory(folder)) {
      throw new BadInputException(folder.toString(), Files.exists(folder) ? "not a folder (an npy acquisition is "
          + "a folder holding cube.npy)" : "no such folder");
    }
    Path cubeFile = folder.resolve(CUBE);
    if (!Files.exists(cubeFile)) {
      throw new BadInputException(cubeFile.toString(), "missing: an npy acquisition folder needs cube.npy "
          + "(rows x cols x channels)");
    }
    String id = acquisitionId != null ? acquisitionId : String.valueOf(folder.toAbsolutePath().getFileName());
    String cubeName = cubeFile.toString();

    float[] counts;
    int rows;
    int cols;
    int channels;
    NumericType cubeType;
    try (NpyReader r = NpyReader.open(cubeFile)) {
      NpyHeader h = r.header();
      if (h.dimensions() != 3) {
        throw new BadInputException(cubeName, "the cube must be 3-D (rows, cols, channels), found shape "
            + h.shapeString());
      }
      if (h.elementCount() == 0) {
        throw new BadInputException(cubeName, "the cube is empty: shape " + h.shapeString());
      }
      int[] shape = r.intShape();
      rows = shape[0];
      cols = shape[1];
      channels = shape[2];
      cubeType = h.dtype();
      counts = r.readAllFloats();
    }
    checkCounts(cubeName, counts, cols, channels, cubeType);

    EnergyAxis axis = energyAxis(folder.resolve(ENERGY), channels, fallbackAxis, cubeName);
    SpectrumImage image = new SpectrumImage(id, rows, cols, axis, counts);

    Endmembers gtE = null;
    Path eFile = folder.resolve(ENDMEMBERS_GT);
    if (Files.exists(eFile)) {
      gtE = readEndmembers(eFile, axis);
    }
    Abundances gtA = null;
    Path aFile = folder.resolve(ABUNDANCES_GT);
    if (Files.exists(aFile)) {
      gtA = readAbundances(aFile, rows, cols);
      if (gtE != null && gtE.count() != gtA.count()) {
        throw new BadInputException(aFile.toString(), String.format("%d abundance maps (shape %s) but %s has "
            + "%d endmembers: the two ground truths must have the same R", gtA.count(),
            NpyHeader.shapeString(new long[] {rows, cols, gtA.count()}), ENDMEMBERS_GT, gtE.count()));
      }
    }
    return new NpyAcquisition(image, gtE, gtA);
  }

  /**
   * Writes {@code cube.npy} (float32), {@code energy.npy} (float64, eV) and, when given, the ground truths
   * (float64). Each file is replaced atomically; a ground-truth file left from an earlier export is deleted when
   * that ground truth is {@code null}, so the folder never mixes two acquisitions.
   */
  public static void write(Path folder, SpectrumImage image, Endmembers gtE, Abundances gtA) throws IOException {
    NpyAcquisition checked = new NpyAcquisition(image, gtE, gtA); // validates before anything is written
    Files.createDirectories(folder);
    NpyWriter.write(folder.resolve(CUBE), new int[] {image.height(), image.width(), image.channels()},
        image.data());
    NpyWriter.write(folder.resolve(ENERGY), new int[] {image.channels()}, energiesInEv(image.axis()));
    if (checked.groundTruthEndmembers() != null) {
      writeEndmembers(folder.resolve(ENDMEMBERS_GT), gtE);
    } else {
      Files.deleteIfExists(folder.resolve(ENDMEMBERS_GT));
    }
    if (checked.groundTruthAbundances() != null) {
      writeAbundances(folder.resolve(ABUNDANCES_GT), gtA);
    } else {
      Files.deleteIfExists(folder.resolve(ABUNDANCES_GT));
    }
  }

  /** Writes abundance maps as a float64 array of shape {@code (rows, cols, R)}, atomically. */
  public static void writeAbundances(Path file, Abundances a) throws IOException {
    NpyWriter.write(file, new int[] {a.height(), a.width(), a.count()}, a.values());
  }

  /** Writes endmembers as a float64 array of shape {@code (R, channels)}, atomically (names and axis are not kept). */
  public static void writeEndmembers(Path file, Endmembers e) throws IOException {
    int r = e.count();
    int b = e.channels();
    double[] flat = new double[r * b];
    for (int i = 0; i < r; i++) {
      System.arraycopy(e.spectrum(i), 0, flat, i * b, b);
    }
    NpyWriter.write(file, new int[] {r, b}, flat);
  }

  // ---------------------------------------------------------------------------------------------------------------

  /** One pass over the counts: the first NaN, infinity or negative value is reported by pixel and channel. */
  private static void checkCounts(String source, float[] counts, int cols, int channels, NumericType type) {
    for (int i = 0; i < counts.length; i++) {
      float v = counts[i];
      if (v >= 0f && v != Float.POSITIVE_INFINITY) {
        continue; // the common case: two comparisons per value
      }
      int pixel = i / channels;
      String where = String.format("pixel (y=%d, x=%d), channel %d", pixel / cols, pixel % cols, i % channels);
      if (Float.isNaN(v)) {
        throw new BadInputException(source, "NaN at " + where + "; unmixing needs finite counts");
      }
      if (Float.isInfinite(v)) {
        throw new BadInputException(source, (v > 0 ? "+Inf" : "-Inf") + " at " + where
            + (type == NumericType.FLOAT64 ? " (or a float64 value beyond the float32 range, 3.4e38)" : "")
            + "; unmixing needs finite counts");
      }
      throw new BadInputException(source, "negative count " + v + " at " + where
          + "; unmixing needs non-negative spectra");
    }
  }

  static EnergyAxis energyAxis(Path energyFile, int channels, EnergyAxis fallback, String cubeName)
      throws IOException {
    if (!Files.exists(energyFile)) {
      if (fallback == null) {
        throw new BadInputException(energyFile.toString(), "no energy axis: add energy.npy or give "
            + "--energy-offset and --energy-scale");
      }
      if (fallback.channels() != channels) {
        throw new BadInputException(cubeName, String.format("the cube has %d channels but the energy axis given "
            + "on the command line has %d", channels, fallback.channels()));
      }
      return fallback;
    }
    String source = energyFile.toString();
    NpyArray e = NpyReader.read(energyFile);
    if (e.dimensions() != 1) {
      throw new BadInputException(source, "energy.npy must be 1-D (one energy per channel), found shape "
          + NpyHeader.shapeString(toLong(e.shape())));
    }
    if (e.size() != channels) {
      throw new BadInputException(source, String.format("%d energies but %s has %d channels", e.size(),
          CUBE, channels));
    }
    return fitLinearAxis(e.doubles(), e.sourceType(), source);
  }

  /** Least-squares line through the energies, centred on the middle channel to avoid cancellation. */
  static EnergyAxis fitLinearAxis(double[] energy, NumericType type, String source) {
    int n = energy.length;
    for (int i = 0; i < n; i++) {
      if (!Double.isFinite(energy[i])) {
        throw new BadInputException(source, "non-finite energy " + energy[i] + " at channel " + i);
      }
    }
    if (n < 2) {
      throw new BadInputException(source, "a single energy does not define the energy step (eV per channel)");
    }
    boolean increasing = energy[n - 1] > energy[0];
    for (int i = 1; i < n; i++) {
      boolean ok = increasing ? energy[i] > energy[i - 1] : energy[i] < energy[i - 1];
      if (!ok) {
        throw new BadInputException(source, String.format("energies must be strictly monotonic (the axis runs "
            + "%s overall), but channel %d is at %s eV after channel %d at %s eV", increasing ? "upwards"
            : "downwards", i, energy[i], i - 1, energy[i - 1]));
      }
    }
    double maxAbs = 0;
    double meanI = (n - 1) / 2.0;
    double meanE = 0;
    for (double v : energy) {
      meanE += v;
      maxAbs = Math.max(maxAbs, Math.abs(v));
    }
    meanE /= n;
    double sxy = 0;
    double sxx = 0;
    for (int i = 0; i < n; i++) {
      sxy += (i - meanI) * (energy[i] - meanE);
      sxx += (i - meanI) * (i - meanI);
    }
    double scale = sxy / sxx;
    double offset = meanE - scale * meanI;
    double tolerance = LINEARITY_TOLERANCE * Math.abs(scale) + 2 * precisionStep(type, maxAbs);
    for (int i = 0; i < n; i++) {
      double deviation = Math.abs(energy[i] - (offset + i * scale));
      if (deviation > tolerance) {
        throw new BadInputException(source, String.format("energies are not evenly spaced: channel %d is at %s "
            + "eV, %.3g channels away from the straight line (offset %s eV, %s eV/channel) through all of them; "
            + "a linear energy axis is required (tolerance %.3g channels)", i, energy[i],
            deviation / Math.abs(scale), offset, scale, tolerance / Math.abs(scale)));
      }
    }
    return EnergyAxis.ofEv(offset, scale, n);
  }

  /** Spacing of representable values near {@code magnitude} in the file's precision (0 for integers). */
  private static double precisionStep(NumericType type, double magnitude) {
    return switch (type) {
      case FLOAT64 -> Math.ulp(magnitude);
      case FLOAT32 -> Math.ulp((float) magnitude);
      case FLOAT16 -> Math.ulp((float) magnitude) * 8192; // 10 fraction bits instead of 23
      default -> 0;
    };
  }

  private static double[] energiesInEv(EnergyAxis axis) {
    double factor = switch (axis.units()) {
      case "eV" -> 1;
      case "keV" -> 1000;
      default -> throw new IllegalArgumentException("energy.npy holds eV; cannot convert an axis in "
          + axis.units());
    };
    double[] e = axis.energies();
    for (int i = 0; i < e.length; i++) {
      e[i] *= factor;
    }
    return e;
  }

  private static Endmembers readEndmembers(Path file, EnergyAxis axis) throws IOException {
    String source = file.toString();
    NpyArray a = NpyReader.read(file);
    if (a.dimensions() != 2 || a.dimension(0) < 1) {
      throw new BadInputException(source, "ground-truth endmembers must be 2-D (R, channels) with R >= 1, found "
          + "shape " + NpyHeader.shapeString(toLong(a.shape())));
    }
    int r = a.dimension(0);
    int b = a.dimension(1);
    if (b != axis.channels()) {
      throw new BadInputException(source, String.format("endmembers have %d channels but %s has %d", b, CUBE,
          axis.channels()));
    }
    double[] v = a.doubles();
    double[][] m = new double[r][b];
    for (int i = 0; i < r; i++) {
      for (int c = 0; c < b; c++) {
        double x = v[i * b + c];
        if (!Double.isFinite(x)) {
          throw new BadInputException(source, "non-finite value " + x + " in endmember " + i + ", channel " + c);
        }
        m[i][c] = x;
      }
    }
    return new Endmembers(m, null, axis);
  }

  private static Abundances readAbundances(Path file, int rows, int cols) throws IOException {
    String source = file.toString();
    NpyArray a = NpyReader.read(file);
    if (a.dimensions() != 3 || a.dimension(2) < 1) {
      throw new BadInputException(source, "ground-truth abundances must be 3-D (rows, cols, R) with R >= 1, "
          + "found shape " + NpyHeader.shapeString(toLong(a.shape())));
    }
    if (a.dimension(0) != rows || a.dimension(1) != cols) {
      throw new BadInputException(source, String.format("abundance maps are %d x %d pixels but %s is %d x %d",
          a.dimension(0), a.dimension(1), CUBE, rows, cols));
    }
    int r = a.dimension(2);
    double[] v = a.doubles();
    for (int i = 0; i < v.length; i++) {
      if (!Double.isFinite(v[i])) {
        int pixel = i / r;
        throw new BadInputException(source, String.format("non-finite abundance %s at pixel (y=%d, x=%d), "
            + "endmember %d", v[i], pixel / cols, pixel % cols, i % r));
      }
    }
    return new Abundances(rows, cols, r, v);
  }

  private static long[] toLong(int[] s) {
    long[] l = new long[s.length];
    for (int i = 0; i < s.length; i++) {
      l[i] = s[i];
    }
    return l;
  }
}
