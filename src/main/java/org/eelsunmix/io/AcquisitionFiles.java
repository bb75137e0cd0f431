package org.eelsunmix.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.eelsunmix.core.BadInputException;

/**
 * Recognises acquisition files by their name and opens them with the matching reader: Gatan {@code .dm3}/{@code
 * .dm4} ({@link DmReader}), HyperSpy {@code .hspy}/{@code .hdf5} ({@link HspyReader}), Ripple {@code .rpl} with its
 * {@code .raw} ({@link RippleReader}) and, when named explicitly, a NumPy {@code .npy} cube ({@link NpySource}).
 * Folder searches skip {@code .npy} files: NumPy acquisitions are folders of several arrays, read by
 * {@link NpyAcquisition}.
 */
public final class AcquisitionFiles {
  private AcquisitionFiles() {}

  /** The format name of a file this class can read, or null. */
  public static String formatOf(Path file) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".dm3")) {
      return "dm3";
    }
    if (name.endsWith(".dm4")) {
      return "dm4";
    }
    if (name.endsWith(".hspy") || name.endsWith(".hdf5")) {
      return "hspy";
    }
    if (name.endsWith(".rpl")) {
      return "ripple";
    }
    if (name.endsWith(".npy")) {
      return "npy";
    }
    return null;
  }

  /** The acquisition id a file gets by default: its name without the last extension. */
  public static String acquisitionId(Path file) {
    return RippleReader.baseName(file);
  }

  /**
   * Opens one acquisition file for reading pixels in ranges; its header is read and checked here. Bad content is a
   * {@link BadInputException} naming the file.
   */
  public static SpectrumSource open(Path file) {
    String format = formatOf(file);
    if (format == null) {
      throw new BadInputException(file.toString(), "is not a file type eels-unmix reads (.dm3, .dm4, .hspy, .rpl, "
          + ".npy)");
    }
    if (!Files.isRegularFile(file)) {
      throw new BadInputException(file.toString(), "no such file");
    }
    try {
      return switch (format) {
        case "dm3", "dm4" -> DmReader.open(file);
        case "hspy" -> HspyReader.open(file);
        case "npy" -> NpySource.open(file);
        default -> RippleReader.open(file);
      };
    } catch (IOException e) {
      throw new UncheckedIOException(file + ": " + e.getMessage(), e);
    }
  }

  /** Reads one acquisition file whole, with its default id; bad content is a {@link BadInputException}. */
  public static SpectralFile read(Path file) {
    try (SpectrumSource s = open(file)) {
      return s.readAll(acquisitionId(file));
    } catch (IOException e) {
      throw new UncheckedIOException(file + ": " + e.getMessage(), e);
    }
  }

  /**
   * The readable files among {@code inputs}: files as given, folders searched recursively (sorted, so runs are
   * reproducible). Unreadable names in folders are skipped; a named file of an unknown type is kept, so that
   * reading it reports the problem.
   */
  public static List<Path> expand(List<Path> inputs) {
    List<Path> out = new ArrayList<>();
    for (Path p : inputs) {
      if (Files.isDirectory(p)) {
        try (Stream<Path> s = Files.walk(p)) {
          s.filter(Files::isRegularFile).filter(f -> formatOf(f) != null && !"npy".equals(formatOf(f))).sorted().forEach(out::add);
        } catch (IOException e) {
          throw new UncheckedIOException("listing " + p + ": " + e.getMessage(), e);
        }
      } else {
        out.add(p);
      }
    }
    return out;
  }
}
