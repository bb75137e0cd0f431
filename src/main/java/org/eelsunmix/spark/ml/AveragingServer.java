package org.eelsunmix.spark.ml;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.SecureRandom;

/**
 * The averaging rounds of {@link BarrierAveraging}: a thread on the driver that W workers of one barrier job connect
 * to over a plain TCP socket. Each round every worker sends its vector (or nothing, when it fitted nothing that
 * round); the server sums the vectors received in worker order in double precision, divides by their number and
 * sends the mean back to every worker.
 *
 * <p>Why not {@code BarrierTaskContext.allGather}: Spark polls its reply once a second, so every exchange cost
 * about a second (measured: {@code DaeuSparkTest}'s two 2-worker trainings of 21 rounds each took 46 s with it,
 * 8.6 s with this server); one round here is a TCP round trip. Workers
 * reach the driver anyway (Spark needs it), so the socket is bound to {@code spark.driver.host}.
 *
 * <p>A failed attempt of the barrier stage restarts all its tasks: the server then drops every connection and waits
 * for W new ones.
 *
 * <p>Only this job's tasks are served: the address carries a random 64-bit token (shipped to the tasks in their
 * closure, as Spark ships the job itself) that a connection must send first, within {@link #HANDSHAKE_MILLIS};
 * anything else that connects to the port (a scanner, a stale task of an earlier job) is closed and the server
 * goes on waiting for the workers.
 */
final class AveragingServer implements Closeable {
  /** How long a new connection has to identify itself before it is dropped. */
  static final int HANDSHAKE_MILLIS = 10_000;

  private final ServerSocket socket;
  private final long token = new SecureRandom().nextLong();
  private final int workers;
  private final Thread thread;
  private volatile boolean closed;

  /** Where workers connect. */
  record Address(String host, int port, long token) implements Serializable {}

  AveragingServer(String host, int workers) {
    this.workers = workers;
    try {
      socket = new ServerSocket();
      socket.bind(new InetSocketAddress(InetAddress.getByName(host), 0), workers);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the averaging socket on " + host, e);
    }
    thread = new Thread(this::serve, "parameter-averaging-server");
    thread.setDaemon(true);
    thread.start();
  }

  Address address() {
    return new Address(socket.getInetAddress().getHostAddress(), socket.getLocalPort(), token);
  }

  /** Accepts W workers, then serves rounds until they hang up; again after a failed attempt. */
  private void serve() {
    while (!closed) {
      Socket[] peers = new Socket[workers];
      try {
        DataInputStream[] in = new DataInputStream[workers];
        DataOutputStream[] out = new DataOutputStream[workers];
        for (int i = 0; i < workers; i++) {
          Socket s = socket.accept();
          s.setTcpNoDelay(true);
          DataInputStream din = new DataInputStream(new BufferedInputStream(s.getInputStream(), 1 << 16));
          int w = handshake(s, din);
          if (w < 0 || w >= workers || peers[w] != null) {
            s.close();
            i--;
            continue;
          }
          peers[w] = s;
          in[w] = din;
          out[w] = new DataOutputStream(new BufferedOutputStream(s.getOutputStream(), 1 << 16));
        }
        rounds(in, out);
      } catch (IOException e) {
        // a worker failed or the job ended: drop the connections, wait for the next attempt (or close)
      } finally {
        for (Socket s : peers) {
          closeQuietly(s);
        }
      }
    }
  }

  /** The worker number a new connection sends after this job's token, or -1 (wrong token, silence, hang-up). */
  private int handshake(Socket s, DataInputStream in) {
    try {
      s.setSoTimeout(HANDSHAKE_MILLIS);
      if (in.readLong() != token) {
        return -1;
      }
      int w = in.readInt();
      s.setSoTimeout(0); // a round waits as long as the slowest worker's fits
      return w;
    } catch (IOException e) {
      return -1;
    }
  }

  private void rounds(DataInputStream[] in, DataOutputStream[] out) throws IOException {
    double[] sum = null;
    byte[] bytes = new byte[0];
    while (true) {
      int senders = 0;
      int length = -1;
      for (int w = 0; w < workers; w++) {
        int n = in[w].readInt(); // -1: nothing fitted this round; -2: done
        if (n == -2) {
          return;
        }
        if (n < 0) {
          continue;
        }
        if (length >= 0 && n != length) {
          throw new IOException("worker " + w + " sent " + n + " floats, others " + length);
        }
        length = n;
        if (sum == null || sum.length != n) {
          sum = new double[n];
          bytes = new byte[4 * n];
        }
        if (senders == 0) {
          java.util.Arrays.fill(sum, 0);
        }
        in[w].readFully(bytes, 0, 4 * n);
        java.nio.FloatBuffer f = ByteBuffer.wrap(bytes, 0, 4 * n).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        for (int i = 0; i < n; i++) {
          sum[i] += f.get(i);
        }
        senders++;
      }
      if (senders == 0) {
        throw new IOException("no worker sent a vector this round");
      }
      java.nio.FloatBuffer mean = ByteBuffer.wrap(bytes, 0, 4 * length).order(ByteOrder.LITTLE_ENDIAN)
          .asFloatBuffer();
      for (int i = 0; i < length; i++) {
        mean.put(i, (float) (sum[i] / senders));
      }
      for (int w = 0; w < workers; w++) {
        out[w].writeInt(length);
        out[w].write(bytes, 0, 4 * length);
        out[w].flush();
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    closeQuietly(socket);
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void closeQuietly(Closeable c) {
    try {
      if (c != null) {
        c.close();
      }
    } catch (IOException ignored) {
      // closing
    }
  }

  /** A worker's end of the rounds. */
  static final class Client implements Closeable {
    private final Socket socket;
    private final DataInputStream in;
    private final DataOutputStream out;
    private byte[] bytes = new byte[0];

    Client(Address address, int worker) {
      try {
        socket = new Socket(address.host(), address.port());
        socket.setTcpNoDelay(true);
        in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 1 << 16));
        out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream(), 1 << 16));
        out.writeLong(address.token());
        out.writeInt(worker);
        out.flush();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot reach the averaging server at " + address, e);
      }
    }

    /** Sends {@code v} (null: nothing fitted this round) and overwrites {@code into} with the workers' mean. */
    void average(float[] v, float[] into) {
      try {
        if (v == null) {
          out.writeInt(-1);
        } else {
          out.writeInt(v.length);
          ensure(v.length);
          ByteBuffer.wrap(bytes, 0, 4 * v.length).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().put(v);
          out.write(bytes, 0, 4 * v.length);
        }
        out.flush();
        int n = in.readInt();
        if (n != into.length) {
          throw new IOException("the mean has " + n + " floats, expected " + into.length);
        }
        ensure(n);
        in.readFully(bytes, 0, 4 * n);
        ByteBuffer.wrap(bytes, 0, 4 * n).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(into);
      } catch (IOException e) {
        throw new UncheckedIOException("parameter averaging round failed", e);
      }
    }

    private void ensure(int floats) {
      if (bytes.length < 4 * floats) {
        bytes = new byte[4 * floats];
      }
    }

    /**
     * Hangs up without the closing message (a failed worker): the server then drops the whole attempt, so the
     * other workers' reads fail instead of waiting for this one forever (Spark cannot interrupt a socket read).
     */
    void abort() {
      closeQuietly(socket);
    }

    /** Tells the server this worker is done (the last worker's message ends the rounds), then hangs up. */
    @Override
    public void close() {
      try {
        out.writeInt(-2);
        out.flush();
      } catch (IOException ignored) {
        // the server is gone already
      }
      closeQuietly(socket);
    }
  }
}
