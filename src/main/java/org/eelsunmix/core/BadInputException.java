package org.eelsunmix.core;

/**
 * Bad input that a user can fix: a corrupt or truncated file, a wrong shape or type, non-finite or negative counts,
 * an impossible option. The message always names the file, table or option ({@link #source()}) and the problem,
 * so that a command can print it as one line and a batch can list it among the skipped inputs.
 *
 * <p>Kernels name an option by their own parameter (the record component or Spark ML param, e.g. {@code init},
 * {@code batchSize}), never by a command-line flag; the command line maps those names to its options when it
 * prints {@link #problem()}.
 */
public class BadInputException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final String source;
  private final String problem;

  /**
   * @param source the file, table or option at fault (e.g. {@code /data/si.npy}, or a kernel's parameter name
   *     such as {@code endmembers})
   * @param problem what is wrong with it, phrased for a microscopist
   */
  public BadInputException(String source, String problem) {
    super(source + ": " + problem);
    this.source = source;
    this.problem = problem;
  }

  public BadInputException(String source, String problem, Throwable cause) {
    super(source + ": " + problem, cause);
    this.source = source;
    this.problem = problem;
  }

  /** The file, table or option at fault. */
  public String source() {
    return source;
  }

  /** What is wrong, without the source: the message is {@code source() + ": " + problem()}. */
  public String problem() {
    return problem;
  }
}
