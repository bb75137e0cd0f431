package org.eelsunmix.spark.source;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.connector.read.PartitionReader;
import org.apache.spark.sql.connector.read.PartitionReaderFactory;
import org.apache.spark.util.SerializableConfiguration;

/** Ships the Hadoop configuration to the executors and opens a {@link PixelPartitionReader} per tile there. */
final class PixelReaderFactory implements PartitionReaderFactory {
  private static final long serialVersionUID = 1L;
  private final SerializableConfiguration conf;

  PixelReaderFactory(SerializableConfiguration conf) {
    this.conf = conf;
  }

  @Override
  public PartitionReader<InternalRow> createReader(InputPartition partition) {
    try {
      return new PixelPartitionReader((FileTile) partition, conf.value());
    } catch (IOException e) {
      throw new UncheckedIOException(((FileTile) partition).path() + ": " + e.getMessage(), e);
    }
  }
}
