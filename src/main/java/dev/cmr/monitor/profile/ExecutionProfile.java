package dev.cmr.monitor.profile;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The profile of every block of one name: how many passes, the backend, the mean wall time per pass
 * ({@code wallNanos}, nanoseconds) and its per-pass samples, the pass verdict ({@link VerdictRule} on the mean pass
 * totals, see {@link PassAttribution}) with its reason, and:
 * <ul>
 *   <li>{@code deviceBusyRatio}: |union of device spans within each pass| summed over the timestamped passes that
 *       had device spans, divided by their summed wall time; null when no pass had device spans (it never stands in
 *       for NVML utilization, which counts any resident kernel as busy);</li>
 *   <li>{@code clockErrorBoundNanos}: the largest device-to-host clock error bound of those passes, else null;</li>
 *   <li>{@code partition}: {@link MeanPartition}, null when no pass had timestamps;</li>
 *   <li>{@code gaps}: {@link IdleGaps}, null when no pass had device spans;</li>
 *   <li>{@code layers}, {@code stages}, {@code kernels}: ordered by layer, then stage or kernel name;</li>
 *   <li>{@code resources}: gauge name to samples, by name; {@code droppedSpans}: spans lost to full buffers;</li>
 *   <li>{@code representativePass}: the pass with timestamps whose wall time is the median of those passes (the
 *       lower median when their number is even; equal wall times keep pass order), kept whole for the
 *       timeline views of the report (bottlenecks.html, trace.json); null when no pass had timestamps.</li>
 * </ul>
 * Immutable.
 */
public record ExecutionProfile(String name, int passes, Backend backend, double wallNanos, Samples wallSamples,
                               Verdict verdict, String reason, Double deviceBusyRatio, Long clockErrorBoundNanos,
                               MeanPartition partition, IdleGaps gaps, List<LayerProfile> layers,
                               List<StageProfile> stages, List<KernelProfile> kernels,
                               Map<String, List<ResourcePoint>> resources, long droppedSpans,
                               PassTrace representativePass) {
    public ExecutionProfile {
        layers = List.copyOf(layers);
        stages = List.copyOf(stages);
        kernels = List.copyOf(kernels);
        Map<String, List<ResourcePoint>> copy = new TreeMap<>();
        resources.forEach((gauge, points) -> copy.put(gauge, List.copyOf(points)));
        resources = Collections.unmodifiableMap(copy);
    }

    /**
     * NVML's GPU utilization over the execution's window, as a ratio 0..1: the mean of every
     * {@code <source>.gpu_utilization_percent} sample it carries, over 100; null without one. Shown beside
     * {@link #deviceBusyRatio}, never instead of it: NVML counts a sample period as busy when any kernel ran in it.
     */
    public Double nvmlUtilization() {
        double sum = 0;
        int n = 0;
        for (Map.Entry<String, List<ResourcePoint>> gauge : resources.entrySet()) {
            if (gauge.getKey().endsWith("." + CounterGauges.GPU_UTILIZATION_PERCENT)) {
                for (ResourcePoint p : gauge.getValue()) {
                    sum += p.value();
                    n++;
                }
            }
        }
        return n == 0 ? null : sum / n / 100;
    }

    /** The profile of {@code layer}, or null if the execution has none. */
    public LayerProfile layer(int layer) {
        return layers.stream().filter(l -> l.layer() == layer).findFirst().orElse(null);
    }
}
