package dev.cmr.monitor.profile;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Flattens {@link ProfileResults} into the per-pass samples {@link ProfileComparator} compares: one key per metric,
 * each mapped to its samples in nanoseconds on the host clock, in pass order. Stateless; the map it returns is
 * mutable and owned by the caller, its arrays are copies.
 *
 * <p>Keys, per execution (block name {@code <block>}), in this order:
 * <ul>
 *   <li>{@code <block>/wall_ns}: the wall time of each pass;</li>
 *   <li>per layer {@code <n>}: {@code <block>/layer <n>/host_ns}, {@code self_host_ns}, {@code launch_ns},
 *       {@code sync_wait_ns} always; {@code device_ns} and {@code launch_delay_ns} only when they have samples
 *       (no device, or no enqueue timestamps, gives no key rather than an empty one);</li>
 *   <li>per stage: {@code <block>/layer <n>/<stage>/self_ns}, e.g. {@code forward/layer 3/capture/self_ns};</li>
 *   <li>per kernel, when it has samples: {@code <block>/layer <n>/kernel <name>/device_ns}.</li>
 * </ul>
 * A metric that a run lacks is then a key missing from its map, which the comparator reports as ADDED or REMOVED.
 */
public final class ProfileSamples {
    private ProfileSamples() {
    }

    /** The samples of every metric of {@code results}, keyed as the class comment says, in that order. */
    public static Map<String, long[]> of(ProfileResults results) {
        Map<String, long[]> samples = new LinkedHashMap<>();
        for (ExecutionProfile e : results.executions()) {
            String block = e.name() + "/";
            samples.put(block + "wall_ns", e.wallSamples().toArray());
            for (LayerProfile l : e.layers()) {
                String layer = block + "layer " + l.layer() + "/";
                LayerSamples s = l.samples();
                samples.put(layer + "host_ns", s.hostNanos().toArray());
                samples.put(layer + "self_host_ns", s.selfHostNanos().toArray());
                samples.put(layer + "launch_ns", s.launchNanos().toArray());
                samples.put(layer + "sync_wait_ns", s.syncWaitNanos().toArray());
                putIfAny(samples, layer + "device_ns", s.deviceNanos());
                putIfAny(samples, layer + "launch_delay_ns", s.launchDelayNanos());
            }
            for (StageProfile s : e.stages()) {
                samples.put(block + "layer " + s.layer() + "/" + s.stage().key() + "/self_ns", s.samples().toArray());
            }
            for (KernelProfile k : e.kernels()) {
                putIfAny(samples, block + "layer " + k.layer() + "/kernel " + k.kernel() + "/device_ns", k.samples());
            }
        }
        return samples;
    }

    private static void putIfAny(Map<String, long[]> samples, String key, Samples values) {
        if (values.size() > 0) {
            samples.put(key, values.toArray());
        }
    }
}
