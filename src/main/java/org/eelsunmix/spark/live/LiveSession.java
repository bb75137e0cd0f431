package org.eelsunmix.spark.live;

import java.util.ArrayList;
import java.util.List;
import org.eelsunmix.core.Endmembers;
import org.eelsunmix.report.RmseOutlier;
import org.eelsunmix.report.SessionPage;
import org.eelsunmix.spark.ProcessedLedger;
import org.eelsunmix.spark.nightly.Reprocessing;

/**
 * What a watcher has done since it started, as its page and its closing line show it: the acquisitions committed
 * (with their latencies and outlier flags, {@link RmseOutlier} against the earlier ones of the session), the newest
 * one's maps, the files skipped, the model's facts. Kept in memory: a restarted watcher starts a new session (the
 * nightly report, {@code report/index.html}, lists every acquisition of the output folder).
 */
final class LiveSession {
  private final List<SessionPage.Line> lines = new ArrayList<>();
  private final List<SessionPage.Skipped> skipped = new ArrayList<>();
  private final List<Double> latencies = new ArrayList<>();
  private SessionPage.Newest newest;
  private List<String> modelFacts = List.of();
  private Endmembers endmembers;
  private long firstCompleteNanos = Long.MAX_VALUE;
  private long lastCommitNanos;

  void model(List<String> facts, Endmembers endmembers) {
    this.modelFacts = List.copyOf(facts);
    this.endmembers = endmembers;
  }

  /**
   * Records a committed acquisition, its latency running from {@code completeNanos} to the commit of its folder;
   * returns its line (with its outlier flag).
   */
  SessionPage.Line committed(Reprocessing.Committed c, long completeNanos) {
    long commitNanos = c.mapsNanos();
    List<Double> earlier = lines.stream().map(SessionPage.Line::rmseMean).toList();
    var s = c.summary();
    double latency = (commitNanos - completeNanos) / 1e9;
    SessionPage.Line line = new SessionPage.Line(s.id(), c.work().entry().relativePath(), c.committedAt(),
        s.height(), s.width(), s.axis().channels(), s.rmseMean(), latency, RmseOutlier.isOutlier(s.rmseMean(),
        earlier));
    lines.add(line);
    latencies.add(latency);
    newest = new SessionPage.Newest(s.id(), c.maps(), c.rmse(), s.meanAbundances(), s.pixelSize(), s.pixelUnits());
    firstCompleteNanos = Math.min(firstCompleteNanos, completeNanos);
    lastCommitNanos = System.nanoTime(); // throughput counts an acquisition once its ledger entry is in
    return line;
  }

  void skipped(ProcessedLedger.Entry r) {
    skipped.add(new SessionPage.Skipped(r.path(), r.reason(), r.processedAt()));
  }

  void skipped(String path, String reason, java.time.Instant at) {
    skipped.add(new SessionPage.Skipped(path, reason, at));
  }

  List<SessionPage.Skipped> skippedFiles() {
    return List.copyOf(skipped);
  }

  int committedCount() {
    return lines.size();
  }

  /** Latencies in seconds, in commit order. */
  List<Double> latencies() {
    return List.copyOf(latencies);
  }

  /** Acquisitions per minute from the first one complete to the last ledger entry (NaN before two). */
  double perMinute() {
    return lines.size() < 2 ? Double.NaN : lines.size() * 60e9 / (lastCommitNanos - firstCompleteNanos);
  }

  SessionPage.Data page(String watched, java.time.Instant startedAt, String status, int refreshSeconds) {
    return new SessionPage.Data(watched, startedAt, modelFacts, endmembers, List.copyOf(lines), newest,
        List.copyOf(skipped), status, refreshSeconds);
  }
}
