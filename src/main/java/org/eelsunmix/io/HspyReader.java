package org.eelsunmix.io;

import io.jhdf.HdfFile;
import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import io.jhdf.object.datatype.DataType;
import io.jhdf.object.datatype.FixedPoint;
import io.jhdf.object.datatype.FloatingPoint;
import java.io.IOException;
import java.lang.reflect.Array;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.core.EnergyAxis;

/**
 * Reads a HyperSpy {@code .hspy} file (HDF5; HyperSpy's "hspy" format, versions 1.x to 3.x, written by
 * {@code hyperspy}/{@code rsciio.hspy}) through jHDF.
 *
 * <p>Layout: the signal lives in the group {@code /Experiments/<title>}: the array is its dataset {@code data},
 * and each array dimension {@code i} is described by the group {@code axis-i} whose attributes are {@code name},
 * {@code size}, {@code offset}, {@code scale}, {@code units} and {@code navigate} ({@code TRUE} for a pixel axis,
 * {@code FALSE} for the signal axis). HyperSpy orders the array navigation axes first, signal axis last. This
 * reader needs exactly one signal axis, the last one, with a uniform calibration (it becomes the
 * {@link org.eelsunmix.core.EnergyAxis}), and at most two navigation axes: a 2-D map {@code (y, x, E)} is {@code rows × cols}, a line
 * scan {@code (x, E)} is one row ({@code y = 0}), a single spectrum is 1 × 1. When no axis says whether it is
 * navigated (very old files), the last axis is taken as the signal. The signal type ({@code EELS},
 * {@code EDS_TEM}, none) is reported in the metadata and does not stop the file from being read.
 *
 * <p>Data of real numbers only (int8 ... uint64, float16/32/64), converted to {@code float}; complex, boolean,
 * string or compound data is refused. Sizes are checked against the axes and the memory before the array is
 * read, and every failure inside jHDF (a truncated or corrupt file) becomes a {@link BadInputException} naming the
 * file. Metadata holds every attribute under {@code metadata/} as text, named by its HyperSpy path
 * ({@code General.title}, {@code Signal.signal_type}, {@code Acquisition_instrument.TEM.beam_energy}, ...), minus
 * HyperSpy's private {@code _HyperSpy} branch, plus the pixel calibration as {@code navigation.x.offset|scale|units}
 * and, for a map, {@code navigation.y.*}.
 */
public final class HspyReader {
  private HspyReader() {
  }

  /**
   * Reads {@code file} whole.
   *
   * @throws BadInputException naming {@code file} if it is missing, not a HyperSpy file, corrupt, or does not hold
   *     one spectrum (image) of real numbers
   */
  public static SpectralFile read(Path file) throws IOException {
    try (SpectrumSource s = open(file)) {
      return s.readAll(RippleReader.baseName(file));
    }
  }

  /**
   * Opens {@code file} for reading pixels in ranges: the signal group, its axes, the data type and the file's
   * length (against the superblock) are checked here.
   *
   * @throws BadInputException as {@link #read}
   */
  public static SpectrumSource open(Path file) throws IOException {
    String source = file.toString();
    if (!Files.isRegularFile(file)) {
      throw new BadInputException(source, Files.exists(file) ? "is not a regular file" : "no such file");
    }
    HdfFile hdf = null;
    try {
      hdf = new HdfFile(file);
      return open(source, file, hdf);
    } catch (IOException e) {
      if (hdf != null) {
        hdf.close();
      }
      throw e;
    } catch (RuntimeException e) {
      if (hdf != null) {
        hdf.close();
      }
      throw corrupt(source, e);
    }
  }

  /**
   * Opens a bare HDF5 spectrum-image array (no HyperSpy groups): the {@code height × width × channels} dataset at
   * {@code datasetPath}, C order, energy fastest, on the caller's energy axis. Read through the same chunk-by-chunk
   * path as HyperSpy files; the ingest benchmark uses it because jHDF 0.13 cannot write HyperSpy's group layout.
   *
   * @throws BadInputException naming the file when the dataset is missing, not three-dimensional, of a type we do not
   *     read, or its last dimension is not the axis's channel count
   */
  public static SpectrumSource openArray(Path file, String datasetPath, EnergyAxis axis) throws IOException {
    String source = file.toString();
    HdfFile hdf = new HdfFile(file);
    try {
      checkComplete(source, hdf);
      if (!(hdf.getByPath(datasetPath) instanceof Dataset data)) {
        throw new BadInputException(source, "has no array at " + datasetPath);
      }
      long[] dims = data.getDimensionsAsLong();
      if (dims.length != 3 || dims[2] != axis.channels() || dims[0] > Integer.MAX_VALUE
          || dims[1] > Integer.MAX_VALUE) {
        throw new BadInputException(source, datasetPath + " has shape " + HspyLayout.shapeText(dims) + "; expected "
            + "height × width × " + axis.channels() + " channels");
      }
      AcquisitionHeader header = new AcquisitionHeader(source, "hspy", dtypeOf(source, data), dims, (int) dims[1],
          (int) dims[0], axis, Double.NaN, "", Map.of());
      return new HspySource(header, hdf, data, file);
    } catch (IOException e) {
      hdf.close();
      throw e;
    } catch (RuntimeException e) {
      hdf.close();
      throw corrupt(source, e);
    }
  }

  /** jHDF signals a truncated or corrupt file with HdfException, but also with buffer and index exceptions. */
  static BadInputException corrupt(String source, RuntimeException e) {
    if (e instanceof BadInputException b) {
      return b;
    }
    return new BadInputException(source, "cannot be read as an HDF5/HyperSpy file (truncated or corrupt?): "
        + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()), e);
  }

  private static SpectrumSource open(String source, Path file, HdfFile hdf) throws IOException {
    checkComplete(source, hdf);
    Group experiment = experimentGroup(source, hdf);
    Node dataNode = experiment.getChild("data");
    if (!(dataNode instanceof Dataset data)) {
      throw new BadInputException(source, "the signal group " + experiment.getPath() + " has no 'data' array");
    }
    NumericType dtype = dtypeOf(source, data);
    long[] dims = data.isScalar() ? new long[0] : data.getDimensionsAsLong();
    List<HspyAxis> axes = new ArrayList<>();
    for (int i = 0; i < dims.length; i++) {
      Node n = experiment.getChild("axis-" + i);
      if (!(n instanceof Group g)) {
        throw new BadInputException(source, "has no axis-" + i + " group for dimension " + i + " of the data "
            + HspyLayout.shapeText(dims));
      }
      Map<String, Object> attributes = new LinkedHashMap<>();
      for (Attribute a : g.getAttributes().values()) {
        attributes.put(a.getName(), a.getData());
      }
      axes.add(HspyAxis.of(source, i, attributes));
    }
    HspyLayout layout = HspyLayout.of(source, dims, axes);
    Map<String, String> metadata = new LinkedHashMap<>();
    if (experiment.getChild("metadata") instanceof Group g) {
      flatten(g, "", metadata);
    }
    metadata.putIfAbsent("General.title", experiment.getName());
    // The pixel calibration under reader-neutral names (RippleReader gives the same): x is the fastest axis.
    int navigation = dims.length - 1;
    for (int i = 0; i < navigation; i++) {
      HspyAxis a = axes.get(i);
      String key = "navigation." + (i == navigation - 1 ? "x" : "y") + ".";
      metadata.put(key + "offset", Double.toString(a.offset()));
      metadata.put(key + "scale", Double.toString(a.scale()));
      metadata.put(key + "units", a.units());
    }
    HspyAxis x = layout.x();
    AcquisitionHeader header = new AcquisitionHeader(source, "hspy", dtype, dims, layout.width(), layout.height(),
        layout.energy(), x == null ? Double.NaN : x.scale(), x == null ? "" : x.units(), metadata);
    return new HspySource(header, hdf, data, file);
  }

  /**
   * A cut-off file often still opens (the superblock and root group sit at its start) and fails, or worse reads
   * zeros, only when a missing chunk is reached; the superblock records the file's full length, so compare first.
   */
  private static void checkComplete(String source, HdfFile hdf) {
    long expected = hdf.getUserBlockSize() + hdf.getHdfBackingStorage().getSuperblock().getEndOfFileAddress();
    long actual = hdf.size();
    if (actual < expected) {
      throw new BadInputException(source, "truncated: " + actual + " bytes, but its HDF5 superblock says the file "
          + "is " + expected + " bytes long (an interrupted copy or download?)");
    }
  }

  /** The one group under {@code /Experiments}. */
  private static Group experimentGroup(String source, HdfFile hdf) {
    Node experiments = hdf.getChild("Experiments");
    if (!(experiments instanceof Group g)) {
      throw new BadInputException(source, "is an HDF5 file but not a HyperSpy one: it has no /Experiments group");
    }
    List<Group> signals = new ArrayList<>();
    for (Node n : g.getChildren().values()) {
      if (n instanceof Group s) {
        signals.add(s);
      }
    }
    if (signals.size() != 1) {
      throw new BadInputException(source, "holds " + signals.size() + " signals under /Experiments; expected one");
    }
    return signals.get(0);
  }

  /** The stored number type; anything but real numbers is refused here, before reading the data. */
  private static NumericType dtypeOf(String source, Dataset data) {
    if (data.isCompound()) {
      throw new BadInputException(source, "the data are complex or compound numbers; unmixing needs real "
          + "spectra (take the modulus or real part in HyperSpy first)");
    }
    DataType t = data.getDataType();
    NumericType type = null;
    if (t instanceof FloatingPoint) {
      type = NumericType.of('f', t.getSize());
    } else if (t instanceof FixedPoint f) {
      type = NumericType.of(f.isSigned() ? 'i' : 'u', t.getSize());
    }
    if (type == null) {
      throw new BadInputException(source, "the data are of type " + t.getClass().getSimpleName() + " ("
          + t.getSize() + " bytes); only integer or floating-point counts can be unmixed");
    }
    return type;
  }

  /** The flat array jHDF returns, as floats (a float32 array is taken as it is). */
  static float[] toFloats(String source, Object flat, int n) {
    if (flat == null || !flat.getClass().isArray() || Array.getLength(flat) != n) {
      throw new BadInputException(source, "the data array could not be read whole (expected " + n + " values)");
    }
    float[] out;
    if (flat instanceof float[] f) {
      out = f;
    } else {
      out = new float[n];
      if (flat instanceof double[] d) {
        for (int i = 0; i < n; i++) {
          out[i] = (float) d[i];
        }
      } else if (flat instanceof byte[] b) {
        for (int i = 0; i < n; i++) {
          out[i] = b[i];
        }
      } else if (flat instanceof short[] s) {
        for (int i = 0; i < n; i++) {
          out[i] = s[i];
        }
      } else if (flat instanceof int[] v) {
        for (int i = 0; i < n; i++) {
          out[i] = v[i];
        }
      } else if (flat instanceof long[] v) {
        for (int i = 0; i < n; i++) {
          out[i] = v[i];
        }
      } else if (flat instanceof BigInteger[] v) {
        // jHDF widens uint64 to BigInteger.
        for (int i = 0; i < n; i++) {
          out[i] = v[i].floatValue();
        }
      } else {
        throw new BadInputException(source, "the data array holds " + flat.getClass().getComponentType()
            .getSimpleName() + " values, not numbers");
      }
    }
    return out;
  }

  /** Every attribute below {@code g} as {@code path.name = text}, skipping HyperSpy's private branch. */
  private static void flatten(Group g, String prefix, Map<String, String> out) {
    for (Attribute a : g.getAttributes().values()) {
      out.put(prefix + a.getName(), text(a.getData()));
    }
    for (Node n : g.getChildren().values()) {
      if (n instanceof Group child && !n.getName().startsWith("_")) {
        flatten(child, prefix + n.getName() + ".", out);
      }
    }
  }

  private static String text(Object v) {
    if (v == null) {
      return "";
    }
    if (v.getClass().isArray()) {
      if (v instanceof Object[] o) {
        return Arrays.deepToString(o);
      }
      StringBuilder s = new StringBuilder("[");
      for (int i = 0; i < Array.getLength(v); i++) {
        s.append(i == 0 ? "" : ", ").append(Array.get(v, i));
      }
      return s.append(']').toString();
    }
    return v.toString();
  }
}
