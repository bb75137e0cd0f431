package org.eelsunmix.synth;

/**
 * Which pixels of a synthetic image hold specimen: all but the top {@code vacuumRows} rows, where the beam passes
 * through vacuum. {@code vacuumRows = round(vacuum · height)} for the {@link Scene#vacuum} fraction. Vacuum pixels
 * record only a dark level ({@link SyntheticGenerator#VACUUM_LEVEL}); their truth abundances are still those of the
 * maps, but a score should ignore them ({@code UnmixingScores.score} with the mask of {@link #specimen()}).
 *
 * @param height image height (rows)
 * @param width image width (columns)
 * @param vacuumRows number of vacuum rows at the top, in [0, height)
 */
public record SpecimenMask(int height, int width, int vacuumRows) implements java.io.Serializable {
  /** Validates. */
  public SpecimenMask {
    if (height < 1 || width < 1 || vacuumRows < 0 || vacuumRows >= height) {
      throw new IllegalArgumentException(String.format("a %d x %d mask cannot have %d vacuum rows", height, width,
          vacuumRows));
    }
  }

  /** All specimen. */
  public static SpecimenMask none(int height, int width) {
    return new SpecimenMask(height, width, 0);
  }

  /** The mask of a {@code size × size} image with vacuum fraction {@code vacuum} (see the class comment). */
  public static SpecimenMask of(int size, double vacuum) {
    return new SpecimenMask(size, size, (int) Math.round(vacuum * size));
  }

  /** Whether pixel {@code p} (row-major, {@code y·width + x}) is specimen. */
  public boolean isSpecimen(int p) {
    return p >= vacuumRows * width;
  }

  /** One flag per pixel, row-major: true for specimen. */
  public boolean[] specimen() {
    boolean[] s = new boolean[height * width];
    java.util.Arrays.fill(s, vacuumRows * width, s.length, true);
    return s;
  }

  /** Number of specimen pixels. */
  public int specimenPixels() {
    return (height - vacuumRows) * width;
  }
}
