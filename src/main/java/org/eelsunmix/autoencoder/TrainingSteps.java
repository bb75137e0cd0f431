package org.eelsunmix.autoencoder;

/**
 * How {@link AutoencoderFit}'s training loop makes one optimiser step on a mini-batch: through DL4J's
 * {@code MultiLayerNetwork.fit} ({@link NetworkSteps}, every autoencoder) or on plain float arrays
 * ({@link DaeuTrainer}, DAEU). The loop, the batches, their order and the losses it records are the same whichever
 * runs the step. Parameter averaging ({@code spark.ml.BarrierAveraging}) runs the same steps on each worker and
 * moves the parameters through the network between rounds ({@link #finish}, then {@link #reload}).
 */
public interface TrainingSteps {
  /**
   * One update on {@code size} windows laid out in {@code batch} (the network's input layout, C order).
   *
   * @return the batch's score before the update, as DL4J computes it (the mean loss over its scored rows)
   */
  double step(float[] batch, int size);

  /**
   * Leaves the trained parameters (and optimiser state) in the network: after the last step, or before the
   * network's parameters are read from outside.
   */
  void finish();

  /** Takes the network's parameters and optimiser state again, after they were set from outside (averaging). */
  void reload();
}
