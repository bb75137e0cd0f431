package org.eelsunmix.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import javax.management.ListenerNotFoundException;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * The largest live heap of this JVM while it is open: the heap in use right after each <em>full</em> collection
 * (the JVM's GC notifications whose action is "end of major GC"), the maximum kept. A full collection leaves only
 * reachable objects, so this is what the JVM really holds. The heap after a young collection is not: it still
 * counts the old generation's garbage, which G1 leaves until the old generation is nearly half full, so it follows
 * the allocation rate (the earlier version of this class took it, and "grew" with the data while the memory held
 * after a full collection stayed at 57 MiB from 4 096 to 409 600 pixels).
 *
 * <p>Full collections are rare on their own; {@link #every} forces one ({@link System#gc()}) at a fixed period from
 * a daemon thread, so the peak is sampled during the jobs too, and {@link #sample()} forces one at a chosen point.
 * In local mode the driver JVM also runs the tasks, so its live heap includes the tasks' working memory: Spark's
 * sort and aggregation pages ({@code long[]}, 970 MB of them while a 4.2 M-pixel series was being written, by a
 * class histogram) and cached blocks. The forced samples also record the heap less that memory (Spark's execution
 * and storage memory in use, read right after the collection), the driver's own share.
 */
final class LiveHeap implements AutoCloseable {
  private final AtomicLong max = new AtomicLong();
  private final AtomicInteger collections = new AtomicInteger();
  private final List<NotificationEmitter> emitters = new ArrayList<>();
  private final Set<String> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
      .filter(p -> p.getType() == MemoryType.HEAP).map(MemoryPoolMXBean::getName).collect(Collectors.toSet());
  private final NotificationListener listener = (n, handback) -> {
    if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
      GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
      if (!info.getGcAction().contains("major")) {
        return; // young or mixed: the old generation's garbage is still counted
      }
      long used = 0;
      for (Map.Entry<String, MemoryUsage> e : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
        if (heapPools.contains(e.getKey())) { // the map has the non-heap pools (metaspace, code) too
          used += e.getValue().getUsed();
        }
      }
      max.accumulateAndGet(used, Math::max);
      collections.incrementAndGet();
    }
  };
  private final AtomicLong maxOwn = new AtomicLong();
  private final java.util.function.LongSupplier taskMemory;
  private ScheduledExecutorService sampler;

  /** With no task memory to set apart (the driver runs no tasks, or they are to be counted). */
  LiveHeap() {
    this(() -> 0);
  }

  /**
   * @param taskMemory bytes that this JVM's tasks hold at the moment (Spark's execution and storage memory: in
   *     local mode the driver JVM runs the tasks, and their sort pages and cached blocks are not the driver's)
   */
  LiveHeap(java.util.function.LongSupplier taskMemory) {
    this.taskMemory = taskMemory;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (gc instanceof NotificationEmitter e) {
        e.addNotificationListener(listener, null, null);
        emitters.add(e);
      }
    }
  }

  /** Also forces a full collection every {@code seconds} until {@link #close()}; returns this. */
  LiveHeap every(double seconds) {
    sampler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "live-heap-sampler");
      t.setDaemon(true);
      return t;
    });
    long period = (long) (seconds * 1000);
    sampler.scheduleAtFixedRate(this::sample, period, period, TimeUnit.MILLISECONDS);
    return this;
  }

  /**
   * Forces a full collection now; returns the heap in use after it less the tasks' memory at that moment (bytes),
   * and keeps the largest such figure ({@link #maxOwn()}).
   */
  long sample() {
    System.gc();
    long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    max.accumulateAndGet(used, Math::max); // the notification comes later, from another thread
    long own = used - taskMemory.getAsLong();
    maxOwn.accumulateAndGet(own, Math::max);
    return own;
  }

  /**
   * The heap held once the jobs are over: a forced collection after {@code settleMillis} (the last task's buffers,
   * the listener's events and the asynchronous unpersists of a job that just returned are still live for a moment:
   * 142 MiB right after the last job of a 409 600-pixel size, 58 MiB a second later), less the tasks' memory.
   */
  long settled(long settleMillis) {
    try {
      Thread.sleep(settleMillis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() - taskMemory.getAsLong();
  }

  /**
   * The {@code n} classes that hold the most of this JVM's live heap now, largest first ("byte[] 12.3 MiB, ..."),
   * from the JVM's class histogram (the diagnostic command behind {@code jcmd GC.class_histogram}, which runs a full
   * collection first): to say what a "kept" figure is made of. Empty if the command is not available.
   */
  static String largestClasses(int n) {
    String histogram;
    try {
      histogram = (String) ManagementFactory.getPlatformMBeanServer().invoke(
          new javax.management.ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
          new Object[] {new String[0]}, new String[] {String[].class.getName()});
    } catch (javax.management.JMException e) {
      return "";
    }
    // Lines "   1:   39928   2586112  [B (java.base@17)", already sorted by bytes.
    java.util.regex.Pattern line = java.util.regex.Pattern.compile("\\s*\\d+:\\s+\\d+\\s+(\\d+)\\s+(\\S+).*");
    List<String> top = new ArrayList<>();
    for (String l : histogram.split("\\R")) {
      java.util.regex.Matcher m = line.matcher(l);
      if (m.matches() && top.size() < n) {
        top.add(String.format("%s %.1f MiB", m.group(2), Long.parseLong(m.group(1)) / 1048576.0));
      }
    }
    return String.join(", ", top);
  }

  /** Bytes: the largest heap after a forced collection less the tasks' memory then (0 before any sample). */
  long maxOwn() {
    return maxOwn.get();
  }

  /** Bytes: the largest memory in use right after a full collection so far (0 when none ran). */
  long max() {
    return max.get();
  }

  /** Full collections seen so far. */
  int collections() {
    return collections.get();
  }

  @Override
  public void close() {
    if (sampler != null) {
      sampler.shutdownNow();
    }
    for (NotificationEmitter e : emitters) {
      try {
        e.removeNotificationListener(listener);
      } catch (ListenerNotFoundException ignored) {
        // never added
      }
    }
  }
}
