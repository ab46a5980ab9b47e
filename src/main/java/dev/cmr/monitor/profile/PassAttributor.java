package dev.cmr.monitor.profile;

import dev.cmr.monitor.profile.PassAttribution.Kernel;
import dev.cmr.monitor.profile.PassAttribution.KernelKey;
import dev.cmr.monitor.profile.PassAttribution.Layer;
import dev.cmr.monitor.profile.PassAttribution.StageKey;
import dev.cmr.monitor.record.Stage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Attributes one pass's time to its layers, stages and kernels (nanoseconds, host clock). Per layer, summed over the
 * layer's spans in the pass:
 * <ul>
 *   <li>{@code host_ns}: layer span end minus start;</li>
 *   <li>{@code self_host_ns}: host_ns minus the time of other layer spans nested in it on the same thread (layers
 *       normally do not nest, and then it equals host_ns). CMR stage spans are <em>not</em> subtracted: a stage is
 *       the layer's own host work, and sync waits (a capture's device-to-host read) happen inside stages, so
 *       subtracting stages would subtract those waits twice;</li>
 *   <li>{@code sync_wait_ns}: the sum of the layer's sync-wait spans;</li>
 *   <li>{@code launch_ns} = max(0, self_host_ns − sync_wait_ns): Java work plus launch and enqueue calls. It is
 *       clamped only when the sync waits exceed the self time (waits outside the layer span, or overlapping waits),
 *       and the clamp is flagged so the profile can count it;</li>
 *   <li>{@code device_ns}: the union length of the layer's whole-layer device spans if it has any, else of its
 *       kernel spans; 0 for a layer without device spans in a pass that has some. A pass without device spans but
 *       with device durations ({@link PassTrace#deviceDurations()}) takes each layer's duration (0 for a layer
 *       without one) and has no timeline parts (partition, busy time, gaps); a pass with neither has null;</li>
 *   <li>{@code launch_delay_ns}: max(0, start − enqueue end) of the layer's first device span (earliest start); null
 *       without device spans or when that span's enqueue time is unknown;</li>
 *   <li>stage self time: a stage span's length minus the stage spans nested in it on the same thread
 *       ({@link SelfTimes}), summed per (layer, stage); sync waits inside a stage stay in its time;</li>
 *   <li>per kernel name in a layer: the number of spans and the sum of their lengths;</li>
 *   <li>{@code allocated_bytes}: the sum of {@link HostSpan#allocatedBytes()} over the layer's layer spans (which
 *       include what its stages allocated), and per (layer, stage) over that stage's spans; null when none of those
 *       spans carried the number.</li>
 * </ul>
 * A {@link PassDurations} pass gives these directly: self host is its host time (durations carry no nesting) and
 * stage times are taken as self times. The partition is {@link PassPartition#of}, the gaps {@link GapClassifier}.
 * Immutable and thread-safe.
 */
final class PassAttributor {
    private final GapClassifier gaps;

    PassAttributor(GapClassifier gaps) {
        this.gaps = gaps;
    }

    PassAttribution attribute(ProfiledPass pass) {
        if (pass instanceof PassTrace trace) {
            return attribute(trace);
        }
        return attribute((PassDurations) pass);
    }

    private PassAttribution attribute(PassTrace pass) {
        List<HostSpan> layerSpans = new ArrayList<>();
        List<HostSpan> stageSpans = new ArrayList<>();
        for (HostSpan s : pass.hostSpans()) {
            (s.stage() == Stage.LAYER ? layerSpans : stageSpans).add(s);
        }
        TreeSet<Integer> layerIds = new TreeSet<>();
        Map<Integer, long[]> hostAndSelf = new TreeMap<>();
        Map<Integer, Long> layerBytes = new TreeMap<>();
        long[] layerSelf = SelfTimes.of(layerSpans);
        for (int i = 0; i < layerSpans.size(); i++) {
            HostSpan span = layerSpans.get(i);
            long[] sums = hostAndSelf.computeIfAbsent(span.layer(), l -> new long[2]);
            sums[0] += span.lengthNanos();
            sums[1] += layerSelf[i];
            if (span.allocatedBytes() != null) {
                layerBytes.merge(span.layer(), span.allocatedBytes(), Long::sum);
            }
        }
        layerIds.addAll(hostAndSelf.keySet());
        Map<Integer, Long> syncWait = new TreeMap<>();
        for (SyncWaitSpan w : pass.syncWaits()) {
            syncWait.merge(w.layer(), w.lengthNanos(), Long::sum);
        }
        layerIds.addAll(syncWait.keySet());
        SortedMap<StageKey, Long> stages = new TreeMap<>();
        SortedMap<StageKey, Long> stageBytes = new TreeMap<>();
        long[] stageSelf = SelfTimes.of(stageSpans);
        for (int i = 0; i < stageSpans.size(); i++) {
            HostSpan span = stageSpans.get(i);
            StageKey key = new StageKey(span.layer(), span.stage());
            stages.merge(key, stageSelf[i], Long::sum);
            if (span.allocatedBytes() != null) {
                stageBytes.merge(key, span.allocatedBytes(), Long::sum);
            }
            layerIds.add(span.layer());
        }
        Map<Integer, List<DeviceSpan>> deviceByLayer = new TreeMap<>();
        SortedMap<KernelKey, Kernel> kernels = new TreeMap<>();
        for (DeviceSpan d : pass.deviceSpans()) {
            deviceByLayer.computeIfAbsent(d.layer(), l -> new ArrayList<>()).add(d);
            if (!d.wholeLayer()) {
                kernels.merge(new KernelKey(d.layer(), d.kernel()), new Kernel(1, d.lengthNanos()),
                        (a, b) -> new Kernel(a.count() + b.count(), a.deviceNanos() + b.deviceNanos()));
            }
        }
        layerIds.addAll(deviceByLayer.keySet());
        boolean hasDevice = !pass.deviceSpans().isEmpty();
        // Device durations without timestamps: device numbers per layer, but no device timeline.
        boolean durationsOnly = !hasDevice && !pass.deviceDurations().isEmpty();
        if (durationsOnly) {
            layerIds.addAll(pass.deviceDurations().keySet());
        }

        SortedMap<Integer, Layer> layers = new TreeMap<>();
        for (int layer : layerIds) {
            long[] sums = hostAndSelf.getOrDefault(layer, new long[2]);
            List<DeviceSpan> device = deviceByLayer.getOrDefault(layer, List.of());
            Long deviceNanos = hasDevice ? Long.valueOf(deviceNanos(device))
                    : durationsOnly ? pass.deviceDurations().getOrDefault(layer, 0L) : null;
            layers.put(layer, layer(sums[0], sums[1], syncWait.getOrDefault(layer, 0L), deviceNanos,
                    launchDelay(device), layerBytes.get(layer)));
        }
        Long deviceTotal = hasDevice
                ? Long.valueOf(IntervalSet.union(pass.deviceSpans(), DeviceSpan::startNanos, DeviceSpan::endNanos)
                        .length())
                : durationsOnly ? pass.deviceDurations().values().stream().mapToLong(Long::longValue).sum() : null;
        PassPartition partition = durationsOnly ? null : PassPartition.of(pass);
        return new PassAttribution(pass.wallNanos(), layers, stages, stageBytes, kernels,
                totals(layers, deviceTotal), partition,
                hasDevice ? gaps.gaps(pass.deviceSpans()) : List.of(),
                hasDevice ? partition.deviceOnlyNanos() + partition.overlapNanos() : null,
                hasDevice ? pass.clockErrorBoundNanos() : null);
    }

    private PassAttribution attribute(PassDurations pass) {
        SortedMap<Integer, Layer> layers = new TreeMap<>();
        SortedMap<StageKey, Long> stages = new TreeMap<>();
        Long deviceTotal = null;
        for (Map.Entry<Integer, LayerDurations> e : pass.layers().entrySet()) {
            LayerDurations d = e.getValue();
            layers.put(e.getKey(), layer(d.hostNanos(), d.hostNanos(), d.syncWaitNanos(), d.deviceNanos(), null,
                    null));
            d.stageNanos().forEach((stage, nanos) -> stages.put(new StageKey(e.getKey(), stage), nanos));
            if (d.deviceNanos() != null) {
                deviceTotal = (deviceTotal == null ? 0 : deviceTotal) + d.deviceNanos();
            }
        }
        return new PassAttribution(pass.wallNanos(), layers, stages, new TreeMap<>(), new TreeMap<>(),
                totals(layers, deviceTotal), null, List.of(), null, null);
    }

    private static Layer layer(long host, long selfHost, long syncWait, Long device, Long launchDelay,
                               Long allocatedBytes) {
        long launch = selfHost - syncWait;
        return new Layer(host, selfHost, syncWait, Math.max(0, launch), launch < 0, device, launchDelay,
                allocatedBytes);
    }

    private static Layer totals(SortedMap<Integer, Layer> layers, Long deviceTotal) {
        long host = 0;
        long self = 0;
        long sync = 0;
        long launch = 0;
        boolean clamped = false;
        Long bytes = null;
        for (Layer l : layers.values()) {
            host += l.hostNanos();
            self += l.selfHostNanos();
            sync += l.syncWaitNanos();
            launch += l.launchNanos();
            clamped |= l.launchClamped();
            if (l.allocatedBytes() != null) {
                bytes = (bytes == null ? 0 : bytes) + l.allocatedBytes();
            }
        }
        return new Layer(host, self, sync, launch, clamped, deviceTotal, null, bytes);
    }

    private static long deviceNanos(List<DeviceSpan> spans) {
        List<DeviceSpan> whole = spans.stream().filter(DeviceSpan::wholeLayer).toList();
        return IntervalSet.union(whole.isEmpty() ? spans : whole, DeviceSpan::startNanos, DeviceSpan::endNanos)
                .length();
    }

    private static Long launchDelay(List<DeviceSpan> spans) {
        return spans.stream()
                .min(Comparator.comparingLong(DeviceSpan::startNanos))
                .filter(DeviceSpan::enqueueKnown)
                .map(first -> Math.max(0, first.startNanos() - first.enqueueEndNanos()))
                .orElse(null);
    }
}
