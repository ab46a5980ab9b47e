package dev.cmr.serve;

import dev.cmr.model.ByteTokenizer;
import dev.cmr.model.FullCmrModel;
import dev.cmr.monitor.CmrPerformanceMonitor;
import dev.cmr.monitor.spi.BufferGauge;
import dev.cmr.monitor.spi.BufferReading;
import dev.cmr.monitor.spi.MemoryInspection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The service's model replicas, one per worker, all attached to one monitor: each records its passes from its
 * worker's thread (the record path keeps threads apart), and the monitor's buffer gauge is the sum of the replicas'
 * buffers ({@link #read()}: entries per layer, bytes and capacity added up; the capacity is unbounded if any
 * replica's is). Diagnostics' detailed inspection is the replica's own with one replica, none with several. Created
 * and closed on one thread; the gauge is read from the monitor's threads and is as thread-safe as each buffer's.
 */
public final class Replicas implements BufferGauge, AutoCloseable {
    private final List<FullCmrModel> models;
    private final CmrPerformanceMonitor monitor;

    private Replicas(List<FullCmrModel> models, CmrPerformanceMonitor monitor) {
        this.models = List.copyOf(models);
        this.monitor = monitor;
    }

    /** Attaches every model to {@code monitor} and installs the summed buffer gauge. */
    public static Replicas attach(List<FullCmrModel> models, CmrPerformanceMonitor monitor) {
        if (models.isEmpty()) {
            throw new IllegalArgumentException("at least one model replica is needed");
        }
        Replicas replicas = new Replicas(models, monitor);
        models.forEach(m -> m.attach(monitor));
        monitor.setBufferGauge(replicas); // each attach installed its own buffer: the sum replaces them
        return replicas;
    }

    /** One generator per replica, stopping at the end-of-text token. */
    public List<Generator> generators() {
        List<Generator> out = new ArrayList<>();
        for (FullCmrModel m : models) {
            out.add((prompt, maxNewTokens, sampler) ->
                    m.generate(prompt, maxNewTokens, sampler, ByteTokenizer.END_OF_TEXT));
        }
        return out;
    }

    @Override
    public BufferReading read() {
        Map<Integer, Long> perLayer = new TreeMap<>();
        long bytes = 0;
        long capacity = 0;
        boolean unbounded = false;
        for (FullCmrModel m : models) {
            BufferReading r = m.buffer().read();
            r.entriesPerLayer().forEach((layer, n) -> perLayer.merge(layer, n, Long::sum));
            bytes += r.memoryBytes();
            unbounded |= r.capacityEntries() == 0;
            capacity += r.capacityEntries();
        }
        return new BufferReading(perLayer, bytes, unbounded ? 0 : capacity);
    }

    @Override
    public MemoryInspection inspect(long staleAfterNanos) {
        return models.size() == 1 ? models.get(0).buffer().inspect(staleAfterNanos) : null;
    }

    /** Detaches and closes every replica; call after the workers stopped. */
    @Override
    public void close() {
        monitor.setBufferGauge(null);
        models.forEach(FullCmrModel::close);
    }
}
