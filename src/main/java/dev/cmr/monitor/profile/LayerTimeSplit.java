package dev.cmr.monitor.profile;

import dev.cmr.monitor.record.Stage;
import java.util.ArrayList;
import java.util.List;

/**
 * One layer's time split into the four parts of the report's stacked bar, in nanoseconds. From the representative
 * pass, when it has a host span of the layer ({@code fromPass}), with H the union of the layer's host spans (the
 * layer and the CMR stages inside it), S the union of its sync waits, W = H \ S its host work, and D the union of its
 * device spans (its whole-layer spans where it has any, else its kernel spans):
 * <ul>
 *   <li>{@code launch} = |W \ D|: host work (launch and enqueue calls, Java work, stages) while the device does not
 *       run the layer;</li>
 *   <li>{@code overlap} = |W ∩ D|: host work while the device runs the layer;</li>
 *   <li>{@code syncWait} = |S|: the host blocked on the device, whether or not the device ran the layer meanwhile;</li>
 *   <li>{@code deviceOnly} = |D \ (H ∪ S)|: the device running the layer while its host was neither working on it
 *       nor waiting for it (the host had moved on).</li>
 * </ul>
 * The four are disjoint and add up to |H ∪ S ∪ D|. Without such a pass the split uses the layer's means per pass
 * ({@link LayerProfile}): launch = host − sync wait, syncWait = sync wait, deviceOnly = device time (0 without a
 * device), overlap = 0, since which device time overlapped host work is unknown without timestamps.
 */
record LayerTimeSplit(double launch, double overlap, double syncWait, double deviceOnly, boolean fromPass) {
    static LayerTimeSplit of(LayerProfile layer, PassTrace pass) {
        List<HostSpan> host = pass == null ? List.of()
                : pass.hostSpans().stream().filter(h -> h.layer() == layer.layer()).toList();
        if (host.stream().noneMatch(h -> h.stage() == Stage.LAYER)) {
            double device = layer.deviceNanos() == null ? 0 : layer.deviceNanos();
            return new LayerTimeSplit(Math.max(0, layer.hostNanos() - layer.syncWaitNanos()), 0,
                    layer.syncWaitNanos(), device, false);
        }
        IntervalSet h = IntervalSet.union(host, HostSpan::startNanos, HostSpan::endNanos);
        IntervalSet s = IntervalSet.union(pass.syncWaits().stream().filter(w -> w.layer() == layer.layer()).toList(),
                SyncWaitSpan::startNanos, SyncWaitSpan::endNanos);
        List<DeviceSpan> spans = pass.deviceSpans().stream().filter(d -> d.layer() == layer.layer()).toList();
        boolean whole = spans.stream().anyMatch(DeviceSpan::wholeLayer);
        IntervalSet d = IntervalSet.union(spans.stream().filter(x -> x.wholeLayer() == whole).toList(),
                DeviceSpan::startNanos, DeviceSpan::endNanos);
        IntervalSet work = h.minus(s);
        List<long[]> hostOrWait = new ArrayList<>(h.intervals());
        hostOrWait.addAll(s.intervals());
        IntervalSet busyHost = IntervalSet.union(hostOrWait, p -> p[0], p -> p[1]);
        return new LayerTimeSplit(work.minus(d).length(), work.intersect(d).length(), s.length(),
                d.minus(busyHost).length(), true);
    }

    double total() {
        return launch + overlap + syncWait + deviceOnly;
    }
}
