package dev.cmr.monitor.spi;

/**
 * Source of memory-buffer statistics. The monitor calls {@link #read()} off the record path, whenever it takes a
 * snapshot ({@code getStats()}, each collection interval), from its own threads: implementations must be
 * thread-safe and cheap, and should not block. An exception is caught and counted as an error of component
 * {@code buffer_gauge}; the stats then show no buffer reading.
 */
@FunctionalInterface
public interface BufferGauge {
    BufferReading read();

    /**
     * A detailed inspection for diagnostics, or null when the gauge offers none (the default). Called only by
     * {@code runDiagnostics}, never per snapshot, so it may walk the entries and take the buffer's lock briefly.
     *
     * @param staleAfterNanos entries idle (not retrieved) for longer than this count as stale; >= 0
     */
    default MemoryInspection inspect(long staleAfterNanos) {
        return null;
    }
}
