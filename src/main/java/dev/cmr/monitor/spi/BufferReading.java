package dev.cmr.monitor.spi;

import java.util.Map;
import java.util.TreeMap;

/**
 * One reading of the memory buffer: resident entries per layer, their total, bytes held and capacity in entries.
 *
 * @param entriesPerLayer resident entries keyed by layer; copied
 * @param memoryBytes     bytes held by resident entries
 * @param capacityEntries the buffer's total capacity in entries (0 when unbounded)
 */
public record BufferReading(Map<Integer, Long> entriesPerLayer, long memoryBytes, long capacityEntries) {
    public BufferReading {
        entriesPerLayer = java.util.Collections.unmodifiableMap(new TreeMap<>(entriesPerLayer));
        for (Map.Entry<Integer, Long> e : entriesPerLayer.entrySet()) {
            if (e.getValue() == null || e.getValue() < 0) {
                throw new IllegalArgumentException("entriesPerLayer[" + e.getKey() + "] must be >= 0, was " + e.getValue());
            }
        }
        if (memoryBytes < 0) {
            throw new IllegalArgumentException("memoryBytes must be >= 0, was " + memoryBytes);
        }
        if (capacityEntries < 0) {
            throw new IllegalArgumentException("capacityEntries must be >= 0, was " + capacityEntries);
        }
    }

    public long totalEntries() {
        long sum = 0;
        for (long n : entriesPerLayer.values()) {
            sum += n;
        }
        return sum;
    }

    /** Resident entries over capacity, in [0, 1]; 0 when the capacity is unbounded. */
    public double utilization() {
        return capacityEntries == 0 ? 0.0 : Math.min(1.0, (double) totalEntries() / capacityEntries);
    }

    public double memoryMegabytes() {
        return memoryBytes / (1024.0 * 1024.0);
    }
}
