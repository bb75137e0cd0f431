package org.eelsunmix.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import jdk.incubator.vector.VectorSpecies;
import org.junit.jupiter.api.Test;

/**
 * Every float vector shape a kernel class holds is {@link FloatLanes#SPECIES}: a kernel at another width (even one
 * that only converts its floats to doubles) makes the type profile of the Vector API's shared methods name two
 * classes, and C2's intrinsics then fail in the larger kernels (see {@link FloatLanes}). Scans the compiled main
 * classes, so a new kernel is checked too.
 */
class FloatLanesTest {

  @Test
  void everyFloatKernelUsesTheOneShape() throws IOException, URISyntaxException, IllegalAccessException {
    assertTrue(VectorApi.ENABLED, "the tests run with --add-modules=jdk.incubator.vector (pom.xml's argLine)");
    Path classes = Path.of(FloatLanes.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    List<String> checked = new ArrayList<>();
    try (Stream<Path> files = Files.walk(classes)) {
      for (Path file : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".class"))::iterator) {
        String name = classes.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", "");
        if (!name.startsWith("org.eelsunmix.")) {
          continue;
        }
        Class<?> type;
        try {
          type = Class.forName(name, false, FloatLanes.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
          continue; // classes needing an absent optional dependency are not kernels
        }
        Field[] fields;
        try {
          fields = type.getDeclaredFields();
        } catch (LinkageError e) {
          continue;
        }
        for (Field f : fields) {
          if (!Modifier.isStatic(f.getModifiers()) || f.getType() != VectorSpecies.class) {
            continue;
          }
          f.setAccessible(true);
          VectorSpecies<?> species = (VectorSpecies<?>) f.get(null);
          if (species.elementType() != float.class) {
            continue;
          }
          checked.add(name + "." + f.getName());
          assertTrue(species == FloatLanes.SPECIES,
              name + "." + f.getName() + " is " + species + ", not FloatLanes.SPECIES");
        }
      }
    }
    // The kernels known today: the decoder's rows, the encoder's transforms, LeakyReLU, RMSprop, the spectra check,
    // the SAD loss's rows, FCLS's row products, the mixture residuals, and FloatLanes itself.
    assertTrue(checked.size() >= 9, "found " + checked);
    assertEquals(256, FloatLanes.SPECIES.vectorBitSize());
  }

  @Test
  void halvesAreTheFloatsWidened() {
    assertTrue(VectorApi.ENABLED && FloatLanes.usable(), "the tests run with the Vector API");
    java.util.Random r = new java.util.Random(7);
    for (int length = 4; length <= 20; length++) {
      float[] a = new float[length];
      for (int i = 0; i < length; i++) {
        a[i] = (float) (r.nextGaussian() * Math.pow(10, r.nextInt(9) - 4));
      }
      for (int at = 0; at + 4 <= length; at++) {
        if (at + 8 <= length) {
          jdk.incubator.vector.FloatVector v = jdk.incubator.vector.FloatVector.fromArray(FloatLanes.SPECIES, a, at);
          double[] low = FloatLanes.lowFour(v).toArray();
          double[] high = FloatLanes.highFour(v).toArray();
          for (int j = 0; j < 4; j++) {
            assertEquals((double) a[at + j], low[j]);
            assertEquals((double) a[at + 4 + j], high[j]);
          }
        }
      }
    }
  }
}
