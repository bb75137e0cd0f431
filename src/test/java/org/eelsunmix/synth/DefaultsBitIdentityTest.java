package org.eelsunmix.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.eelsunmix.synth.SyntheticGenerator.Options;
import org.junit.jupiter.api.Test;

/**
 * With every new setting at its default the generator makes the cubes it made before spectral variability, layered
 * maps and vacuum existed: SHA-256 digests of the image, the truth maps and the truth endmembers recorded from the
 * generator at commit 7a52c72 (before the change).
 */
class DefaultsBitIdentityTest {

  /** SHA-256 of the raw bits of the image, then the truth maps, then the truth endmembers. */
  static String digest(SyntheticCube cube) throws Exception {
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    ByteBuffer buf = ByteBuffer.allocate(8);
    for (float v : cube.image().data()) {
      md.update(buf.clear().putInt(0, Float.floatToRawIntBits(v)).array(), 0, 4);
    }
    for (double v : cube.truthAbundances().values()) {
      md.update(buf.clear().putLong(0, Double.doubleToRawLongBits(v)).array(), 0, 8);
    }
    for (double[] row : cube.truthEndmembers().matrix()) {
      for (double v : row) {
        md.update(buf.clear().putLong(0, Double.doubleToRawLongBits(v)).array(), 0, 8);
      }
    }
    return HexFormat.of().formatHex(md.digest());
  }

  @Test
  void defaultCubesAreThoseOfTheGeneratorBeforeTheChange() throws Exception {
    assertEquals("b92113e1cf13ae07dcc6592c42ab247d908dcd2252b46031e74fa7ab54581657", digest(SyntheticGenerator.generate(Options.builtin("co-ru-pt"), 0)));
    assertEquals("3c81e641c5a4fecd6561b0ae8b0f0b6132172b547e5699d8510856290d854071", digest(SyntheticGenerator.generate(
        Options.builtin("k-edges").withSize(32).withBlock(4).withFilter(3).withDose(1e3).withSeed(5), 2)));
    assertEquals("3bc8266ca747591da8b9d31b126d717f27416efedf1645cf2a9c0cafa8eac56e", digest(SyntheticGenerator.generate(
        Options.builtin("co-ru-pt").withDose(SyntheticGenerator.NOISE_FREE).withFilter(1), 3)));
    assertEquals("26e0ffe77f97433999b8cf83b5fb79952b558ee6ddc8b3c0e51b2cf623f7da3c", digest(SyntheticGenerator.generate(Options.builtin("co-ru-pt").withDose(100), 1)));
  }
}
