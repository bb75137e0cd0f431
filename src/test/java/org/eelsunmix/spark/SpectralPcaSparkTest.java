package org.eelsunmix.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.eelsunmix.spark.ml.SpectralPca;
import org.eelsunmix.spark.ml.SpectralPcaModel;
import org.eelsunmix.synth.SyntheticCube;
import org.eelsunmix.synth.SyntheticGenerator;
import org.eelsunmix.unmix.HySime;
import org.eelsunmix.unmix.Pca;
import org.eelsunmix.unmix.ScreeElbow;
import org.eelsunmix.unmix.SpectralMoments;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The distributed PCA / HySime / scree elbow against the in-memory kernels on the same cube. */
class SpectralPcaSparkTest {

  @Test
  void distributedEqualsInMemoryAndProjectsPixels(@TempDir Path dir) throws Exception {
    TestSpark.session();
    SyntheticCube cube = SyntheticGenerator.generate(SyntheticGenerator.Options.builtin("co-ru-pt").withSize(32).withBlock(8), 1);
    int b = cube.image().channels();
    SpectralMoments m = new SpectralMoments(b);
    for (int p = 0; p < cube.image().pixels(); p++) {
      m.add(cube.image().data(), p * b);
    }
    Pca reference = Pca.fromMoments(m, 3, 20, true);
    HySime hysime = HySime.fromMoments(m);
    for (int partitions : new int[] {1, 2, 7}) {
      Dataset<Row> df = VcaFclsSparkTest.pixels(cube.image(), partitions);
      SpectralPcaModel model = new SpectralPca().setNumComponents(3).fit(df);
      assertArrayEquals(reference.eigenvalues(), model.pca().eigenvalues(), 1e-9 * reference.eigenvalues()[0]);
      VcaFclsSparkTest.assertClose(reference.components(), model.pca().components(), 1e-8);
      assertEquals(hysime.k(), model.hysimeK());
      assertEquals(ScreeElbow.estimate(reference.eigenvalues(), 20), model.elbowK());
      if (partitions == 7) {
        double[] expected = new double[3];
        for (Row row : model.transform(df).select("x", "y", "pca").collectAsList()) {
          int p = row.getInt(1) * 32 + row.getInt(0);
          reference.project(cube.image().data(), p * b, expected);
          List<Object> got = row.getList(2);
          for (int i = 0; i < 3; i++) {
            assertEquals(expected[i], (Double) got.get(i), 1e-6 * Math.sqrt(reference.eigenvalues()[0]));
          }
        }
        String path = dir.resolve("pca").toString();
        model.write().save(path);
        SpectralPcaModel loaded = SpectralPcaModel.load(path);
        assertArrayEquals(model.pca().eigenvalues(), loaded.pca().eigenvalues(), 0);
        assertEquals(model.axes(), loaded.axes());
        assertEquals(model.hysimeK(), loaded.hysimeK());
        assertEquals(model.elbowK(), loaded.elbowK());
      }
    }
  }
}
