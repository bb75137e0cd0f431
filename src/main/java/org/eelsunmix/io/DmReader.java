package org.eelsunmix.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.core.EnergyAxis;
import org.eelsunmix.core.SpectrumImage;

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
 * DigitalMicrograph stores a spectrum image band-sequential (energy slowest); it is transposed here, a block of
 * energy planes at a time, into pixel-major rows ({@link SpectrumImage}: y, x, channel fastest).
 *
 * <p>Shapes follow HyperSpy/NumPy C order: {@code (E)} for a spectrum, {@code (N, E)} for a line scan (read as one
 * row of N pixels), {@code (Y, X, E)} for a map.
 */
public final class DmReader {
  private static final int BLOCK_BYTES = 1 << 20;
  private static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

  private DmReader() {}

  /**
   * Reads {@code file}.
   *
   * @throws BadInputException if the file is missing, not a DM3/DM4 file, corrupt or truncated, or holds data that
   *     are not real-valued spectra (complex data, colour images, image stacks)
   * @throws UncheckedIOException on an I/O failure of the file system
   */
  public static SpectralFile read(Path file) {
    String source = file.toString();
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      DmTagParser.Tree tree = DmTagParser.parse(ch, source);
      return new DmReader.Image(source, file, tree, ch).read();
    } catch (NoSuchFileException e) {
      throw new BadInputException(source, "no such file");
    } catch (IOException e) {
      throw new UncheckedIOException(source + ": cannot read: " + e.getMessage(), e);
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
    private final Path file;
    private final DmTagParser.Tree tree;
    private final FileChannel channel;

    Image(String source, Path file, DmTagParser.Tree tree, FileChannel channel) {
      this.source = source;
      this.file = file;
      this.tree = tree;
      this.channel = channel;
    }

    private BadInputException bad(String problem) {
      return new BadInputException(source, problem);
    }

    SpectralFile read() throws IOException {
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
      long elements = 1;
      for (Axis a : axes) {
        // Each size is below 2^31, so checking after every product keeps the running product from overflowing.
        elements *= a.size;
        if (elements > MAX_ARRAY) {
          throw bad("the image (" + dims + ") has more values than can be held in memory at once");
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
      } catch (IllegalArgumentException e) {
        throw bad("invalid energy calibration in " + at + " (origin " + energy.origin + ", scale " + energy.scale
            + "): " + e.getMessage());
      }
      float[] values = new float[(int) elements];
      ByteOrder order = tree.dataOrder();
      if (energyDim == 0) {
        // Energy fastest: the file is already pixel-major.
        new BlockReader(channel, data.offset(), type, order, source, values.length).readInto(values);
      } else {
        new BlockReader(channel, data.offset(), type, order, source, values.length).transposeInto(values,
            (int) (elements / channels), channels);
      }
      String id = file.getFileName().toString().replaceFirst("\\.[^.]*$", "");
      SpectrumImage si;
      try {
        si = new SpectrumImage(id, height, width, axis, values);
      } catch (IllegalArgumentException e) {
        throw bad("the image data cannot be unmixed: " + e.getMessage());
      }
      double navScale = nav.isEmpty() ? Double.NaN : nav.get(0).scale;
      String navUnits = nav.isEmpty() ? "" : nav.get(0).units;
      return new SpectralFile(source, "dm" + tree.version(), type.numpyName(), shape, si, navScale, navUnits,
          metadata(image, format, signal));
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

  /**
   * Streams the pixel values of an image through one 1 MiB buffer, converting them to float. Owns its buffers;
   * one per read.
   */
  private static final class BlockReader {
    private final FileChannel channel;
    private final long offset;
    private final DmImageDataType type;
    private final String source;
    private final ByteBuffer bytes;
    private final float[] block;

    BlockReader(FileChannel channel, long offset, DmImageDataType type, ByteOrder order, String source,
        int elements) {
      this.channel = channel;
      this.offset = offset;
      this.type = type;
      this.source = source;
      int capacity = Math.min(elements, BLOCK_BYTES / type.size());
      this.bytes = ByteBuffer.allocate(capacity * type.size()).order(order);
      this.block = new float[capacity];
    }

    /** Values in file order (energy fastest, already pixel-major). */
    void readInto(float[] out) throws IOException {
      for (long first = 0; first < out.length; first += block.length) {
        int n = (int) Math.min(block.length, out.length - first);
        load(first, n);
        System.arraycopy(block, 0, out, (int) first, n);
      }
    }

    /**
     * Band-sequential (energy slowest: plane {@code e} holds all pixels of channel e) to pixel-major. Whole planes
     * are read a block at a time and each pixel's run of channels is written contiguously.
     */
    void transposeInto(float[] out, int pixels, int channels) throws IOException {
      if (pixels <= block.length) {
        int planesPerBlock = block.length / pixels;
        for (int e0 = 0; e0 < channels; e0 += planesPerBlock) {
          int k = Math.min(planesPerBlock, channels - e0);
          load((long) e0 * pixels, k * pixels);
          for (int p = 0; p < pixels; p++) {
            int base = p * channels + e0;
            for (int j = 0; j < k; j++) {
              out[base + j] = block[j * pixels + p];
            }
          }
        }
      } else {
        for (int e = 0; e < channels; e++) {
          for (int p0 = 0; p0 < pixels; p0 += block.length) {
            int n = Math.min(block.length, pixels - p0);
            load((long) e * pixels + p0, n);
            for (int q = 0; q < n; q++) {
              out[(p0 + q) * channels + e] = block[q];
            }
          }
        }
      }
    }

    /** Reads elements {@code [first, first + n)} of the image into {@code block[0..n)}. */
    private void load(long first, int n) throws IOException {
      bytes.clear().limit(n * type.size());
      long pos = offset + first * type.size();
      while (bytes.hasRemaining()) {
        int r = channel.read(bytes, pos + bytes.position());
        if (r < 0) {
          throw new BadInputException(source, "file is truncated: image data end at byte offset "
              + (pos + bytes.position()));
        }
      }
      bytes.flip();
      switch (type) {
        case INT8:
          for (int i = 0; i < n; i++) {
            block[i] = bytes.get();
          }
          break;
        case UINT8:
          for (int i = 0; i < n; i++) {
            block[i] = Byte.toUnsignedInt(bytes.get());
          }
          break;
        case INT16:
          for (int i = 0; i < n; i++) {
            block[i] = bytes.getShort();
          }
          break;
        case UINT16:
          for (int i = 0; i < n; i++) {
            block[i] = Short.toUnsignedInt(bytes.getShort());
          }
          break;
        case INT32:
          for (int i = 0; i < n; i++) {
            block[i] = bytes.getInt();
          }
          break;
        case UINT32:
          for (int i = 0; i < n; i++) {
            block[i] = Integer.toUnsignedLong(bytes.getInt());
          }
          break;
        case FLOAT32:
          for (int i = 0; i < n; i++) {
            block[i] = bytes.getFloat();
          }
          break;
        case FLOAT64:
          for (int i = 0; i < n; i++) {
            block[i] = (float) bytes.getDouble();
          }
          break;
        default:
          throw new IllegalStateException("not a real pixel type: " + type.name().toLowerCase(Locale.ROOT));
      }
    }
  }
}
