package org.eelsunmix.report;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.eelsunmix.core.EnergyAxis;

/**
 * What the report says about one processed acquisition, kept beside its outputs as {@code summary.properties} so
 * the report page can be rebuilt from the output folder alone.
 *
 * @param id acquisition id
 * @param sourcePath the archive file
 * @param format reader format ({@code dm4}, {@code ripple}, ...)
 * @param checksum SHA-256 of the source
 * @param height rows
 * @param width columns
 * @param axis energy axis
 * @param pixelSize size of a pixel along x (NaN when unknown)
 * @param pixelUnits its units (empty when unknown)
 * @param endmembers endmember names, in model order
 * @param meanAbundances mean abundance of each endmember over the image
 * @param rmseMean mean over pixels of the per-pixel reconstruction RMSE (counts)
 * @param rmseMax largest per-pixel RMSE (counts)
 * @param model the model applied
 * @param processedAt when the outputs were written
 * @param abundancesStd whether the model gave per-pixel abundance standard deviations (BLU), drawn as
 *     {@code maps/NN-name-std.png} beside the abundance maps
 */
public record AcquisitionSummary(String id, String sourcePath, String format, String checksum, int height,
    int width, EnergyAxis axis, double pixelSize, String pixelUnits, List<String> endmembers,
    double[] meanAbundances, double rmseMean, double rmseMax, String model, Instant processedAt,
    boolean abundancesStd) {

  public AcquisitionSummary {
    endmembers = List.copyOf(endmembers);
    meanAbundances = meanAbundances.clone();
  }

  /** A summary without abundance standard deviations. */
  public AcquisitionSummary(String id, String sourcePath, String format, String checksum, int height, int width,
      EnergyAxis axis, double pixelSize, String pixelUnits, List<String> endmembers, double[] meanAbundances,
      double rmseMean, double rmseMax, String model, Instant processedAt) {
    this(id, sourcePath, format, checksum, height, width, axis, pixelSize, pixelUnits, endmembers, meanAbundances,
        rmseMean, rmseMax, model, processedAt, false);
  }

  /** The same summary, saying whether standard-deviation maps were drawn. */
  public AcquisitionSummary withAbundancesStd(boolean std) {
    return new AcquisitionSummary(id, sourcePath, format, checksum, height, width, axis, pixelSize, pixelUnits,
        endmembers, meanAbundances, rmseMean, rmseMax, model, processedAt, std);
  }

  /** Writes the summary as a properties file (not closing the stream). */
  public void store(OutputStream out) throws IOException {
    Properties p = new Properties();
    p.setProperty("acquisition_id", id);
    p.setProperty("source_path", sourcePath);
    p.setProperty("format", format);
    p.setProperty("checksum", checksum);
    p.setProperty("height", Integer.toString(height));
    p.setProperty("width", Integer.toString(width));
    p.setProperty("channels", Integer.toString(axis.channels()));
    p.setProperty("energy_offset", Double.toString(axis.offset()));
    p.setProperty("energy_scale", Double.toString(axis.scale()));
    p.setProperty("energy_units", axis.units());
    p.setProperty("pixel_size", Double.toString(pixelSize));
    p.setProperty("pixel_units", pixelUnits == null ? "" : pixelUnits);
    p.setProperty("endmembers", Integer.toString(endmembers.size()));
    for (int r = 0; r < endmembers.size(); r++) {
      p.setProperty("endmember." + r + ".name", endmembers.get(r));
      p.setProperty("endmember." + r + ".mean_abundance", Double.toString(meanAbundances[r]));
    }
    p.setProperty("rmse_mean", Double.toString(rmseMean));
    p.setProperty("rmse_max", Double.toString(rmseMax));
    p.setProperty("model", model);
    p.setProperty("processed_at", processedAt.toString());
    p.setProperty("abundances_std", Boolean.toString(abundancesStd));
    p.store(out, "eels-unmix reprocess: one acquisition");
  }

  /** Reads a summary written by {@link #store}. */
  public static AcquisitionSummary load(InputStream in) throws IOException {
    Properties p = new Properties();
    p.load(in);
    int r = Integer.parseInt(p.getProperty("endmembers"));
    List<String> names = new ArrayList<>();
    double[] means = new double[r];
    for (int i = 0; i < r; i++) {
      names.add(p.getProperty("endmember." + i + ".name"));
      means[i] = Double.parseDouble(p.getProperty("endmember." + i + ".mean_abundance"));
    }
    EnergyAxis axis = new EnergyAxis(Double.parseDouble(p.getProperty("energy_offset")),
        Double.parseDouble(p.getProperty("energy_scale")), p.getProperty("energy_units"),
        Integer.parseInt(p.getProperty("channels")));
    return new AcquisitionSummary(p.getProperty("acquisition_id"), p.getProperty("source_path"),
        p.getProperty("format"), p.getProperty("checksum"), Integer.parseInt(p.getProperty("height")),
        Integer.parseInt(p.getProperty("width")), axis, Double.parseDouble(p.getProperty("pixel_size")),
        p.getProperty("pixel_units"), names, means, Double.parseDouble(p.getProperty("rmse_mean")),
        Double.parseDouble(p.getProperty("rmse_max")), p.getProperty("model"),
        Instant.parse(p.getProperty("processed_at")), Boolean.parseBoolean(p.getProperty("abundances_std")));
  }
}
