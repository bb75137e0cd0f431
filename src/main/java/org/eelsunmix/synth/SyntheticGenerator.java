package org.eelsunmix.synth;

import java.util.Arrays;
import java.util.Objects;
import java.util.SplittableRandom;
import org.eelsunmix.core.Abundances;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.core.Endmembers;
import org.eelsunmix.core.SpectrumImage;

/**
 * Synthetic EELS spectrum images with known truth, by the chequerboard protocol:
 *
 * <ol>
 *   <li>{@link ChequerboardMaps}: {@code size × size} one-hot maps, one endmember per {@code block × block}
 *       square, drawn uniformly; or ({@code map = layers}) {@link LayeredMaps}: horizontal layers with a thin,
 *       one-sidedly diffused layer that has no pure pixel;</li>
 *   <li>{@link MixingFilter}: a {@code filter × filter} moving average with mirrored borders, so the maps mix
 *       near block edges, stay ≥ 0 and sum to one;</li>
 *   <li>linear mixing {@code x = Σ_r a_r m_r} with the endmembers normalised to unit sum over the channels, so
 *       every pixel has unit total;</li>
 *   <li>{@link PoissonNoise} at dose {@code D}: {@code y_b ~ Poisson(D·x_b)} per channel, so {@code D} is the
 *       expected number of counts per pixel. The truth endmembers are {@code D·m_r}.
 *       {@code D = +∞} ({@link #NOISE_FREE}) means no noise: the cube is then {@code Σ_r a_r m_r} itself (unit
 *       total per pixel, the limit of {@code y/D}) and the truth endmembers are the unit-sum {@code m_r}.</li>
 * </ol>
 *
 * <p><b>Harder data</b> (all off by default, and then the cube is bit-identical to the plain protocol): spectral
 * variability ({@link Variability}, applied by {@link SpectralVariability} in step 3: energy drift and jitter,
 * edge and background changes, per-pixel thickness), and vacuum ({@link Scene#vacuum}): the top rows hold no
 * specimen, only a flat dark level of {@link #VACUUM_LEVEL}·D counts per pixel spread evenly over the channels
 * (before noise; {@link #VACUUM_LEVEL} per pixel noise-free), the residual of dark-current and gain reference
 * subtraction. The truth endmembers stay the reference spectra (unshifted, unscaled) and the truth abundances the
 * maps, vacuum rows included; {@link SyntheticCube#specimen} says which pixels to score.
 *
 * <p><b>Seeds.</b> Replicate {@code i} of seed {@code s} uses the replicate seed
 * {@code t = mix64(s + (i + 1)·γ)}, the {@code (i+1)}-th output of a SplitMix64 generator seeded with {@code s}
 * (γ = 0x9E3779B97F4A7C15, {@code mix64} = the SplitMix64 finaliser of G. L. Steele, D. Lea and C. H. Flood,
 * "Fast splittable pseudorandom number generators", OOPSLA 2014). The maps draw from
 * {@code new SplittableRandom(mix64(t + γ))} and the noise from {@code new SplittableRandom(mix64(t + 2γ))}, two
 * separate streams, so changing the dose leaves the maps unchanged. Spectral variability draws from a third,
 * the variability seed {@code mix64(t + 3γ)} ({@link SpectralVariability} derives one stream per quantity from it),
 * so turning it on changes neither the maps nor the noise stream. The same options and replicate give a
 * bit-identical cube.
 */
public final class SyntheticGenerator {
  /** Default image side (pixels). */
  public static final int DEFAULT_SIZE = 64;
  /** Default block side (pixels). */
  public static final int DEFAULT_BLOCK = 8;
  /** Default mixing-filter window. */
  public static final int DEFAULT_FILTER = 9;
  /**
   * Default dose: 1e5 expected counts per pixel, typical of a core-loss spectrum image (a few nA for some ms
   * per pixel, with edges of a few percent of the counts); the strongest channels then hold a few thousand
   * counts.
   */
  public static final double DEFAULT_DOSE = 1e5;
  /** The dose meaning "no noise" (see the class comment). */
  public static final double NOISE_FREE = Double.POSITIVE_INFINITY;
  /** Default seed. */
  public static final long DEFAULT_SEED = 1L;
  /** The settings {@link Options#with} knows, in the order of the documentation. */
  public static final java.util.List<String> SETTINGS = java.util.List.of("size", "block", "filter", "dose",
      "seed", "map", "layer_width", "diffusion", "vacuum", "shift_drift", "shift_jitter", "edge_scale",
      "background_jitter", "thickness");
  /** Expected counts of a vacuum pixel as a fraction of the dose (see the class comment). */
  public static final double VACUUM_LEVEL = 1e-3;
  /** The SplitMix64 increment, 2⁶⁴/φ. */
  private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

  private SyntheticGenerator() {
  }

  /**
   * What to generate. The constructor validates and reports a bad value as a {@link BadInputException} naming
   * the component: {@code size} ≥ 1; {@code block} ≥ 1 and dividing {@code size} (whole squares); {@code filter}
   * odd, ≥ 1 and ≤ {@code size}; {@code dose} &gt; 0 and ≤ {@link PoissonNoise#MAX_MEAN} (or {@link #NOISE_FREE});
   * {@code set} endmembers non-negative with a positive total; for layered maps at least two endmembers
   * ({@code map}) and a row per thick layer beside the thin one ({@code layer_width}); {@code vacuum} leaving at
   * least one specimen row.
   *
   * @param set the endmember set's name, used in acquisition ids (characters other than letters, digits,
   *     {@code . _ -} become {@code -})
   * @param endmembers the endmembers (any scale: each is normalised to unit sum before mixing)
   * @param size image side in pixels
   * @param block chequerboard square side in pixels
   * @param filter mixing-filter window side
   * @param dose expected counts per pixel, or {@link #NOISE_FREE}
   * @param seed master seed
   * @param scene the maps and the vacuum ({@link Scene#DEFAULT}: chequerboard, no vacuum; null means that)
   * @param variability spectral variability ({@link Variability#NONE}: off; null means that)
   */
  public record Options(String set, Endmembers endmembers, int size, int block, int filter, double dose,
      long seed, Scene scene, Variability variability) implements java.io.Serializable {
    /** The plain protocol: chequerboard maps, no vacuum, no spectral variability. */
    public Options(String set, Endmembers endmembers, int size, int block, int filter, double dose, long seed) {
      this(set, endmembers, size, block, filter, dose, seed, Scene.DEFAULT, Variability.NONE);
    }

    /** Validates, naming the option at fault. */
    public Options {
      if (set == null || set.isBlank()) {
        throw new BadInputException("set", "the endmember set needs a name");
      }
      Objects.requireNonNull(endmembers, "endmembers");
      for (int r = 0; r < endmembers.count(); r++) {
        double[] m = endmembers.spectrum(r);
        double total = 0.0;
        for (int b = 0; b < m.length; b++) {
          if (m[b] < 0) {
            throw new BadInputException("set", String.format("endmember '%s' of set '%s' is negative (%s) at "
                + "channel %d (%.4g %s); synthetic counts need non-negative spectra", endmembers.names().get(r),
                set, m[b], b, endmembers.axis().energy(b), endmembers.axis().units()));
          }
          total += m[b];
        }
        if (!(total > 0)) {
          throw new BadInputException("set", String.format("endmember '%s' of set '%s' is zero everywhere",
              endmembers.names().get(r), set));
        }
      }
      if (size < 1) {
        throw new BadInputException("size", "the image side must be at least 1 pixel, got " + size);
      }
      long values = (long) size * size * endmembers.channels();
      if (values > Integer.MAX_VALUE - 8) {
        throw new BadInputException("size", String.format("a %d x %d image of %d channels needs %d values, "
            + "more than one spectrum image can hold; use a smaller size", size, size, endmembers.channels(),
            values));
      }
      if (block < 1 || block > size || size % block != 0) {
        throw new BadInputException("block", String.format("the block side must divide the image side %d "
            + "(e.g. %d), got %d", size, largestDivisorAtMost(size, DEFAULT_BLOCK), block));
      }
      if (filter < 1 || filter % 2 == 0 || filter > size) {
        throw new BadInputException("filter", String.format("the mixing-filter window must be odd, at least 1 "
            + "(1 = no mixing) and at most the image side %d, got %d", size, filter));
      }
      if (!(dose > 0) || (dose > PoissonNoise.MAX_MEAN && dose != NOISE_FREE)) {
        throw new BadInputException("dose", "the dose must be a positive number of counts per pixel, at most "
            + PoissonNoise.MAX_MEAN + " (or Infinity for noise-free data), got " + dose);
      }
      scene = scene == null ? Scene.DEFAULT : scene;
      variability = variability == null ? Variability.NONE : variability;
      if (scene.map() == Scene.MapKind.LAYERS) {
        if (endmembers.count() < 2) {
          throw new BadInputException("map", "layered maps need at least two endmembers, set '" + set + "' has "
              + endmembers.count());
        }
        int thick = LayeredMaps.thickLayers(endmembers.count());
        if (size - scene.layerWidth() < thick) {
          throw new BadInputException("layer_width", String.format("a %d-pixel image has room for a thin layer of "
              + "at most %d rows beside %d thick layers, got %d", size, size - thick, thick, scene.layerWidth()));
        }
      }
      if (Math.round(scene.vacuum() * size) >= size) {
        throw new BadInputException("vacuum", String.format("a vacuum fraction of %s leaves no specimen row in a "
            + "%d-pixel image", scene.vacuum(), size));
      }
    }

    /** Defaults (64 × 64, blocks of 8, filter 9, dose 1e5, seed 1) for built-in set {@code set}. */
    public static Options builtin(String set) {
      return of(set, EndmemberSet.builtin(set));
    }

    /** Defaults for the given endmembers. */
    public static Options of(String set, Endmembers endmembers) {
      return new Options(set, endmembers, DEFAULT_SIZE, DEFAULT_BLOCK, DEFAULT_FILTER, DEFAULT_DOSE,
          DEFAULT_SEED);
    }

    /** A copy with another image side. */
    public Options withSize(int newSize) {
      return new Options(set, endmembers, newSize, block, filter, dose, seed, scene, variability);
    }

    /** A copy with another block side. */
    public Options withBlock(int newBlock) {
      return new Options(set, endmembers, size, newBlock, filter, dose, seed, scene, variability);
    }

    /** A copy with another filter window. */
    public Options withFilter(int newFilter) {
      return new Options(set, endmembers, size, block, newFilter, dose, seed, scene, variability);
    }

    /** A copy with another dose. */
    public Options withDose(double newDose) {
      return new Options(set, endmembers, size, block, filter, newDose, seed, scene, variability);
    }

    /** A copy with other maps or vacuum. */
    public Options withScene(Scene newScene) {
      return new Options(set, endmembers, size, block, filter, dose, seed, newScene, variability);
    }

    /** A copy with other spectral variability. */
    public Options withVariability(Variability newVariability) {
      return new Options(set, endmembers, size, block, filter, dose, seed, scene, newVariability);
    }

    /** A copy with another seed. */
    public Options withSeed(long newSeed) {
      return new Options(set, endmembers, size, block, filter, dose, newSeed, scene, variability);
    }

    /**
     * A copy with one setting changed, by its name in study files ({@code conf/studies/}): {@code size},
     * {@code block}, {@code filter}, {@code dose} (a number, or {@code Infinity}), {@code seed}, {@code map}
     * ({@code chequerboard} or {@code layers}), {@code layer_width}, {@code diffusion}, {@code vacuum} ({@link Scene})
     * and {@code shift_drift}, {@code shift_jitter}, {@code edge_scale}, {@code background_jitter},
     * {@code thickness} ({@link Variability}); the list is {@link #SETTINGS}. The one place where a setting's name
     * maps onto the protocol, so a study grid can vary any of them.
     *
     * @throws BadInputException naming the setting when the name is unknown or the value is not a number
     */
    public Options with(String key, String value) {
      try {
        return switch (key) {
          case "size" -> withSize(Integer.parseInt(value.strip()));
          case "block" -> withBlock(Integer.parseInt(value.strip()));
          case "filter" -> withFilter(Integer.parseInt(value.strip()));
          case "dose" -> withDose(Double.parseDouble(value.strip()));
          case "seed" -> withSeed(Long.parseLong(value.strip()));
          case "map" -> withScene(new Scene(Scene.MapKind.parse(value), scene.layerWidth(), scene.diffusion(),
              scene.vacuum()));
          case "layer_width" -> withScene(new Scene(scene.map(), Integer.parseInt(value.strip()), scene.diffusion(),
              scene.vacuum()));
          case "diffusion" -> withScene(new Scene(scene.map(), scene.layerWidth(), number(value), scene.vacuum()));
          case "vacuum" -> withScene(new Scene(scene.map(), scene.layerWidth(), scene.diffusion(), number(value)));
          case "shift_drift" -> withVariability(new Variability(number(value), variability.shiftJitter(),
              variability.edgeScale(), variability.backgroundJitter(), variability.thickness()));
          case "shift_jitter" -> withVariability(new Variability(variability.shiftDrift(), number(value),
              variability.edgeScale(), variability.backgroundJitter(), variability.thickness()));
          case "edge_scale" -> withVariability(new Variability(variability.shiftDrift(), variability.shiftJitter(),
              number(value), variability.backgroundJitter(), variability.thickness()));
          case "background_jitter" -> withVariability(new Variability(variability.shiftDrift(),
              variability.shiftJitter(), variability.edgeScale(), number(value), variability.thickness()));
          case "thickness" -> withVariability(new Variability(variability.shiftDrift(), variability.shiftJitter(),
              variability.edgeScale(), variability.backgroundJitter(), number(value)));
          default -> throw new BadInputException(key, "unknown synthetic setting; known settings: "
              + String.join(", ", SETTINGS));
        };
      } catch (NumberFormatException e) {
        throw new BadInputException(key, "'" + value + "' is not a number");
      }
    }

    private static double number(String value) {
      return Double.parseDouble(value.strip());
    }

    /**
     * The settings as {@code key=value} words in {@link #SETTINGS} order, e.g. {@code size=64 block=8 filter=9
     * dose=100000.0 seed=1}; the map, vacuum and variability settings only where they differ from the defaults.
     */
    public String describe() {
      StringBuilder b = new StringBuilder(String.format("size=%d block=%d filter=%d dose=%s seed=%d", size, block,
          filter, dose, seed));
      if (scene.map() != Scene.DEFAULT.map()) {
        b.append(" map=").append(scene.map().label()).append(" layer_width=").append(scene.layerWidth())
            .append(" diffusion=").append(scene.diffusion());
      }
      if (scene.vacuum() != 0) {
        b.append(" vacuum=").append(scene.vacuum());
      }
      Variability v = variability;
      double[] values = {v.shiftDrift(), v.shiftJitter(), v.edgeScale(), v.backgroundJitter(), v.thickness()};
      String[] keys = {"shift_drift", "shift_jitter", "edge_scale", "background_jitter", "thickness"};
      for (int i = 0; i < keys.length; i++) {
        if (values[i] != 0) {
          b.append(' ').append(keys[i]).append('=').append(values[i]);
        }
      }
      return b.toString();
    }

    /** Whether {@link #dose} means noise-free data. */
    public boolean noiseFree() {
      return dose == NOISE_FREE;
    }
  }

  /**
   * The ground truth of replicate {@code replicate} (≥ 0): the filtered maps (chequerboard or layered), the
   * dose-scaled endmembers and the specimen mask, without
   * drawing the noise (cheap; what {@link #generate} mixes). Uses the replicate's map stream only, so it equals the
   * truth of {@link #generate} exactly.
   */
  public static SyntheticTruth truth(Options options, int replicate) {
    if (replicate < 0) {
      throw new BadInputException("replicate", "replicate numbers start at 0, got " + replicate);
    }
    long replicateSeed = replicateSeed(options.seed(), replicate);
    SplittableRandom mapRandom = new SplittableRandom(mix64(replicateSeed + GOLDEN_GAMMA));
    Endmembers source = options.endmembers();
    // Layered maps draw nothing from the map stream; the chequerboard draws as it always did.
    Abundances pure = options.scene().map() == Scene.MapKind.LAYERS
        ? new LayeredMaps(options.size(), options.scene().layerWidth(), options.scene().diffusion())
            .paint(source.names())
        : new ChequerboardMaps(options.size(), options.block()).draw(source.count(), mapRandom);
    Abundances mixed = new MixingFilter(options.filter()).apply(pure);
    double scale = options.noiseFree() ? 1.0 : options.dose();
    double[][] m = source.matrix();
    for (double[] row : m) {
      double total = 0.0;
      for (double v : row) {
        total += v;
      }
      for (int b = 0; b < row.length; b++) {
        row[b] = row[b] / total * scale;
      }
    }
    return new SyntheticTruth(new Endmembers(m, source.names(), source.axis()), mixed, replicateSeed,
        SpecimenMask.of(options.size(), options.scene().vacuum()));
  }

  /**
   * Replicate {@code replicate} (≥ 0) of the synthetic image described by {@code options}; its acquisition id is
   * {@link #acquisitionId}.
   */
  public static SyntheticCube generate(Options options, int replicate) {
    SyntheticTruth t = truth(options, replicate);
    long replicateSeed = t.seed();
    SplittableRandom noiseRandom = new SplittableRandom(mix64(replicateSeed + 2 * GOLDEN_GAMMA));
    Endmembers source = options.endmembers();
    int count = source.count();
    int channels = source.channels();
    int size = options.size();
    Abundances mixed = t.abundances();
    Endmembers truth = t.endmembers();
    double[][] m = truth.matrix();

    double[] a = mixed.values();
    float[] data = new float[size * size * channels];
    double[] expected = new double[channels];
    PoissonNoise noise = new PoissonNoise(noiseRandom);
    SpecimenMask specimen = t.specimen();
    SpectralVariability variability = options.variability().off() ? null
        : new SpectralVariability(options.variability(), BackgroundSplit.of(options.set(), truth),
            source.axis(), size, mix64(replicateSeed + 3 * GOLDEN_GAMMA));
    double dark = VACUUM_LEVEL * (options.noiseFree() ? 1.0 : options.dose()) / channels;
    for (int p = 0; p < size * size; p++) {
      if (variability != null) {
        variability.expected(p, a, expected); // every pixel, so the draws do not depend on the vacuum
      } else {
        // The plain linear mixing model, kept as it was so that default cubes stay bit-identical.
        Arrays.fill(expected, 0.0);
        for (int r = 0; r < count; r++) {
          double ar = a[p * count + r];
          if (ar != 0.0) {
            double[] mr = m[r];
            for (int b = 0; b < channels; b++) {
              expected[b] += ar * mr[b];
            }
          }
        }
      }
      if (!specimen.isSpecimen(p)) {
        Arrays.fill(expected, dark);
      }
      if (options.noiseFree()) {
        for (int b = 0; b < channels; b++) {
          data[p * channels + b] = (float) expected[b];
        }
      } else {
        noise.sample(expected, 0, data, p * channels, channels);
      }
    }
    SpectrumImage image = new SpectrumImage(acquisitionId(options.set(), replicate), size, size, source.axis(),
        data);
    return new SyntheticCube(image, truth, mixed, replicateSeed, specimen);
  }

  /**
   * The acquisition id of a replicate: the set name (characters other than letters, digits, {@code . _ -}
   * replaced by {@code -}), {@code -r} and the replicate number in four or more digits, e.g.
   * {@code co-ru-pt-r0007}.
   */
  public static String acquisitionId(String set, int replicate) {
    return set.strip().replaceAll("[^A-Za-z0-9._-]", "-") + String.format("-r%04d", replicate);
  }

  /** The seed of replicate {@code replicate}: {@code mix64(seed + (replicate + 1)·γ)} (see the class comment). */
  public static long replicateSeed(long seed, int replicate) {
    return mix64(seed + (replicate + 1L) * GOLDEN_GAMMA);
  }

  /** The SplitMix64 finaliser (Steele, Lea and Flood 2014): a bijective avalanche mix of 64 bits. */
  public static long mix64(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  private static int largestDivisorAtMost(int n, int limit) {
    for (int d = Math.min(n, limit); d > 1; d--) {
      if (n % d == 0) {
        return d;
      }
    }
    return 1;
  }
}
