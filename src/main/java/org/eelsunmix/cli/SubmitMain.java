package org.eelsunmix.cli;

/**
 * Entry point for {@code spark-submit} on a cluster: the same commands as {@link Main}, but the SparkSession comes
 * from spark-submit's configuration ({@code getOrCreate()}), never a local master.
 */
public final class SubmitMain {
  private SubmitMain() {}

  public static void main(String[] args) {
    int code = Main.execute(args, false);
    if (code != 0) {
      System.exit(code);
    }
  }
}
