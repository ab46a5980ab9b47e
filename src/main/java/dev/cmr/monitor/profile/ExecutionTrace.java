package dev.cmr.monitor.profile;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one profiled block (or every block of one name) captured: its name, the backend it ran on, its passes (either
 * form, see {@link ProfiledPass}), how many spans were dropped because the span buffers were full, the resource
 * samples over its window (gauge name to {@code [time, value]} pairs as the samplers gave them; may be empty), and
 * whether NVML reported clock-event reasons other than idle in the window ({@code throttled}).
 *
 * <p>Immutable: the lists, the map and each pair are copied.
 *
 * @throws IllegalArgumentException on a blank name, negative {@code droppedSpans} or a sample that is not a pair
 */
public record ExecutionTrace(String name, Backend backend, List<ProfiledPass> passes, long droppedSpans,
                             Map<String, List<double[]>> resourceSamples, boolean throttled) {
    public ExecutionTrace {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("an execution needs a name");
        }
        if (backend == null) {
            throw new IllegalArgumentException("an execution needs a backend");
        }
        passes = List.copyOf(passes);
        Spans.checkNonNegative("droppedSpans", droppedSpans);
        Map<String, List<double[]>> samples = new TreeMap<>();
        for (Map.Entry<String, List<double[]>> gauge : resourceSamples.entrySet()) {
            List<double[]> pairs = new ArrayList<>();
            for (double[] pair : gauge.getValue()) {
                if (pair.length != 2) {
                    throw new IllegalArgumentException("resource sample of " + gauge.getKey()
                            + " must be a [time, value] pair, had " + pair.length + " values");
                }
                pairs.add(pair.clone());
            }
            samples.put(gauge.getKey(), List.copyOf(pairs));
        }
        resourceSamples = Collections.unmodifiableMap(samples);
    }

    /** The resource samples, copied, so that the trace stays immutable. */
    @Override
    public Map<String, List<double[]>> resourceSamples() {
        Map<String, List<double[]>> copy = new TreeMap<>();
        resourceSamples.forEach((gauge, pairs) -> copy.put(gauge, pairs.stream().map(double[]::clone).toList()));
        return copy;
    }
}
