package org.eelsunmix.autoencoder;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Runs the per-patch work of {@link SameConvolution} (and the fixed chunks of {@link FftConvolution} and
 * {@link WinogradConvolution}) on several
 * threads of one training: the batch's patches are dealt to {@link #threads()} workers (worker {@code t} takes
 * patches {@code t, t + T, …}), the calling thread being worker 0. Each patch (chunk) is computed the same way
 * whichever worker takes it and the partial gradients are summed afterwards in patch (chunk) order, so the results
 * do not depend on the thread count (bit for bit).
 *
 * <p>The count is the system property {@value #PROPERTY} (default: the available processors), read once. The pool
 * is shared by every training of the JVM, so trainings running side by side (Spark restart tasks) queue on it rather
 * than multiply threads. Loading this class makes ND4J's own ops and its BLAS single-threaded
 * ({@code singleThreadedNative}): the workers are the only threads a training computes on.
 */
final class PatchWorkers {
  /** System property giving the number of threads one training uses (≥ 1). */
  static final String PROPERTY = "eelsunmix.autoencoder.threads";

  private static volatile int threads = configured();

  static {
    singleThreadedNative();
  }
  private static final ExecutorService POOL = Executors.newFixedThreadPool(Math.max(1, threads - 1), r -> {
    Thread t = new Thread(r, "cnnaeu-patches");
    t.setDaemon(true);
    return t;
  });

  private PatchWorkers() {}

  /**
   * Makes ND4J's own ops and its BLAS single-threaded in this JVM, whatever {@code OMP_NUM_THREADS} says: the
   * workers are the training's threads, and BLAS threads beside them oversubscribe the cores. Measured (a CNNAEU
   * training step, two workers, {@code OMP_NUM_THREADS} unset, 2-core machine): the process's CPU was 1.34×
   * ({@code k-edges}) and 1.7× ({@code co-ru-pt}) the workers' own, the rest BLAS threads waiting for work, against
   * 1.0× with single-threaded BLAS. Every product is then one call on one thread, which the results' independence
   * of the thread count rests on. The launcher and the tests also set {@code OMP_NUM_THREADS=1}.
   */
  private static void singleThreadedNative() {
    NativeMemory.uncapped(); // before JavaCPP's Pointer class loads, as the training classes do
    Nd4j.getEnvironment().setMaxThreads(1);
    Nd4j.getEnvironment().setMaxMasterThreads(1);
    Nd4j.factory().blas().setMaxThreads(1);
  }

  private static int configured() {
    String v = System.getProperty(PROPERTY);
    if (v == null) {
      return Runtime.getRuntime().availableProcessors();
    }
    try {
      return Math.max(1, Integer.parseInt(v.trim()));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("system property " + PROPERTY + " must be a thread count, got " + v, e);
    }
  }

  /** Threads one training uses. */
  static int threads() {
    return threads;
  }

  /** Sets the threads per training (tests: results must not depend on it); returns the previous count. */
  static int setThreads(int count) {
    if (count < 1) {
      throw new IllegalArgumentException("need at least one thread, got " + count);
    }
    int previous = threads;
    threads = count;
    return previous;
  }

  /** Workers used for {@code patches} patches: at most one per patch. */
  static int workers(int patches) {
    return Math.max(1, Math.min(threads, patches));
  }

  /**
   * Runs {@code work.accept(worker)} for {@code workers} workers (as {@link #workers(int)} gave), worker 0 on the
   * calling thread, and returns when all are done (rethrowing the first failure).
   */
  static void run(int workers, IntConsumer work) {
    if (workers == 1) {
      work.accept(0);
      return;
    }
    List<Future<?>> others = new ArrayList<>(workers - 1);
    for (int t = 1; t < workers; t++) {
      int worker = t;
      others.add(POOL.submit(() -> work.accept(worker)));
    }
    RuntimeException failure = null;
    try {
      work.accept(0);
    } catch (RuntimeException e) {
      failure = e;
    }
    for (Future<?> f : others) {
      try {
        f.get();
      } catch (ExecutionException e) {
        if (failure == null) {
          failure = e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while convolving", e);
      }
    }
    if (failure != null) {
      throw failure;
    }
  }
}
