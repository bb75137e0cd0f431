package org.eelsunmix.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.core.EnergyAxis;

/**
 * Reads an EELS spectrum, line scan or spectrum image from a Gatan DigitalMicrograph DM3 or DM4 file.
 *
 * <p>The tag tree is parsed by {@link DmTagParser}. The data image is the largest entry of {@code ImageList} that
 * is not listed under {@code Thumbnails}; its {@code ImageData} gives {@code Data}, {@code DataType}
 * ({@link DmImageDataType}), {@code Dimensions} (fastest axis first) and per-axis calibrations
 * {@code Calibrations/Dimension/[i]/{Origin, Scale, Units}}. DigitalMicrograph's calibrated coordinate of index
 * {@code i} is {@code (i − Origin) · Scale} (origin in channels), so the energy axis starts at
 * {@code −Origin · Scale}.
 *
 * <p>Which data are spectra: a 1-D image is a spectrum; a 2-D or 3-D image must say so in
 * {@code ImageTags/Meta Data} ({@code Format} "Spectrum" or "Spectrum image", or {@code Signal} "EELS") or carry an
 * Orsay {@code spim} group. Other stacks are refused: an image stack is not a spectrum image. The energy axis is the
 * one calibrated in eV (else, as HyperSpy does, the slowest axis of a 3-D and the fastest of a 2-D image).
 * DigitalMicrograph stores a spectrum image band-sequential (energy slowest); {@link #open} gives any range of
 * pixels, transposed a block of energy planes at a time into pixel-major order (y, x, channel fastest), without
 * holding the image.
 *
 * <p>Shapes follow HyperSpy/NumPy C order: {@code (E)} for a spectrum, {@code (N, E)} for a line scan (read as one
 * row of N pixels), {@code (Y, X, E)} for a map.
 */
public final class DmReader {
  private static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

  private DmReader() {}

  /**
   * Reads {@code file} whole.
   *
   * @throws BadInputException if the file is missing, not a DM3/DM4 file, corrupt or truncated, or holds data that
   *     are not real-valued spectra (complex data, colour images, image stacks)
   * @throws UncheckedIOException on an I/O failure of the file system
   */
  public static SpectralFile read(Path file) {
    try (SpectrumSource s = open(file)) {
      return s.readAll(file.getFileName().toString().replaceFirst("\\.[^.]*$", ""));
    } catch (IOException e) {
      throw new UncheckedIOException(file + ": cannot read: " + e.getMessage(), e);
    }
  }

  /**
   * Opens {@code file} for reading pixels in ranges: the tag tree is parsed and the data image found and checked
   * (type, shape, that its bytes lie inside the file) here.
   *
   * @throws BadInputException as {@link #read}
   * @throws UncheckedIOException on an I/O failure of the file system
   */
  public static SpectrumSource open(Path file) {
    String source = file.toString();
    FileChannel ch;
    try {
      ch = FileChannel.open(file, StandardOpenOption.READ);
    } catch (NoSuchFileException e) {
      throw new BadInputException(source, "no such file");
    } catch (IOException e) {
      throw new UncheckedIOException(source + ": cannot read: " + e.getMessage(), e);
    }
    try {
      DmTagParser.Tree tree = DmTagParser.parse(ch, source);
      return new DmReader.Image(source, tree, ch).open();
    } catch (IOException e) {
      closeQuietly(ch);
      throw new UncheckedIOException(source + ": cannot read: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      closeQuietly(ch);
      throw e;
    }
  }

  private static void closeQuietly(FileChannel ch) {
    try {
      ch.close();
    } catch (IOException ignored) {
      // the read already failed; that failure is the one to report
    }
  }

  /** One calibrated axis of the stored image, DM order (fastest first). */
  private record Axis(long size, double origin, double scale, String units) {
    boolean isEnergy() {
      return units.equals("eV") || units.equals("keV");
    }
  }

  /** The reading of one file: picks the data image, checks it and converts it. */
  private static final class Image {
    private final String source;
    private final DmTagParser.Tree tree;
    private final FileChannel channel;

    Image(String source, DmTagParser.Tree tree, FileChannel channel) {
      this.source = source;
      this.tree = tree;
      this.channel = channel;
    }

    private BadInputException bad(String problem) {
      return new BadInputException(source, problem);
    }

    SpectrumSource open() {
      int index = dataImageIndex();
      String at = "ImageList/[" + index + "]";
      DmTag image = tree.root().find("ImageList", "[" + index + "]");
      DmTag imageData = image.child("ImageData");
      DmTag data = imageData.child("Data");
      DmTag typeTag = imageData.child("DataType");
      if (typeTag == null || typeTag.kind() != DmTag.Kind.NUMBER) {
        throw bad("tag " + at + "/ImageData/DataType is missing: cannot tell the pixel type");
      }
      DmImageDataType type = DmImageDataType.ofCode(typeTag.number());
      if (type == null) {
        throw bad("unknown DigitalMicrograph pixel type " + typeTag.asText() + " in " + at + "/ImageData/DataType");
      }
      List<Axis> axes = axes(imageData, at);
      String dims = dimensionText(axes);
      if (type.isComplex()) {
        throw bad("holds " + type.numpyName() + " data (" + dims + "): complex data cannot be unmixed");
      }
      if (!type.isReal()) {
        throw bad("holds " + (type == DmImageDataType.BINARY ? "a binary mask" : "an RGB colour image") + " ("
            + dims + "), not spectra");
      }
      NumericType numeric = type.numeric();
      long elements = 1;
      for (Axis a : axes) {
        // The tag parser bounds the Data tag by the file length; this bound keeps the product from overflowing.
        elements *= a.size;
        if (elements > Long.MAX_VALUE >> 4) {
          throw bad("the image (" + dims + ") has more values than any file holds");
        }
      }
      if (data.kind() != DmTag.Kind.ARRAY || data.byteLength() != elements * type.size()) {
        throw bad(String.format("corrupt image data in %s: %s %s needs %d bytes but the Data tag holds %d", at, dims,
            type.numpyName(), elements * type.size(), data.byteLength()));
      }
      DmTag tags = image.child("ImageTags");
      String format = text(tags, "Meta Data", "Format");
      String signal = text(tags, "Meta Data", "Signal");
      boolean spim = tags != null && tags.child("spim") != null;
      boolean formatSaysSpectra = "Spectrum".equalsIgnoreCase(format) || "Spectrum image".equalsIgnoreCase(format);
      boolean spectral = axes.size() == 1 || formatSaysSpectra || spim
          || (format == null && "EELS".equalsIgnoreCase(signal));
      if (!spectral) {
        String what = axes.size() == 3 ? "an image stack" : "a 2-D image";
        throw bad(String.format("is %s (%s, Meta Data Format %s), not a spectrum image: there are no spectra to "
            + "unmix", what, dims, format == null ? "absent" : "\"" + format + "\""));
      }
      int energyDim = energyDimension(axes);
      Axis energy = axes.get(energyDim);
      List<Axis> nav = new ArrayList<>(axes);
      nav.remove(energyDim);
      int channels = (int) energy.size;
      int width = nav.isEmpty() ? 1 : (int) nav.get(0).size;
      int height = nav.size() < 2 ? 1 : (int) nav.get(1).size;
      long[] shape = nav.isEmpty() ? new long[] {channels}
          : nav.size() == 1 ? new long[] {width, channels} : new long[] {height, width, channels};

      EnergyAxis axis;
      try {
        axis = new EnergyAxis(-energy.origin * energy.scale, energy.scale, energy.units.isEmpty() ? "eV"
            : energy.units, channels);
      } catch (BadInputException e) {
        throw bad("invalid energy calibration in " + at + " (origin " + energy.origin + ", scale " + energy.scale
            + "): " + e.getMessage());
      }
      double navScale = nav.isEmpty() ? Double.NaN : nav.get(0).scale;
      String navUnits = nav.isEmpty() ? "" : nav.get(0).units;
      AcquisitionHeader header = new AcquisitionHeader(source, "dm" + tree.version(), numeric, shape, width, height,
          axis, navScale, navUnits, metadata(image, format, signal));
      StoredValues values = new StoredValues(source, channel, data.offset(), elements, numeric, tree.dataOrder());
      boolean energyFastest = energyDim == 0;
      long plane = elements / channels;
      return new SpectrumSource() {
        @Override
        public AcquisitionHeader header() {
          return header;
        }

        @Override
        public void readPixels(long p0, long p1, float[] dst, int offset) throws IOException {
          SpectrumSource.checkRange(header, p0, p1, dst, offset);
          if (energyFastest) {
            values.read(p0 * channels, (int) ((p1 - p0) * channels), dst, offset);
          } else {
            // DigitalMicrograph stores spectrum images energy-slowest: one run per channel, transposed in blocks.
            values.readBandSequential(plane, channels, p0, (int) (p1 - p0), dst, offset);
          }
        }

        @Override
        public void close() throws IOException {
          channel.close();
        }
      };
    }

    /** The index in ImageList of the data image: the largest that is not a thumbnail. */
    private int dataImageIndex() {
      DmTag list = tree.root().child("ImageList");
      if (list == null || list.kind() != DmTag.Kind.GROUP || list.children().isEmpty()) {
        throw bad("holds no ImageList: not a DigitalMicrograph image or spectrum");
      }
      Set<Integer> thumbnails = new HashSet<>();
      DmTag thumbs = tree.root().child("Thumbnails");
      if (thumbs != null) {
        for (DmTag t : thumbs.children()) {
          DmTag i = t.child("ImageIndex");
          if (i != null && i.kind() == DmTag.Kind.NUMBER) {
            thumbnails.add((int) i.number());
          }
        }
      }
      int best = -1;
      long bestCount = -1;
      for (int pass = 0; pass < 2 && best < 0; pass++) {
        for (int i = 0; i < list.children().size(); i++) {
          DmTag d = list.children().get(i).find("ImageData", "Data");
          if (d == null || (pass == 0 && thumbnails.contains(i))) {
            continue;
          }
          if (d.count() > bestCount) {
            best = i;
            bestCount = d.count();
          }
        }
      }
      if (best < 0) {
        throw bad("none of the " + list.children().size() + " images in ImageList has ImageData/Data");
      }
      return best;
    }

    private List<Axis> axes(DmTag imageData, String at) {
      DmTag dimensions = imageData.child("Dimensions");
      if (dimensions == null || dimensions.children().isEmpty()) {
        throw bad("tag " + at + "/ImageData/Dimensions is missing: cannot tell the data shape");
      }
      int n = dimensions.children().size();
      if (n > 3) {
        throw bad("holds " + n + "-dimensional data; only spectra, line scans and spectrum images (1 to 3 axes) "
            + "are read");
      }
      DmTag cal = imageData.find("Calibrations", "Dimension");
      List<Axis> axes = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        DmTag d = dimensions.children().get(i);
        double size = d.number();
        if (d.kind() != DmTag.Kind.NUMBER || !(size >= 1 && size <= MAX_ARRAY) || size != Math.rint(size)) {
          throw bad("corrupt image size in " + at + "/ImageData/Dimensions/[" + i + "]: " + d.asText());
        }
        DmTag c = cal == null || i >= cal.children().size() ? null : cal.children().get(i);
        double origin = number(c, "Origin", 0.0);
        double scale = number(c, "Scale", 1.0);
        String units = c == null || c.child("Units") == null || c.child("Units").asText() == null ? ""
            : c.child("Units").asText().trim();
        axes.add(new Axis((long) size, origin, scale, units));
      }
      return axes;
    }

    /** The axis holding energy: the one calibrated in eV, else HyperSpy's rule (3-D: slowest; 1-D, 2-D: fastest). */
    private int energyDimension(List<Axis> axes) {
      int found = -1;
      for (int i = 0; i < axes.size(); i++) {
        if (axes.get(i).isEnergy()) {
          found = found == -1 ? i : -2;
        }
      }
      int e = found >= 0 ? found : axes.size() == 3 ? 2 : 0;
      if (e != 0 && e != axes.size() - 1) {
        throw bad("the energy axis is the middle axis of " + dimensionText(axes)
            + "; only energy-fastest or energy-slowest layouts are read");
      }
      return e;
    }

    private Map<String, String> metadata(DmTag image, String format, String signal) {
      Map<String, String> m = new LinkedHashMap<>();
      m.put("dm_version", Integer.toString(tree.version()));
      put(m, "title", text(image, "Name"));
      put(m, "format", format);
      put(m, "signal_type", signal);
      DmTag tags = image.child("ImageTags");
      if (tags == null) {
        return m;
      }
      DmTag volts = tags.find("Microscope Info", "Voltage");
      if (volts != null && volts.kind() == DmTag.Kind.NUMBER && volts.number() > 0) {
        m.put("beam_energy_kV", trim(volts.number() / 1000.0));
      }
      put(m, "microscope", first(tags, new String[][] {{"Session Info", "Microscope"},
          {"Microscope Info", "Name"}, {"Microscope Info", "Microscope"}}));
      put(m, "exposure_s", first(tags, new String[][] {{"EELS", "Acquisition", "Integration time (s)"},
          {"EELS", "Acquisition", "Exposure (s)"}, {"DataBar", "Exposure Time (s)"}}));
      put(m, "frames", text(tags, "EELS", "Acquisition", "Number of frames"));
      put(m, "acquisition_date", first(tags, new String[][] {{"DataBar", "Acquisition Date"},
          {"SI", "Acquisition", "Date"}}));
      put(m, "acquisition_time", first(tags, new String[][] {{"DataBar", "Acquisition Time"},
          {"SI", "Acquisition", "Start time"}}));
      put(m, "collection_semi_angle_mrad",
          text(tags, "EELS", "Experimental Conditions", "Collection semi-angle (mrad)"));
      put(m, "convergence_semi_angle_mrad",
          text(tags, "EELS", "Experimental Conditions", "Convergence semi-angle (mrad)"));
      put(m, "spectrometer", text(tags, "EELS Spectrometer", "Instrument name"));
      put(m, "operator", text(tags, "Session Info", "Operator"));
      put(m, "specimen", text(tags, "Session Info", "Specimen"));
      return m;
    }
  }

  private static String trim(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }

  private static void put(Map<String, String> m, String key, String value) {
    if (value != null && !value.isBlank()) {
      m.put(key, value.trim());
    }
  }

  private static String first(DmTag tags, String[][] paths) {
    for (String[] p : paths) {
      String t = text(tags, p);
      if (t != null && !t.isBlank()) {
        return t;
      }
    }
    return null;
  }

  private static String text(DmTag from, String... path) {
    DmTag t = from == null ? null : from.find(path);
    return t == null ? null : t.asText();
  }

  private static double number(DmTag group, String name, double fallback) {
    DmTag t = group == null ? null : group.child(name);
    return t != null && t.kind() == DmTag.Kind.NUMBER && Double.isFinite(t.number()) ? t.number() : fallback;
  }

  private static String dimensionText(List<Axis> axes) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < axes.size(); i++) {
      sb.append(i == 0 ? "" : "×").append(axes.get(i).size);
    }
    return sb.append(axes.size() == 1 ? " values" : " values, fastest axis first").toString();
  }
}
