package org.eelsunmix.spark.ml;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;

/**
 * How a pixel transform's kernel (the model's arrays, with the code that applies them) reaches the executors. Outside
 * a {@link Scope} it travels in the job's closure, as any Spark closure does: serialised with each job's task binary.
 * Inside one, for a series of jobs applying the same model (one job per acquisition, {@code SeriesApply}), the
 * kernel is broadcast the first time and the same broadcast is reused by every later job whose kernel serialises to
 * the same bytes: each executor fetches and deserialises the model once for the whole series, and the jobs' closures
 * carry only the broadcast's handle. The scope destroys its broadcasts when it closes.
 *
 * <p>A model whose large part is not its pixel kernel (an autoencoder's network, read by tile code too) {@linkplain
 * #share shares} that part: inside a scope equal bytes give one broadcast for the series, outside a new broadcast
 * per call (one per job, as before scopes). Its kernel, which then holds only the handle and small arrays, is
 * marked {@link Inline} and travels in the closure, so such a series also makes one broadcast.
 */
public final class KernelBroadcasts {
  private KernelBroadcasts() {}

  private static Scope current;

  /** The broadcasts of one series of jobs; at most one scope is open at a time. */
  public static final class Scope implements AutoCloseable {
    private final JavaSparkContext sc;
    private final Map<ByteBuffer, Broadcast<Object>> shipped = new ConcurrentHashMap<>();
    private final AtomicInteger requests = new AtomicInteger();

    private Scope(JavaSparkContext sc) {
      this.sc = sc;
    }

    @SuppressWarnings("unchecked")
    private <K extends Serializable> Broadcast<K> broadcast(K value) {
      requests.incrementAndGet();
      Broadcast<Object> b = shipped.computeIfAbsent(ByteBuffer.wrap(bytes(value)), k -> sc.broadcast(value));
      return (Broadcast<K>) (Broadcast<?>) b;
    }

    /** Distinct kernels and shared values broadcast so far. */
    public int broadcasts() {
      return shipped.size();
    }

    /** Kernels and shared values asked for (one per transform) so far. */
    public int requests() {
      return requests.get();
    }

    @Override
    public void close() {
      synchronized (KernelBroadcasts.class) {
        if (current == this) {
          current = null;
        }
      }
      for (Broadcast<Object> b : shipped.values()) {
        b.destroy(); // the series' jobs are done: free the executors' copies now
      }
      shipped.clear();
    }
  }

  /**
   * Opens the scope in which equal kernels share one broadcast (close it when the series' jobs are done).
   *
   * @throws IllegalStateException when a scope is already open
   */
  public static synchronized Scope open(SparkSession spark) {
    if (current != null) {
      throw new IllegalStateException("a kernel broadcast scope is already open");
    }
    current = new Scope(JavaSparkContext.fromSparkContext(spark.sparkContext()));
    return current;
  }

  private static synchronized Scope current() {
    return current;
  }

  /**
   * The kernel as a job should capture it: in a broadcast inside an open scope, itself otherwise (and always itself
   * when it is {@link Inline}).
   */
  static <K extends Serializable> Shipped<K> ship(K kernel) {
    Scope s = kernel instanceof Inline ? null : current();
    return s == null ? new Shipped<>(kernel, null) : new Shipped<>(null, s.broadcast(kernel));
  }

  /**
   * A broadcast of {@code value} for a transform's closure: inside an open scope the scope's one broadcast of equal
   * bytes (made by the first call, destroyed with the scope), otherwise a new broadcast (Spark's cleaner frees it
   * once unreferenced).
   */
  static <T extends Serializable> Broadcast<T> share(SparkSession spark, T value) {
    Scope s = current();
    return s == null ? JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(value) : s.broadcast(value);
  }

  /**
   * A kernel that holds only broadcast handles ({@link #share}) and small arrays: shipped in the job's closure even
   * inside a scope, since broadcasting it again would only add a broadcast per distinct kernel.
   */
  interface Inline {}

  /** A kernel in a job's closure: the object itself, or the handle of its broadcast. */
  static final class Shipped<K> implements Serializable {
    private static final long serialVersionUID = 1L;
    private final K inline;
    private final Broadcast<K> broadcast;

    private Shipped(K inline, Broadcast<K> broadcast) {
      this.inline = inline;
      this.broadcast = broadcast;
    }

    /** The kernel (on an executor: the one copy its broadcast holds, shared by the executor's tasks). */
    K get() {
      return broadcast == null ? inline : broadcast.value();
    }

    boolean isBroadcast() {
      return broadcast != null;
    }
  }

  private static byte[] bytes(Serializable kernel) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ObjectOutputStream o = new ObjectOutputStream(out)) {
      o.writeObject(kernel);
    } catch (IOException e) {
      throw new UncheckedIOException("kernel not serialisable: " + kernel.getClass().getName(), e);
    }
    return out.toByteArray();
  }
}
