package org.eelsunmix.synth;

import java.util.Locale;
import org.eelsunmix.core.BadInputException;

/**
 * What the specimen looks like: which abundance maps ({@link MapKind}), the geometry of the layered maps and the
 * share of the image without specimen. {@link #DEFAULT} (chequerboard, no vacuum) is the protocol of before these
 * settings, bit for bit.
 *
 * @param map the kind of abundance maps
 * @param layerWidth nominal thickness of the thin layer of {@link LayeredMaps}, in pixels (rows), ≥ 1
 * @param diffusion one-sided diffusion length of the thin layer into its lower neighbour, in pixels, ≥ 0
 *     (see {@link LayeredMaps})
 * @param vacuum fraction of the image rows, from the top, where the specimen is absent, in [0, 1) (see
 *     {@link SpecimenMask})
 */
public record Scene(MapKind map, int layerWidth, double diffusion, double vacuum) implements java.io.Serializable {
  /** Default thin-layer thickness (pixels): a few pixels, like the ~1 nm Ru layer at ~0.3 nm per pixel. */
  public static final int DEFAULT_LAYER_WIDTH = 3;
  /** Default diffusion length (pixels). */
  public static final double DEFAULT_DIFFUSION = 2.0;
  /** Chequerboard maps, layered geometry at its defaults (unused), no vacuum. */
  public static final Scene DEFAULT = new Scene(MapKind.CHEQUERBOARD, DEFAULT_LAYER_WIDTH, DEFAULT_DIFFUSION, 0.0);

  /** The abundance maps a cube is drawn from. */
  public enum MapKind {
    /** {@link ChequerboardMaps}: random pure squares (the classic protocol). */
    CHEQUERBOARD,
    /** {@link LayeredMaps}: horizontal layers with a thin, one-sidedly diffused layer. */
    LAYERS;

    /** The kind named {@code name} ({@code chequerboard} or {@code layers}, any case). */
    public static MapKind parse(String name) {
      try {
        return valueOf(name.strip().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new BadInputException("map", "must be chequerboard or layers, got '" + name + "'");
      }
    }

    /** The lower-case name used in settings and on the command line. */
    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Validates what does not depend on the image size (see {@link SyntheticGenerator.Options} for the rest). */
  public Scene {
    if (map == null) {
      throw new BadInputException("map", "must be chequerboard or layers");
    }
    if (layerWidth < 1) {
      throw new BadInputException("layer_width", "the thin layer must be at least 1 pixel thick, got " + layerWidth);
    }
    if (!(diffusion >= 0 && diffusion <= 1e4)) {
      throw new BadInputException("diffusion", "must be a length in pixels in [0, 1e4] (0 = sharp), got "
          + diffusion);
    }
    if (!(vacuum >= 0 && vacuum < 1)) {
      throw new BadInputException("vacuum", "must be a fraction of the image in [0, 1) (0 = none), got " + vacuum);
    }
  }
}
