package org.eelsunmix.io;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eelsunmix.core.BadInputException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 3000 seeded mutants (600 per format) of real files (DM3, DM4, HyperSpy, Ripple, NumPy): bit flips in the structure, cuts at
 * random offsets, absurd numbers written into header fields. Each must either read or be refused with a
 * {@link BadInputException} naming the file; any other exception, an error (out of memory, stack overflow) or more
 * than {@value #SECONDS_PER_FILE} s for one file fails. Readers bound what they allocate by the file's length, so a
 * lying header cannot ask for gigabytes.
 */
class ReaderFuzzTest {
  static final Path DATA = Path.of(System.getProperty("eelsunmix.shared.data", "../shared/data"));
  private static final int SECONDS_PER_FILE = 5;
  private static final int PER_FILE = 600;
  private static ExecutorService worker;

  @TempDir
  Path dir;

  @BeforeAll
  static void start() {
    worker = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "fuzz-reader");
      t.setDaemon(true); // a hung read must not keep the test JVM alive
      return t;
    });
  }

  @AfterAll
  static void stop() {
    worker.shutdownNow();
  }

  /** What one mutant did: read, or refused with a message naming the file. */
  private int[] outcome = new int[2];

  @Test
  void dm3() throws Exception {
    fuzz(Files.readAllBytes(DATA.resolve("dm/1D_test-EELS_spectrum.dm3")), "m.dm3", null, 1);
  }

  @Test
  void dm4() throws Exception {
    fuzz(Files.readAllBytes(DATA.resolve("dm/3D_EELS_SI.dm4")), "m.dm4", null, 2);
  }

  @Test
  void hspy() throws Exception {
    fuzz(Files.readAllBytes(DATA.resolve("hspy/LSMO_STO_linescan.hspy")), "m.hspy", null, 3);
  }

  @Test
  void npy() throws Exception {
    Path f = dir.resolve("cube.npy");
    float[] values = new float[4 * 5 * 16];
    for (int i = 0; i < values.length; i++) {
      values[i] = i % 17;
    }
    NpyWriter.write(f, new int[] {4, 5, 16}, values);
    fuzz(Files.readAllBytes(f), "m.npy", null, 4);
  }

  /** The .rpl text mutated (digits, keys, absurd sizes) and the .raw cut. */
  @Test
  void ripple() throws Exception {
    byte[] rpl = Files.readAllBytes(DATA.resolve("ripple/test_ripple_sdim-1_ndim-2_float32_meta.rpl"));
    byte[] raw = Files.readAllBytes(DATA.resolve("ripple/test_ripple_sdim-1_ndim-2_float32_meta.raw"));
    fuzz(rpl, "m.rpl", raw, 5);
  }

  private void fuzz(byte[] original, String name, byte[] companion, long seed) throws Exception {
    Random random = new Random(seed);
    Path file = dir.resolve(name);
    Path raw = dir.resolve("m.raw");
    int structure = Math.min(original.length, 4096);
    for (int i = 0; i < PER_FILE; i++) {
      byte[] m = original.clone();
      byte[] c = companion == null ? null : companion.clone();
      String how;
      switch (i % 4) {
        case 0 -> { // bit flips where the structure is (most of a real file is pixel data)
          int flips = 1 + random.nextInt(4);
          for (int k = 0; k < flips; k++) {
            int at = random.nextInt(4) == 0 ? random.nextInt(m.length) : random.nextInt(structure);
            m[at] ^= (byte) (1 << random.nextInt(8));
          }
          how = flips + " bit flips";
        }
        case 1 -> { // a cut at a random offset
          int keep = random.nextInt(m.length);
          m = Arrays.copyOf(m, keep);
          how = "cut at " + keep;
        }
        case 2 -> { // an absurd number written over a field
          long[] absurd = {0xFFFFFFFFL, 0x7FFFFFFFL, 0x80000000L, 1L << 40, -1L, 0x7FFFFFFFFFFFFFFFL};
          long v = absurd[random.nextInt(absurd.length)];
          int width = random.nextBoolean() ? 4 : 8;
          int at = random.nextInt(Math.max(1, structure - width));
          if (companion != null) {
            m = absurdText(m, random, v);
          } else {
            ByteBuffer b = ByteBuffer.wrap(m).order(random.nextBoolean() ? ByteOrder.BIG_ENDIAN
                : ByteOrder.LITTLE_ENDIAN);
            if (width == 4) {
              b.putInt(at, (int) v);
            } else {
              b.putLong(at, v);
            }
          }
          how = "absurd " + v + " at " + at;
        }
        default -> { // the data file cut, or a flip further in
          if (c != null) {
            c = Arrays.copyOf(c, random.nextInt(c.length + 1));
            how = "raw cut to " + c.length;
          } else {
            int at = random.nextInt(m.length);
            m[at] = (byte) random.nextInt(256);
            how = "byte " + at + " replaced";
          }
        }
      }
      Files.write(file, m);
      if (companion != null) {
        Files.write(raw, c);
      }
      readOrRefused(file, raw, name + " mutant " + i + " (" + how + ")");
    }
    // The mutants exercised both outcomes: some still read (flips in values), most are refused.
    assertTrue(outcome[1] > PER_FILE / 10, outcome[1] + " refused of " + PER_FILE);
  }

  /** Replaces one number of a text header by {@code v} (or a key by garbage). */
  private static byte[] absurdText(byte[] text, Random random, long v) {
    String s = new String(text, StandardCharsets.UTF_8);
    String[] lines = s.split("\n");
    int k = random.nextInt(lines.length);
    String[] parts = lines[k].split("\t| +", 2);
    lines[k] = parts[0] + "\t" + (random.nextInt(5) == 0 ? "x" + v : Long.toString(v));
    return String.join("\n", lines).getBytes(StandardCharsets.UTF_8);
  }

  private void readOrRefused(Path file, Path raw, String what) throws InterruptedException {
    Future<SpectralFile> f = worker.submit(() -> AcquisitionFiles.read(file));
    try {
      f.get(SECONDS_PER_FILE, TimeUnit.SECONDS);
      outcome[0]++;
    } catch (TimeoutException e) {
      f.cancel(true);
      fail(what + ": still reading after " + SECONDS_PER_FILE + " s");
    } catch (ExecutionException e) {
      Throwable t = e.getCause();
      if (!(t instanceof BadInputException b)) {
        throw new AssertionError(what + ": " + t, t);
      }
      if (!b.source().equals(file.toString()) && !b.source().equals(raw.toString())) {
        fail(what + ": the message does not name the file: " + b.getMessage());
      }
      outcome[1]++;
    }
  }

}
