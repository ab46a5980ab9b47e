package dev.cmr.monitor.profile;

import dev.cmr.monitor.record.Stage;
import java.util.List;

/**
 * One pass's wall time split four ways, in nanoseconds; the parts add up exactly to {@code wallNanos}. See
 * {@link #of(PassTrace)} for the definitions.
 */
public record PassPartition(long wallNanos, long hostOnlyNanos, long deviceOnlyNanos, long overlapNanos,
                            long idleNanos) {
    public PassPartition {
        if (hostOnlyNanos < 0 || deviceOnlyNanos < 0 || overlapNanos < 0 || idleNanos < 0
                || hostOnlyNanos + deviceOnlyNanos + overlapNanos + idleNanos != wallNanos) {
            throw new IllegalArgumentException("the parts must be >= 0 and add up to the wall time, were "
                    + hostOnlyNanos + " + " + deviceOnlyNanos + " + " + overlapNanos + " + " + idleNanos + " != "
                    + wallNanos);
        }
    }

    /**
     * Splits the pass window [startNanos, endNanos) by two sets, each clipped to the window:
     * <ul>
     *   <li>host work H: the union of the layer spans (stage spans lie inside them) minus the union of the sync
     *       waits. Host time outside every layer span (embedding, the head, between layers) is not layer work and is
     *       not in H;</li>
     *   <li>device work D: the union of the device spans of every queue.</li>
     * </ul>
     * {@code host_only} = |H \ D| (the host works, the device idles), {@code device_only} = |D \ H| (the device works
     * while the host idles or waits in a sync), {@code overlap} = |H ∩ D|, {@code idle} = the rest of the window.
     */
    public static PassPartition of(PassTrace pass) {
        long from = pass.startNanos();
        long to = pass.endNanos();
        IntervalSet host = IntervalSet.union(layerSpans(pass), HostSpan::startNanos, HostSpan::endNanos)
                .minus(IntervalSet.union(pass.syncWaits(), SyncWaitSpan::startNanos, SyncWaitSpan::endNanos))
                .clip(from, to);
        IntervalSet device = IntervalSet.union(pass.deviceSpans(), DeviceSpan::startNanos, DeviceSpan::endNanos)
                .clip(from, to);
        long overlap = host.intersect(device).length();
        long hostOnly = host.length() - overlap;
        long deviceOnly = device.length() - overlap;
        long wall = to - from;
        return new PassPartition(wall, hostOnly, deviceOnly, overlap, wall - hostOnly - deviceOnly - overlap);
    }

    private static List<HostSpan> layerSpans(PassTrace pass) {
        return pass.hostSpans().stream().filter(s -> s.stage() == Stage.LAYER).toList();
    }
}
