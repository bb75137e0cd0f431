package org.eelsunmix.autoencoder;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Loads ND4J's native backend on a background daemon thread, so that a command which will train or apply an
 * autoencoder pays for the load while the Spark session starts instead of after it.
 *
 * <p>Why: ND4J's first use loads and initialises a native library of some 100 MiB (OpenBLAS, OpenMP, the op
 * registry): measured 3 CPU seconds and several wall seconds on the 2-core machine, all on the critical path of
 * {@code unmix --method daeu} before this, while the Spark session's start (about 1–1.5 s) leaves a core idle
 * part of the time. Whoever touches ND4J first on another thread waits on the JVM's class-initialisation lock
 * until the load is done, so nothing can see a half-loaded backend. Changes no result: no generator is seeded or
 * drawn from here.
 */
public final class NativeWarmUp {
  private static volatile long startNanos;
  private static volatile long endNanos;

  private NativeWarmUp() {}

  /**
   * Wall seconds of the background load, or NaN when none was started or it has not finished (for
   * {@code --timings}).
   */
  public static double seconds() {
    long s = startNanos;
    long e = endNanos;
    return s == 0 || e == 0 ? Double.NaN : (e - s) / 1e9;
  }

  /** Starts the load; returns the (daemon) thread doing it. */
  public static Thread start() {
    NativeMemory.uncapped(); // before JavaCPP's Pointer class loads, as the training classes do
    Thread t = new Thread(NativeWarmUp::load, "nd4j-native-warm-up");
    t.setDaemon(true);
    t.start();
    return t;
  }

  /** Loads the backend and runs one tiny op (the op executioner's first call initialises more). */
  static void load() {
    startNanos = System.nanoTime();
    try {
      Nd4j.create(DataType.FLOAT, 2, 2).addi(1f);
      endNanos = System.nanoTime();
    } catch (Throwable e) { // NOPMD: the command's own first use reports any load failure with its context
      // left to the command
    }
  }
}
