package org.eelsunmix.spark.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The driver's averaging rounds over real sockets, against the mean computed by hand. */
class AveragingServerTest {
  @Test
  void everyWorkerGetsTheMeanOfTheVectorsSentRoundAfterRound() throws Exception {
    int workers = 3;
    // round 0: all three send; round 1: worker 2 fitted nothing and sends no vector
    float[][][] sent = {
        {{1f, 2f, 3f}, {4f, 5f, 6f}, {7f, 8f, 12f}},
        {{0.5f, -1f, 1e-3f}, {1.5f, 1f, 3e-3f}, null},
    };
    float[][] expected = {{4f, 5f, 7f}, {1f, 0f, 2e-3f}};
    ExecutorService pool = Executors.newFixedThreadPool(workers);
    try (AveragingServer server = new AveragingServer("127.0.0.1", workers)) {
      List<Future<float[][]>> got = new ArrayList<>();
      for (int w = workers - 1; w >= 0; w--) { // connecting out of order: the server orders by worker number
        int worker = w;
        got.add(0, pool.submit(() -> {
          try (AveragingServer.Client client = new AveragingServer.Client(server.address(), worker)) {
            float[][] means = new float[sent.length][3];
            for (int r = 0; r < sent.length; r++) {
              client.average(sent[r][worker], means[r]);
            }
            return means;
          }
        }));
      }
      for (int w = 0; w < workers; w++) {
        float[][] means = got.get(w).get();
        for (int r = 0; r < expected.length; r++) {
          assertArrayEquals(expected[r], means[r], 1e-7f, "worker " + w + ", round " + r);
        }
      }
      // the same server serves the next attempt (a restarted barrier stage)
      List<Future<float[]>> again = new ArrayList<>();
      for (int w = 0; w < workers; w++) {
        int worker = w;
        again.add(pool.submit(() -> {
          try (AveragingServer.Client client = new AveragingServer.Client(server.address(), worker)) {
            float[] mean = new float[1];
            client.average(new float[] {worker}, mean);
            return mean;
          }
        }));
      }
      for (Future<float[]> f : again) {
        assertEquals(1f, f.get()[0]);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aConnectionWithoutTheJobsTokenIsDroppedAndTheWorkersAreServed() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try (AveragingServer server = new AveragingServer("127.0.0.1", 2)) {
      AveragingServer.Address address = server.address();
      // a stranger claiming to be worker 0 with another token, and one that hangs up at once
      try (java.net.Socket stranger = new java.net.Socket(address.host(), address.port());
          java.io.DataOutputStream out = new java.io.DataOutputStream(stranger.getOutputStream())) {
        out.writeLong(address.token() + 1);
        out.writeInt(0);
        out.flush();
        assertEquals(-1, stranger.getInputStream().read(), "the server hangs up on a wrong token");
      }
      new java.net.Socket(address.host(), address.port()).close();
      List<Future<float[]>> got = new ArrayList<>();
      for (int w = 0; w < 2; w++) {
        int worker = w;
        got.add(pool.submit(() -> {
          try (AveragingServer.Client client = new AveragingServer.Client(address, worker)) {
            float[] mean = new float[2];
            client.average(new float[] {worker, 10f * worker}, mean);
            return mean;
          }
        }));
      }
      for (Future<float[]> f : got) {
        assertArrayEquals(new float[] {0.5f, 5f}, f.get(20, java.util.concurrent.TimeUnit.SECONDS), 0f);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aWorkerThatFailsMakesTheOthersFailInsteadOfWaiting() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(1);
    try (AveragingServer server = new AveragingServer("127.0.0.1", 2)) {
      Future<Object> survivor = pool.submit(() -> {
        try (AveragingServer.Client client = new AveragingServer.Client(server.address(), 0)) {
          client.average(new float[] {1f}, new float[1]);
          return "no failure";
        } catch (java.io.UncheckedIOException expected) {
          return expected;
        }
      });
      AveragingServer.Client failing = new AveragingServer.Client(server.address(), 1);
      failing.abort();
      Object outcome = survivor.get(10, java.util.concurrent.TimeUnit.SECONDS);
      assertEquals(java.io.UncheckedIOException.class, outcome.getClass(), String.valueOf(outcome));
    } finally {
      pool.shutdownNow();
    }
  }
}
