package org.eelsunmix.spark.source;

import java.io.Serializable;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.io.AcquisitionHeader;
import org.eelsunmix.spark.Acquisition;

/**
 * One input file as an executor found it: its header (null when the file is bad), the acquisition id it gets,
 * optionally its SHA-256 and the acquisition time its metadata gives, or the one-line reason it cannot be read.
 *
 * @param path the file (a Hadoop path string)
 * @param id the acquisition id
 * @param header what the file says about itself; null when {@code error} is set
 * @param checksum hex SHA-256 of the file, or null when not asked for
 * @param acquisitionTime when it was recorded, if the metadata says (local time), else null
 * @param errorSource the file at fault when refused (the {@code .raw} of a Ripple pair may be), else null
 * @param error why the file is refused, or null
 */
public record SurveyedFile(String path, String id, AcquisitionHeader header, String checksum,
    LocalDateTime acquisitionTime, String errorSource, String error) implements Serializable {

  public boolean ok() {
    return error == null;
  }

  /** The same file, refused for {@code problem}. */
  public SurveyedFile refused(String problem) {
    return new SurveyedFile(path, id, null, null, null, path, problem);
  }

  /** The refusal as one line naming the file. */
  public String reason() {
    return errorSource + ": " + error;
  }

  /** The acquisitions-table row of a good file, {@code source} naming where it came from. */
  public Acquisition acquisition(String source) {
    return new Acquisition(id, source, checksum, header.width(), header.height(), header.axis(),
        acquisitionTime == null ? null : Timestamp.valueOf(acquisitionTime), header.format(),
        header.dtype().numpyName(), header.metadata());
  }

  /** The refusal as the exception a strict load throws. */
  public BadInputException toException() {
    return new BadInputException(errorSource, error);
  }
}
