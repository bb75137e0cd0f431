package org.eelsunmix.synth;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.core.Endmembers;
import org.eelsunmix.core.EnergyAxis;
import org.eelsunmix.io.Msa;
import org.eelsunmix.io.MsaSpectrum;

/**
 * Loads an endmember set, one EMSA/MSA spectrum per endmember, in file-name order: either a built-in set shipped
 * inside the jar ({@link BuiltinEndmembers#NAMES}) or a user's folder of {@code .msa} files. Endmember names are
 * the files' {@code #TITLE}s (the file name without extension where a title is empty).
 */
public final class EndmemberSet {
  /** Two axes are "the same" when offset and step agree to this relative tolerance. */
  private static final double AXIS_TOLERANCE = 1e-6;

  private EndmemberSet() {
  }

  /** The names accepted by {@link #builtin}. */
  public static List<String> builtinNames() {
    return BuiltinEndmembers.NAMES;
  }

  /**
   * The built-in set {@code name}, read from the class path ({@code org/eelsunmix/synth/endmembers/<name>/}).
   *
   * @throws BadInputException naming {@code set} and listing the known sets, for an unknown name
   */
  public static Endmembers builtin(String name) {
    BuiltinEndmembers.Definition d = BuiltinEndmembers.definition(name);
    List<MsaSpectrum> spectra = new ArrayList<>();
    List<String> sources = new ArrayList<>();
    for (BuiltinEndmembers.Entry e : d.entries()) {
      String resource = BuiltinEndmembers.RESOURCE_ROOT + name + "/" + e.fileName();
      try (InputStream in = EndmemberSet.class.getResourceAsStream(resource)) {
        if (in == null) {
          // A packaging fault, not a user error: the build copies data-samples/endmembers into the jar.
          throw new IllegalStateException("built-in endmember file " + resource + " is missing from the class "
              + "path (was the jar built with mvn package, or process-resources run?)");
        }
        spectra.add(Msa.read(in, "classpath:" + resource));
        sources.add("classpath:" + resource);
      } catch (IOException ex) {
        throw new IllegalStateException("cannot read built-in endmember file " + resource, ex);
      }
    }
    return combine(spectra, sources, fileNames(d));
  }

  /**
   * The {@code .msa} / {@code .emsa} files of {@code folder} (not its sub-folders), sorted by file name, as one
   * endmember set. All must share one energy axis.
   *
   * @throws BadInputException naming the folder (missing, empty) or the file at fault (unreadable, another axis)
   */
  public static Endmembers fromFolder(Path folder) {
    if (!Files.isDirectory(folder)) {
      throw new BadInputException(folder.toString(), Files.exists(folder)
          ? "is a file, not a folder of EMSA/MSA endmember spectra" : "no such folder of endmember spectra");
    }
    List<Path> files;
    try (Stream<Path> list = Files.list(folder)) {
      files = list.filter(p -> Files.isRegularFile(p) && isMsa(p)).sorted().toList();
    } catch (IOException e) {
      throw new BadInputException(folder.toString(), "cannot list the folder (" + e.getMessage() + ")", e);
    }
    if (files.isEmpty()) {
      throw new BadInputException(folder.toString(),
          "contains no .msa files; put one EMSA/MSA spectrum per endmember there");
    }
    List<MsaSpectrum> spectra = new ArrayList<>();
    List<String> sources = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (Path f : files) {
      spectra.add(Msa.read(f));
      sources.add(f.toString());
      names.add(f.getFileName().toString());
    }
    return combine(spectra, sources, names);
  }

  private static List<String> fileNames(BuiltinEndmembers.Definition d) {
    List<String> names = new ArrayList<>();
    for (BuiltinEndmembers.Entry e : d.entries()) {
      names.add(e.fileName());
    }
    return names;
  }

  private static Endmembers combine(List<MsaSpectrum> spectra, List<String> sources, List<String> fileNames) {
    EnergyAxis axis = spectra.get(0).axis();
    double[][] matrix = new double[spectra.size()][];
    List<String> names = new ArrayList<>();
    for (int r = 0; r < spectra.size(); r++) {
      MsaSpectrum s = spectra.get(r);
      if (!s.axis().sameAs(axis, AXIS_TOLERANCE) || !s.axis().units().equalsIgnoreCase(axis.units())) {
        throw new BadInputException(sources.get(r), "its energy axis (" + s.axis() + ") differs from that of "
            + fileNames.get(0) + " (" + axis + "); all endmembers of a set must share one energy axis");
      }
      matrix[r] = s.values();
      String title = s.title();
      names.add(title.isEmpty() ? stem(fileNames.get(r)) : title);
    }
    return new Endmembers(matrix, names, axis);
  }

  private static boolean isMsa(Path p) {
    String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
    return (n.endsWith(".msa") || n.endsWith(".emsa")) && !n.startsWith(".");
  }

  private static String stem(String fileName) {
    int dot = fileName.lastIndexOf('.');
    return dot > 0 ? fileName.substring(0, dot) : fileName;
  }
}
