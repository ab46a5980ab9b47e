package dev.cmr.monitor;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.cmr.monitor.device.DeviceStats;
import dev.cmr.monitor.engine.ErrorCounter;
import dev.cmr.monitor.engine.StatsParts;
import dev.cmr.monitor.record.Recording;
import dev.cmr.monitor.record.RejectReason;
import dev.cmr.monitor.record.SlotLayout;
import dev.cmr.monitor.record.Stage;
import dev.cmr.monitor.resources.ResourcePoller;
import dev.cmr.monitor.spi.BufferReading;
import dev.cmr.monitor.store.CumulativeSnapshot;
import dev.cmr.monitor.store.LatencySummary;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An immutable snapshot of everything recorded since the monitor started or was last reset. Records hold
 * nanoseconds; {@link #toMap()} and {@link #toJson()} use the seed's snake_case keys and seconds.
 *
 * <p>Ratios are {@code null} when there is nothing to divide by (no retrievals, no buffer gauge...), never a
 * made-up zero.
 *
 * <p>Consistency: every ratio is computed from the counts this snapshot publishes, read once. The aggregator reads
 * each thread's slot at one of its record boundaries, so a ratio of two fields of one slot
 * ({@code capture_efficiency} = states stored / captured, {@code cache_hit_rate} = cache hits / retrievals,
 * {@code reconstruction_quality} and {@code retrieval_quality} = quality sum / samples) is exactly what whole
 * records add up to, and lies in [0, 1] because each record's does. {@code storage_efficiency} and
 * {@code eviction_rate} relate two record calls (evictions and captures), read from different slots and so at
 * different instants, and evictions may remove entries stored before a reset: they are clamped to [0, 1].
 */
public record MonitorStats(
        long timestampEpochMillis,
        double secondsSinceReset,
        Map<Stage, StageStats> timing,
        long totalForwards,
        long totalForwardNanos,
        long totalCaptures,
        long totalReconstructions,
        Map<Integer, Long> statesCapturedPerLayer,
        Map<Integer, Long> statesStoredPerLayer,
        Map<Integer, Long> reconstructionsPerLayer,
        Efficiency efficiency,
        BufferStats buffer,
        RetrievalStats retrieval,
        Map<String, Long> rejectedRecords,
        long totalErrors,
        Map<String, Map<String, Long>> errorsByComponent,
        DeviceStats device,
        Map<String, Double> resources,
        List<ResourcePoller.Status> resourceSamplers,
        Map<String, ErrorCounter.LastError> lastErrors) {

    /** Ratios in [0, 1]; see the README's definitions. */
    public record Efficiency(Double captureEfficiency, Double storageEfficiency, Double reconstructionQuality,
                             Double memoryUtilization, Double cacheHitRate) {
    }

    /** Buffer gauge reading (null fields without a gauge) plus evictions from the record path. */
    public record BufferStats(Long totalEntries, Map<Integer, Long> entriesPerLayer, Double memorySizeMb,
                              Double utilizationRate, long evictionCount, Double evictionRate) {
    }

    /**
     * Retrievals. {@code retrievalQuality}: the mean, over retrievals recorded with a quality, of the mean similarity
     * of the returned memories to the query, in [0, 1] (the reference model reports {@code (1 + cosine) / 2});
     * null when no retrieval came with one.
     */
    public record RetrievalStats(long totalRetrievals, Double avgRetrievalSeconds, long cacheHits, Double cacheHitRate,
                                 long candidates, long returned, Double retrievalQuality) {
    }

    /** The timed stages, in the order stats list them: {@link Stage#timedStages()}. */
    public static final List<Stage> TIMED = Stage.timedStages();

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** Built from what the snapshot service took under its lock. */
    static MonitorStats of(StatsParts p) {
        CumulativeSnapshot s = p.snapshot();
        BufferReading reading = p.buffer();
        SlotLayout layout = s.layout();
        Map<Stage, StageStats> timing = new EnumMap<>(Stage.class);
        for (Stage stage : TIMED) {
            Map<Integer, LatencySummary> perLayer = new TreeMap<>();
            if (stage != Stage.FORWARD) {
                for (int layer = 0; layer < layout.maxLayers(); layer++) {
                    LatencySummary l = s.latency(stage, layer);
                    if (l.count() > 0) {
                        perLayer.put(layer, l);
                    }
                }
            }
            timing.put(stage, new StageStats(s.latency(stage), perLayer, RecentWindow.of(stage, p.recent())));
        }

        long statesCaptured = s.total(Stage.CAPTURE, SlotLayout.CAPTURE_STATES_CAPTURED);
        long statesStored = s.total(Stage.CAPTURE, SlotLayout.CAPTURE_STATES_STORED);
        long evictions = s.total(Stage.EVICTION, SlotLayout.EVICTION_ENTRIES);
        long retrievals = s.total(Stage.RETRIEVAL, SlotLayout.COUNT);
        long cacheHits = s.total(Stage.RETRIEVAL, SlotLayout.RETRIEVAL_CACHE_HITS);
        long qualitySum = s.total(Stage.RECONSTRUCTION, SlotLayout.RECONSTRUCTION_QUALITY_SUM_MILLIONTHS);
        long qualitySamples = s.total(Stage.RECONSTRUCTION, SlotLayout.RECONSTRUCTION_QUALITY_SAMPLES);
        long retrievalQualitySum = s.total(Stage.RETRIEVAL, SlotLayout.RETRIEVAL_QUALITY_SUM_MILLIONTHS);
        long retrievalQualitySamples = s.total(Stage.RETRIEVAL, SlotLayout.RETRIEVAL_QUALITY_SAMPLES);
        Double cacheHitRate = ratio(cacheHits, retrievals);

        Efficiency efficiency = new Efficiency(
                ratio(statesStored, statesCaptured),
                statesStored == 0 ? null : clamp((double) (statesStored - evictions) / statesStored),
                qualitySamples == 0 ? null
                        : qualitySum / Recording.QUALITY_SCALE / qualitySamples,
                reading == null ? null : reading.utilization(),
                cacheHitRate);
        BufferStats buffer = new BufferStats(
                reading == null ? null : reading.totalEntries(),
                reading == null ? Map.of() : reading.entriesPerLayer(),
                reading == null ? null : reading.memoryMegabytes(),
                reading == null ? null : reading.utilization(),
                evictions,
                statesStored == 0 ? null : clamp((double) evictions / statesStored));
        LatencySummary retrieval = s.latency(Stage.RETRIEVAL);
        RetrievalStats retrievalStats = new RetrievalStats(retrievals,
                retrievals == 0 ? null : retrieval.meanNanos() / 1e9, cacheHits, cacheHitRate,
                s.total(Stage.RETRIEVAL, SlotLayout.RETRIEVAL_CANDIDATES),
                s.total(Stage.RETRIEVAL, SlotLayout.RETRIEVAL_RETURNED),
                retrievalQualitySamples == 0 ? null
                        : retrievalQualitySum / Recording.QUALITY_SCALE / retrievalQualitySamples);

        Map<String, Long> rejected = new LinkedHashMap<>();
        for (RejectReason reason : RejectReason.values()) {
            rejected.put(reason.key(), s.rejected(reason));
        }
        LatencySummary forward = s.latency(Stage.FORWARD);
        return new MonitorStats(p.nowEpochMillis(), p.secondsSinceReset(), timing, forward.count(), forward.totalNanos(),
                s.total(Stage.CAPTURE, SlotLayout.COUNT), s.total(Stage.RECONSTRUCTION, SlotLayout.COUNT),
                perLayer(s, Stage.CAPTURE, SlotLayout.CAPTURE_STATES_CAPTURED),
                perLayer(s, Stage.CAPTURE, SlotLayout.CAPTURE_STATES_STORED),
                perLayer(s, Stage.RECONSTRUCTION, SlotLayout.COUNT),
                efficiency, buffer, retrievalStats, rejected, p.totalErrors(), p.errorsByComponent(), p.device(),
                p.resources(), p.resourceSamplers(), p.lastErrors());
    }

    public MonitorStats {
        timing = java.util.Collections.unmodifiableMap(new EnumMap<>(timing));
        statesCapturedPerLayer = Map.copyOf(statesCapturedPerLayer);
        statesStoredPerLayer = Map.copyOf(statesStoredPerLayer);
        reconstructionsPerLayer = Map.copyOf(reconstructionsPerLayer);
        rejectedRecords = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(rejectedRecords));
        Map<String, Map<String, Long>> errors = new java.util.TreeMap<>();
        errorsByComponent.forEach((component, byType) -> errors.put(component, Map.copyOf(byType)));
        errorsByComponent = java.util.Collections.unmodifiableMap(errors);
        resources = java.util.Collections.unmodifiableMap(new TreeMap<>(resources));
        resourceSamplers = List.copyOf(resourceSamplers);
        lastErrors = java.util.Collections.unmodifiableMap(new TreeMap<>(lastErrors));
    }

    /** Layers with a non-zero counter, in layer order. */
    private static Map<Integer, Long> perLayer(CumulativeSnapshot s, Stage stage, int field) {
        Map<Integer, Long> out = new TreeMap<>();
        for (int layer = 0; layer < s.layout().maxLayers(); layer++) {
            long v = s.counter(stage, layer, field);
            if (v != 0) {
                out.put(layer, v);
            }
        }
        return out;
    }

    /** A ratio of counts from two slots into [0, 1] (see the class comment for why they can leave it). */
    private static double clamp(double ratio) {
        return Math.max(0.0, Math.min(1.0, ratio));
    }

    private static Double ratio(long numerator, long denominator) {
        return denominator == 0 ? null : (double) numerator / denominator;
    }

    public StageStats timing(Stage stage) {
        StageStats stats = timing.get(stage);
        if (stats == null) {
            throw new IllegalArgumentException("stage " + stage + " is not timed");
        }
        return stats;
    }

    public long totalRejected() {
        return rejectedRecords.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Mean capture time in seconds, as the seed reports it; null before the first capture. */
    public Double avgCaptureTime() {
        LatencySummary l = timing(Stage.CAPTURE).overall();
        return l.count() == 0 ? null : l.meanNanos() / 1e9;
    }

    /** Mean reconstruction time in seconds; null before the first reconstruction. */
    public Double avgReconstructionTime() {
        LatencySummary l = timing(Stage.RECONSTRUCTION).overall();
        return l.count() == 0 ? null : l.meanNanos() / 1e9;
    }

    /**
     * The seed's keys. Top level keeps the seed's flat fields ({@code total_captures}, {@code avg_capture_time}...,
     * the averages only once something was recorded, as in the seed) next to the groups {@code timing},
     * {@code counts}, {@code efficiency}, {@code buffer}, {@code retrieval}, {@code rejected_records},
     * {@code errors}, {@code device} (once a device timeline is attached), {@code resources} (the resource samplers' latest values, keyed {@code <source>.<gauge>}) and
     * {@code resource_samplers} (per source: polls, failures, last_error). Times are in seconds; per-layer maps are
     * keyed by Integer layer.
     */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("timestamp", timestampEpochMillis / 1e3);
        m.put("seconds_since_reset", secondsSinceReset);
        m.put("total_captures", totalCaptures);
        m.put("total_reconstructions", totalReconstructions);
        m.put("states_stored_per_layer", new TreeMap<>(statesStoredPerLayer));
        m.put("reconstructions_per_layer", new TreeMap<>(reconstructionsPerLayer));
        if (avgCaptureTime() != null) {
            m.put("avg_capture_time", avgCaptureTime());
        }
        if (avgReconstructionTime() != null) {
            m.put("avg_reconstruction_time", avgReconstructionTime());
        }

        Map<String, Object> t = new LinkedHashMap<>();
        timing.forEach((stage, stats) -> t.put(stage.key() + "_times", stats.toMap()));
        t.put("total_forward_time", totalForwardNanos / 1e9);
        t.put("total_forwards", totalForwards);
        m.put("timing", t);

        Map<String, Object> c = new LinkedHashMap<>();
        c.put("total_captures", totalCaptures);
        c.put("total_reconstructions", totalReconstructions);
        c.put("states_captured_per_layer", new TreeMap<>(statesCapturedPerLayer));
        c.put("states_stored_per_layer", new TreeMap<>(statesStoredPerLayer));
        c.put("reconstructions_per_layer", new TreeMap<>(reconstructionsPerLayer));
        m.put("counts", c);

        Map<String, Object> e = new LinkedHashMap<>();
        e.put("capture_efficiency", efficiency.captureEfficiency());
        e.put("storage_efficiency", efficiency.storageEfficiency());
        e.put("reconstruction_quality", efficiency.reconstructionQuality());
        e.put("memory_utilization", efficiency.memoryUtilization());
        e.put("cache_hit_rate", efficiency.cacheHitRate());
        m.put("efficiency", e);

        Map<String, Object> b = new LinkedHashMap<>();
        b.put("total_entries", buffer.totalEntries());
        b.put("entries_per_layer", new TreeMap<>(buffer.entriesPerLayer()));
        b.put("memory_size_mb", buffer.memorySizeMb());
        b.put("utilization_rate", buffer.utilizationRate());
        b.put("eviction_count", buffer.evictionCount());
        b.put("eviction_rate", buffer.evictionRate());
        m.put("buffer", b);

        Map<String, Object> r = new LinkedHashMap<>();
        r.put("total_retrievals", retrieval.totalRetrievals());
        r.put("avg_retrieval_time", retrieval.avgRetrievalSeconds());
        r.put("cache_hits", retrieval.cacheHits());
        r.put("cache_hit_rate", retrieval.cacheHitRate());
        r.put("candidates", retrieval.candidates());
        r.put("returned", retrieval.returned());
        r.put("retrieval_quality", retrieval.retrievalQuality());
        m.put("retrieval", r);

        m.put("rejected_records", new LinkedHashMap<>(rejectedRecords));
        m.put("errors", ErrorCounter.toMap(totalErrors, errorsByComponent));
        if (device != null) {
            m.put("device", device.toMap());
        }
        m.put("resources", new TreeMap<>(resources));
        Map<String, Object> samplers = new LinkedHashMap<>();
        for (ResourcePoller.Status status : resourceSamplers) {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("polls", status.polls());
            one.put("failures", status.failures());
            one.put("last_error", status.lastError());
            samplers.put(status.source(), one);
        }
        m.put("resource_samplers", samplers);
        return m;
    }

    /** {@link #toMap()} as indented JSON, written by Jackson. */
    public String toJson() {
        try {
            return JSON.writeValueAsString(toMap());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stats could not be serialized", e);
        }
    }
}
