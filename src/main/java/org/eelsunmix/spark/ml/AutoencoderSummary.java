package org.eelsunmix.spark.ml;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Serializable;

/**
 * How an {@link AutoencoderModel} was trained, kept in its metadata.
 *
 * @param method the network: {@code daeu}, {@code mtaeu} or {@code cnnaeu}
 * @param seed the seed of the sample draw and of restart 0 (restart k uses {@code seed + k})
 * @param training {@code in-memory} (restarts as parallel tasks) or {@code parameter-averaging}
 * @param losses the kept run's mean SAD loss per epoch (radians)
 * @param restartLosses every restart's reconstruction loss, in restart order (one entry for parameter averaging)
 * @param kept the index of the kept restart (lowest reconstruction loss)
 * @param samples the number of training windows (spectra, neighbourhoods or patches)
 */
public record AutoencoderSummary(String method, long seed, String training, double[] losses, double[] restartLosses,
    int kept, int samples) implements Serializable {
  public AutoencoderSummary {
    losses = losses.clone();
    restartLosses = restartLosses.clone();
  }

  @Override
  public double[] losses() {
    return losses.clone();
  }

  @Override
  public double[] restartLosses() {
    return restartLosses.clone();
  }

  /** What the training windows are: spectra (DAEU), 2x2 neighbourhoods (MTAEU) or patches (CNNAEU). */
  public String windows() {
    return switch (method) {
      case "mtaeu" -> "2x2 neighbourhoods";
      case "cnnaeu" -> "patches";
      default -> "spectra";
    };
  }

  ObjectNode toJson(int channels) {
    ObjectNode o = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
    o.put("method", method);
    o.put("channels", channels);
    o.put("seed", seed);
    o.put("training", training);
    o.set("losses", MlPersistence.jsonArray(losses));
    o.set("restartLosses", MlPersistence.jsonArray(restartLosses));
    o.put("kept", kept);
    o.put("samples", samples);
    return o;
  }

  static AutoencoderSummary fromJson(JsonNode o) {
    return new AutoencoderSummary(o.path("method").asText("daeu"), o.path("seed").asLong(),
        o.path("training").asText(""), MlPersistence.doubles(o.path("losses")),
        MlPersistence.doubles(o.path("restartLosses")), o.path("kept").asInt(), o.path("samples").asInt());
  }
}
