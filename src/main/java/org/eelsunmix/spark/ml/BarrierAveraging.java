package org.eelsunmix.spark.ml;

import java.io.Serializable;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.apache.spark.BarrierTaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.rdd.RDD;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.eelsunmix.autoencoder.AutoencoderFit;
import org.eelsunmix.autoencoder.AutoencoderOptions;
import org.eelsunmix.autoencoder.TrainingSteps;
import org.eelsunmix.autoencoder.WindowSample;
import org.eelsunmix.core.BadInputException;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.IUpdater;
import scala.reflect.ClassTag$;
import scala.runtime.AbstractFunction1;

/**
 * Parameter averaging (local SGD with periodic model averaging: Zinkevich et al., "Parallelized stochastic gradient
 * descent", NIPS 2010; McDonald et al. 2010) as one Spark barrier job for the whole training, instead of
 * dl4j-spark's one job per averaging round.
 *
 * <p>W barrier tasks each restore the broadcast initial network once and keep it across all rounds. Every worker
 * draws the same seeded batch order per epoch as the in-memory fit ({@link AutoencoderFit#shuffle}) and cuts it into
 * whole mini-batches (a last partial one sits out that epoch). An epoch is a sequence of rounds of {@code W × f}
 * mini-batches ({@code f} = averaging frequency); in a round worker {@code w} fits mini-batches {@code w·f ..
 * w·f + f − 1} of it, then the workers exchange their flat parameter vectors (weights and batch-normalisation
 * statistics) and updater state (RMSprop's mean squares) through the driver ({@link AveragingServer}) and each
 * sets both to the plain mean over the workers that fitted at least one mini-batch of the round, summed in worker
 * order in double precision, so every worker holds the same network afterwards and the result does not depend on
 * which task finished first. The barrier stage is what guarantees that all W tasks run at once (a plain stage could
 * leave one waiting for a slot while the others wait for it). Rounds never span an epoch boundary. One worker never
 * exchanges (the mean of one is itself), so with plain SGD it is the in-memory training on the same batches. ND4J's
 * generator of worker {@code w} (dropout) is seeded with {@code nd4jSeed(seed) + w}. Each worker makes its steps as the
 * in-memory fit does ({@link AutoencoderFit#trainingSteps}: DAEU with RMSprop on plain float arrays, the same bits as
 * DL4J's {@code fit}); the parameters go through the network only at the exchanges.
 *
 * <p>Per round the cost beyond the fits is one round trip to the driver carrying 2P floats each way per worker
 * (P parameters), plus waiting for the slowest worker; no job, task launch, broadcast or serialised {@code
 * DataSet}. The whole training is one job.
 */
public final class BarrierAveraging {
  private BarrierAveraging() {}

  /**
   * Where a training's time went.
   *
   * @param jobSeconds the barrier job on the driver, from submission to the last result
   * @param rounds averaging rounds that exchanged (0 with one worker)
   * @param fitSeconds per worker, in {@code fit} (forward, backward, update) and building mini-batches
   * @param exchangeSeconds per worker, in the exchanges: copying, the round trip to the driver (including
   *     waiting for the others) and setting the mean
   * @param setupSeconds per worker, restoring the network and reading the broadcast sample
   * @param exchangeCpuSeconds per worker, the task thread's CPU time in the exchanges (copying, socket calls,
   *     setting the mean; not the waiting): what a round costs on an idle machine, less the network's round trip
   * @param cpuSeconds per worker, the task thread's CPU time for all of the above (ND4J runs the fits on the
   *     calling thread with {@code OMP_NUM_THREADS=1}): on a shared machine the steadier figure
   */
  public record Timing(double jobSeconds, int rounds, double[] fitSeconds, double[] exchangeSeconds,
      double[] setupSeconds, double[] exchangeCpuSeconds, double[] cpuSeconds) implements Serializable {
    /** Mean seconds per round spent exchanging, over workers (0 without rounds). */
    public double exchangePerRound() {
      return rounds == 0 ? 0 : IntStream.range(0, exchangeSeconds.length)
          .mapToDouble(w -> exchangeSeconds[w]).average().orElse(0) / rounds;
    }
  }

  /** The training's outcome and its timing. */
  public record Result(AutoencoderTraining.Outcome outcome, Timing timing) {}

  /** What one worker hands back: the trained parameters (worker 0 only), its loss sums and timers. */
  private record WorkerResult(int worker, float[] params, double[] lossSums, long[] lossCounts, int rounds,
      double fitSeconds, double exchangeSeconds, double setupSeconds, double exchangeCpuSeconds, double cpuSeconds)
      implements Serializable {}

  /**
   * Trains {@code o}'s network on {@code sample} with {@code workers} barrier tasks, averaging every {@code
   * averagingFrequency} mini-batches per worker; see the class comment.
   *
   * @throws BadInputException naming {@code source} when the sample holds fewer windows than one batch, or
   *     {@code workers} when the cluster has fewer task slots than workers (a barrier stage needs them all at once)
   */
  public static Result train(JavaSparkContext sc, WindowSample sample, AutoencoderOptions o, IUpdater updater,
      int workers, int averagingFrequency, String source) {
    return train(sc, sample, o, updater, workers, averagingFrequency, source, false);
  }

  /** As above; {@code throughDl4j}: every step through DL4J's {@code fit} (the path before the plain trainer). */
  static Result train(JavaSparkContext sc, WindowSample sample, AutoencoderOptions o, IUpdater updater,
      int workers, int averagingFrequency, String source, boolean throughDl4j) {
    float max = AutoencoderTraining.checkedLargest(sample, o, source);
    int slots = sc.sc().maxNumConcurrentTasks(sc.sc().resourceProfileManager().defaultResourceProfile());
    if (workers > slots) {
      throw new BadInputException("workers", workers + " workers need as many task slots at once, the cluster has "
          + slots);
    }
    MultiLayerNetwork initial = o.network(sample.channels(), updater);
    Broadcast<WindowSample> shared = sc.broadcast(sample);
    Broadcast<byte[]> network = sc.broadcast(AutoencoderTraining.toBytes(initial));
    try {
      List<Integer> ids = IntStream.range(0, workers).boxed().toList();
      RDD<Integer> tasks = sc.parallelize(ids, workers).rdd();
      long began = System.nanoTime();
      Object collected;
      try (AveragingServer server = new AveragingServer(sc.getConf().get("spark.driver.host", "localhost"),
          workers)) {
        WorkerLoop loop = new WorkerLoop(shared, network, server.address(), o, workers, averagingFrequency,
            1f / max, throughDl4j);
        collected = tasks.barrier().mapPartitions(loop, false, ClassTag$.MODULE$.apply(WorkerResult.class))
            .collect();
      }
      double jobSeconds = (System.nanoTime() - began) / 1e9;
      WorkerResult[] results = (WorkerResult[]) collected;
      java.util.Arrays.sort(results, java.util.Comparator.comparingInt(WorkerResult::worker));
      double[] losses = new double[o.epochs()];
      for (int e = 0; e < losses.length; e++) {
        double sum = 0;
        long count = 0;
        for (WorkerResult r : results) {
          sum += r.lossSums()[e];
          count += r.lossCounts()[e];
        }
        losses[e] = sum / count;
      }
      initial.setParams(Nd4j.create(results[0].params(), new long[] {1, results[0].params().length},
          DataType.FLOAT));
      double reconstruction = AutoencoderFit.toCounts(o, initial, max, sample);
      Timing timing = new Timing(jobSeconds, results[0].rounds(),
          java.util.Arrays.stream(results).mapToDouble(WorkerResult::fitSeconds).toArray(),
          java.util.Arrays.stream(results).mapToDouble(WorkerResult::exchangeSeconds).toArray(),
          java.util.Arrays.stream(results).mapToDouble(WorkerResult::setupSeconds).toArray(),
          java.util.Arrays.stream(results).mapToDouble(WorkerResult::exchangeCpuSeconds).toArray(),
          java.util.Arrays.stream(results).mapToDouble(WorkerResult::cpuSeconds).toArray());
      return new Result(new AutoencoderTraining.Outcome(initial, losses, new double[] {reconstruction}, 0),
          timing);
    } finally {
      shared.destroy();
      network.destroy();
    }
  }

  /** The body of one barrier task: all epochs of one worker. */
  private static final class WorkerLoop
      extends AbstractFunction1<scala.collection.Iterator<Integer>, scala.collection.Iterator<WorkerResult>>
      implements Serializable {
    private final Broadcast<WindowSample> sample;
    private final Broadcast<byte[]> network;
    private final AveragingServer.Address server;
    private final AutoencoderOptions o;
    private final int workers;
    private final int frequency;
    private final float scale;
    private final boolean throughDl4j;

    WorkerLoop(Broadcast<WindowSample> sample, Broadcast<byte[]> network, AveragingServer.Address server,
        AutoencoderOptions o, int workers, int frequency, float scale, boolean throughDl4j) {
      this.sample = sample;
      this.network = network;
      this.server = server;
      this.o = o;
      this.workers = workers;
      this.frequency = frequency;
      this.scale = scale;
      this.throughDl4j = throughDl4j;
    }

    @Override
    public scala.collection.Iterator<WorkerResult> apply(scala.collection.Iterator<Integer> ignored) {
      BarrierTaskContext context = BarrierTaskContext.get();
      int w = context.partitionId();
      java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
      long cpu0 = threads.getCurrentThreadCpuTime();
      long t0 = System.nanoTime();
      WindowSample windows = sample.value();
      MultiLayerNetwork net = AutoencoderTraining.fromBytes(network.value());
      Nd4j.getRandom().setSeed(AutoencoderFit.nd4jSeed(o.seed()) + w);
      int b = windows.channels();
      int batch = o.batchSize();
      int n = windows.count();
      int batches = n / batch;
      // DAEU's steps on plain float arrays (the same step as DL4J's fit, bit for bit), the others through DL4J.
      TrainingSteps steps = AutoencoderFit.trainingSteps(o, net, b, throughDl4j);
      float[] buffer = new float[o.batchLength(batch, b)];
      int[] order = IntStream.range(0, n).toArray();
      SplittableRandom random = new SplittableRandom(o.seed());
      double[] lossSums = new double[o.epochs()];
      long[] lossCounts = new long[o.epochs()];
      AveragingServer.Client client = workers > 1 ? new AveragingServer.Client(server, w) : null;
      float[] vector = workers > 1 ? new float[(int) net.params().length() + stateLength(net)] : null;
      long setup = System.nanoTime() - t0;
      long fitting = 0;
      long exchanging = 0;
      long exchangeCpu = 0;
      int rounds = 0;
      try {
        for (int e = 0; e < o.epochs(); e++) {
          AutoencoderFit.shuffle(order, random);
          for (int round = 0; round < batches; round += workers * frequency) {
            long f0 = System.nanoTime();
            int fitted = 0;
            for (int i = 0; i < frequency; i++) {
              int m = round + w * frequency + i;
              if (m >= batches) {
                break;
              }
              o.layout(windows, order, m * batch, batch, scale, buffer);
              lossSums[e] += steps.step(buffer, batch) / o.pixelsPerScoredRow() * batch;
              lossCounts[e] += batch;
              fitted++;
            }
            long f1 = System.nanoTime();
            fitting += f1 - f0;
            if (workers > 1) {
              long c1 = threads.getCurrentThreadCpuTime();
              steps.finish();
              average(net, client, fitted, vector);
              steps.reload();
              rounds++;
              exchanging += System.nanoTime() - f1;
              exchangeCpu += threads.getCurrentThreadCpuTime() - c1;
            }
          }
        }
      } catch (RuntimeException | Error e) {
        if (client != null) {
          client.abort(); // the others must not wait for this worker's next vector
        }
        throw e;
      }
      if (client != null) {
        client.close();
      }
      steps.finish();
      float[] params = w == 0 ? net.params().toFloatVector() : null;
      double cpu = (threads.getCurrentThreadCpuTime() - cpu0) / 1e9;
      return scala.collection.Iterator$.MODULE$.single(new WorkerResult(w, params, lossSums, lossCounts, rounds,
          fitting / 1e9, exchanging / 1e9, setup / 1e9, exchangeCpu / 1e9, cpu));
    }
  }

  private static int stateLength(MultiLayerNetwork net) {
    INDArray state = net.getUpdater().getStateViewArray();
    return state == null ? 0 : (int) state.length();
  }

  /**
   * One exchange: this worker's parameters and updater state (or nothing, when it fitted no mini-batch this round)
   * to the server; both set to the mean it returns.
   */
  static void average(MultiLayerNetwork net, AveragingServer.Client client, int fitted, float[] vector) {
    INDArray params = net.params();
    INDArray state = net.getUpdater().getStateViewArray();
    int p = (int) params.length();
    int s = state == null ? 0 : (int) state.length();
    float[] mine = null;
    if (fitted > 0) {
      mine = new float[p + s];
      System.arraycopy(params.toFloatVector(), 0, mine, 0, p);
      if (s > 0) {
        System.arraycopy(state.toFloatVector(), 0, mine, p, s);
      }
    }
    client.average(mine, vector);
    params.assign(Nd4j.create(java.util.Arrays.copyOf(vector, p), params.shape(), DataType.FLOAT));
    if (s > 0) {
      state.assign(Nd4j.create(java.util.Arrays.copyOfRange(vector, p, p + s), state.shape(), DataType.FLOAT));
    }
  }
}
