package dev.cmr.monitor.engine;

import dev.cmr.monitor.device.KernelMarkTag;
import dev.cmr.monitor.device.LayerMarkTag;
import dev.cmr.monitor.profile.DeviceSpan;
import dev.cmr.monitor.profile.PassTrace;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a profiling session's resolved device marks into {@link DeviceSpan}s and gives each pass the spans that
 * started in its window. All times are System.nanoTime nanoseconds, as the timeline mapped them.
 *
 * <p>Pairing, per (pass, layer) ({@link LayerMarkTag}; {@link KernelMarkTag} marks match on the pass's low 32 bits):
 * <ul>
 *   <li>a whole-layer span (kernel null) from the start and end marks: [start's device time, end's device time],
 *       enqueue end = the start mark's queued time (the host had enqueued everything before the layer by then);</li>
 *   <li>a kernel span per kernel mark whose previous mark in the layer (the start mark for ordinal 0, else the
 *       kernel mark of the ordinal before) resolved: [previous mark's device time, this mark's device time], named
 *       by the mark's kernel id, enqueue end = the previous mark's queued time (the kernel was enqueued after it);
 *       a gap in the ordinals (a dropped mark) gives no span for the mark after the gap, since it would cover two
 *       kernels;</li>
 *   <li>a span whose end precedes its start (the clock mapping stepped back) is left out; so are a second start
 *       mark of the same pass and layer, and marks without their partner.</li>
 * </ul>
 * Each span is placed at its start mark's queued time (the previous mark's, for a kernel span); a pass receives the
 * spans placed inside [startNanos, endNanos]. Marks carry no thread, so a span placed while two blocks were open
 * (nested blocks, or blocks on two threads) goes to both. The pass's {@code clockErrorBoundNanos} becomes the largest
 * bound of the batches its marks came in.
 *
 * <p>Stateless; a {@link Spans} result is immutable and may be shared.
 */
final class DeviceSpanJoin {
    /** A span, where it is placed, and the clock error bound of its marks. */
    record Placed(long placedAtNanos, DeviceSpan span, long errorBoundNanos) {
    }

    /** The spans of a session's marks, ordered by where they are placed. */
    static final class Spans {
        private final List<Placed> placed;

        private Spans(List<Placed> placed) {
            this.placed = placed;
        }

        List<Placed> all() {
            return placed;
        }

        /**
         * {@code pass} with the spans placed in its window appended to its device spans, or {@code pass} itself when
         * none are.
         */
        PassTrace into(PassTrace pass) {
            int from = firstAtOrAfter(pass.startNanos());
            List<DeviceSpan> device = new ArrayList<>(pass.deviceSpans());
            long bound = pass.clockErrorBoundNanos();
            for (int i = from; i < placed.size() && placed.get(i).placedAtNanos() <= pass.endNanos(); i++) {
                device.add(placed.get(i).span());
                bound = Math.max(bound, placed.get(i).errorBoundNanos());
            }
            if (device.size() == pass.deviceSpans().size()) {
                return pass;
            }
            return new PassTrace(pass.startNanos(), pass.endNanos(), pass.hostSpans(), pass.syncWaits(), device, bound,
                    pass.deviceDurations());
        }

        private int firstAtOrAfter(long nanos) {
            int lo = 0;
            int hi = placed.size();
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (placed.get(mid).placedAtNanos() < nanos) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            return lo;
        }
    }

    /** The queue every span is put on: marks do not say which queue they were enqueued on. */
    static final int QUEUE = 0;

    private record Mark(long tag, long deviceNanos, long queuedNanos, long errorBoundNanos) {
    }

    private static final class Layer {
        Mark start;
        Mark end;
        final List<Mark> kernels = new ArrayList<>();
    }

    private DeviceSpanJoin() {
    }

    /** Pairs every mark of {@code log}. */
    static Spans pair(DeviceMarkLog log) {
        Map<Long, Layer> layers = new HashMap<>();
        log.forEach((tag, device, queued, bound) -> {
            Mark mark = new Mark(tag, device, queued, bound);
            if (KernelMarkTag.isKernel(tag)) {
                layer(layers, KernelMarkTag.passLow32(tag), KernelMarkTag.layer(tag)).kernels.add(mark);
                return;
            }
            Layer l = layer(layers, LayerMarkTag.pass(tag) & 0xFFFF_FFFFL, LayerMarkTag.layer(tag));
            if (LayerMarkTag.isEnd(tag)) {
                if (l.end == null) {
                    l.end = mark;
                }
            } else if (l.start == null) {
                l.start = mark;
            }
        });
        List<Placed> placed = new ArrayList<>();
        layers.forEach((key, l) -> spans(key, l, placed));
        placed.sort(Comparator.comparingLong(Placed::placedAtNanos));
        return new Spans(List.copyOf(placed));
    }

    private static Layer layer(Map<Long, Layer> layers, long passLow32, int layer) {
        return layers.computeIfAbsent((passLow32 << 20) | layer, k -> new Layer());
    }

    private static void spans(long key, Layer l, List<Placed> out) {
        int layer = (int) (key & ((1 << 20) - 1));
        if (l.start != null && l.end != null && l.end.deviceNanos() >= l.start.deviceNanos()) {
            out.add(new Placed(l.start.queuedNanos(), new DeviceSpan(QUEUE, layer, null, l.start.queuedNanos(),
                    l.start.deviceNanos(), l.end.deviceNanos()),
                    Math.max(l.start.errorBoundNanos(), l.end.errorBoundNanos())));
        }
        l.kernels.sort(Comparator.comparingInt(m -> KernelMarkTag.ordinal(m.tag())));
        Mark previous = l.start;
        int previousOrdinal = -1;
        for (Mark k : l.kernels) {
            int ordinal = KernelMarkTag.ordinal(k.tag());
            if (ordinal == previousOrdinal) {
                continue; // a duplicate (pass numbers 2^32 apart): keep the first
            }
            if (previous != null && ordinal == previousOrdinal + 1 && k.deviceNanos() >= previous.deviceNanos()) {
                out.add(new Placed(previous.queuedNanos(), new DeviceSpan(QUEUE, layer, name(k.tag()),
                        previous.queuedNanos(), previous.deviceNanos(), k.deviceNanos()),
                        Math.max(previous.errorBoundNanos(), k.errorBoundNanos())));
            }
            previous = k;
            previousOrdinal = ordinal;
        }
    }

    private static String name(long tag) {
        int id = KernelMarkTag.kernelId(tag);
        String name = KernelMarkTag.kernelName(id);
        return name != null ? name : "kernel " + id;
    }
}
