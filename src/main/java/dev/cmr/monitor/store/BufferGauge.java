package dev.cmr.monitor.store;

/**
 * Source of memory-buffer statistics. The monitor calls {@link #read()} off the record path, whenever it takes a
 * snapshot ({@code getStats()}, each collection interval), from its own threads: implementations must be
 * thread-safe and cheap, and should not block. An exception is caught and counted as an error of component
 * {@code buffer_gauge}; the stats then show no buffer reading.
 */
@FunctionalInterface
public interface BufferGauge {
    BufferReading read();
}
