package org.eelsunmix.unmix;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import org.eelsunmix.core.PixelKey;
import org.eelsunmix.core.SpectrumImage;
import org.eelsunmix.synth.SyntheticGenerator;
import org.junit.jupiter.api.Test;

/**
 * VCA restarts driven through {@link VcaPasses} (BLU's and uDAS's start) against the in-memory {@link Vca#fit}
 * as the reference: the same kept set, bit for bit, and the same losses, whether the pixels are one block or
 * split into uneven blocks.
 */
class VcaPassesTest {

  /** The pixels of an image cut into blocks of uneven sizes (rows in raster order), each a BLU spectra block. */
  private static final class Blocks implements VcaPasses {
    private final BluSpectraBlock[] blocks;

    Blocks(SpectrumImage image, int... cuts) {
      int b = image.channels();
      int[] bounds = new int[cuts.length + 2];
      System.arraycopy(cuts, 0, bounds, 1, cuts.length);
      bounds[bounds.length - 1] = image.pixels();
      blocks = new BluSpectraBlock[bounds.length - 1];
      for (int i = 0; i < blocks.length; i++) {
        int from = bounds[i];
        int to = bounds[i + 1];
        PixelKey[] keys = new PixelKey[to - from];
        for (int p = from; p < to; p++) {
          keys[p - from] = new PixelKey(image.id(), p / image.width(), p % image.width());
        }
        blocks[i] = new BluSpectraBlock(Arrays.copyOfRange(image.data(), from * b, to * b), keys, b);
      }
    }

    @Override
    public VcaCandidate[] candidates(VcaProjection projection, double[][] directions, double lift) {
      VcaCandidate[] best = new VcaCandidate[directions.length];
      for (int i = blocks.length - 1; i >= 0; i--) { // merged against raster order on purpose
        best = VcaCandidate.better(best, blocks[i].candidates(projection, directions, lift));
      }
      return best;
    }

    @Override
    public FclsResiduals residuals(Fcls[] sets) {
      FclsResiduals total = new FclsResiduals(sets);
      for (BluSpectraBlock block : blocks) {
        total.merge(block.residuals(sets));
      }
      return total;
    }

    double maxNormSquared(VcaProjection projection) {
      return Arrays.stream(blocks).mapToDouble(blk -> blk.maxNormSquared(projection)).max().orElseThrow();
    }
  }

  private static void sameAsVcaFit(SpectrumImage image, int r, long seed, int restarts, int... cuts) {
    Vca.Result reference = Vca.fit(image, new Vca.Options(r, seed).withRestarts(restarts));
    Blocks passes = new Blocks(image, cuts);
    SpectralMoments moments = new SpectralMoments(image.channels());
    for (int i = 0; i < image.pixels(); i++) {
      moments.add(image.data(), i * image.channels());
    }
    VcaProjection projection = VcaProjection.fromMoments(moments, r, Double.NaN);
    double lift = projection.projective() ? Math.sqrt(passes.maxNormSquared(projection)) : 0;
    VcaRestarts search = new VcaRestarts(projection, lift, seed, restarts);
    double[] losses = search.search(passes);
    int kept = VcaRestarts.kept(losses);
    assertEquals(reference.kept(), kept);
    assertEquals(reference.pixels(), search.pixels(kept));
    double[][] expected = reference.endmembers().matrix();
    for (int e = 0; e < r; e++) {
      assertArrayEquals(expected[e], search.endmembers(kept)[e], 0, "endmember " + e);
    }
    double[] expectedLosses = reference.restartLosses();
    for (int k = 0; k < restarts; k++) {
      // one block: the same additions in the same order; several: the merge may round differently
      assertEquals(expectedLosses[k], losses[k], cuts.length == 0 ? 0 : 1e-12 * Math.abs(expectedLosses[k]));
    }
  }

  @Test
  void restartsThroughOneBlockAreVcaFitBitForBit() {
    SpectrumImage image = SyntheticGenerator.generate(SyntheticGenerator.Options.builtin("co-ru-pt").withSize(32),
        2).image();
    sameAsVcaFit(image, 3, 11, 5);
    sameAsVcaFit(image, 3, 11, 1);
  }

  @Test
  void restartsThroughUnevenBlocksKeepTheSameSet() {
    SpectrumImage image = SyntheticGenerator.generate(SyntheticGenerator.Options.builtin("co-ru-pt").withSize(32),
        2).image();
    sameAsVcaFit(image, 3, 11, 5, 1, 100, 101, 700);
    sameAsVcaFit(image, 4, 5, 5, 512);
  }

  /**
   * The projection (four coordinates side by side) gives each coordinate the bits of its plain index-order sum
   * {@code Σ_j basis_ij (y_j − mean_j)}, in both modes and for 1 to 9 coordinates (every remainder of four and two).
   */
  @Test
  void projectionHasTheBitsOfThePlainSums() {
    SpectrumImage image = SyntheticGenerator.generate(SyntheticGenerator.Options.builtin("co-ru-pt").withSize(16),
        3).image();
    int b = image.channels();
    SpectralMoments moments = new SpectralMoments(b);
    for (int i = 0; i < image.pixels(); i++) {
      moments.add(image.data(), i * b);
    }
    for (double snr : new double[] {-20, 80}) {
      for (int r = 2; r <= 9; r++) {
        VcaProjection projection = VcaProjection.fromMoments(moments, r, snr);
        double[] x = new double[projection.dims()];
        for (int p = 0; p < image.pixels(); p += 37) {
          projection.project(image.data(), p * b, x);
          for (int i = 0; i < projection.dims(); i++) {
            double s = 0;
            for (int j = 0; j < b; j++) {
              double yj = image.data()[p * b + j];
              s += projection.basis()[i * b + j] * (projection.projective() ? yj - projection.mean()[j] : yj);
            }
            assertEquals(Double.doubleToRawLongBits(s), Double.doubleToRawLongBits(x[i]),
                "snr " + snr + " dB, R = " + r + ", pixel " + p + ", coordinate " + i);
          }
        }
      }
    }
  }
}
