package dev.cmr.monitor.profile;

import static dev.cmr.monitor.profile.Formats.duration;

import java.util.function.ToDoubleFunction;

/**
 * The one table of what a layer's verdict costs and what to do about it: per {@link Verdict}, the time its cause
 * costs per pass ({@link #costNanos}, nanoseconds, a mean per pass), the sentence that states that cost, and the
 * recommendation. {@link BottleneckReport} ranks layers by {@link #costNanos} and prints {@link #cause} followed by
 * {@link #recommendation}. Stateless.
 */
enum BottleneckAdvice {
    /**
     * The host sits blocked in device calls; the wait disappears only when the host stops asking for results
     * synchronously, or asks less (CMR's capture reads are the usual blocking reads).
     */
    SYNC_BOUND(LayerProfile::syncWaitNanos,
            "read asynchronously, or capture fewer layers / less often"),
    /**
     * The device is the longer track, so host-side tuning gains nothing; only less or faster device work shortens
     * the pass, and the per-kernel table says which kernels hold the time.
     */
    DEVICE_BOUND(l -> l.deviceNanos() == null ? 0 : l.deviceNanos(),
            "the kernels are the cost; look at the per-kernel table, fuse or shrink kernels, or use a faster device"),
    /**
     * Java work and launch calls outweigh the device work they feed: fewer launches, less Java work per layer, or
     * moving work to the device shortens the host track that the device waits on.
     */
    HOST_BOUND(LayerProfile::launchNanos,
            "batch launches, move work to the device, or reduce per-layer Java work"),
    /**
     * Throttled clocks make every other number unrepresentative, so optimizing against them would chase the
     * wrong cost; the whole host time is what the layer lost in that window.
     */
    THROTTLED(LayerProfile::hostNanos, "check power and thermal limits before optimizing");

    private final ToDoubleFunction<LayerProfile> cost;
    private final String recommendation;

    BottleneckAdvice(ToDoubleFunction<LayerProfile> cost, String recommendation) {
        this.cost = cost;
        this.recommendation = recommendation;
    }

    /** The advice for {@code verdict}: the constant of the same name. */
    static BottleneckAdvice of(Verdict verdict) {
        return valueOf(verdict.name());
    }

    /** The time per pass, in nanoseconds, that the cause of the layer's verdict costs. */
    double costNanos(LayerProfile layer) {
        return cost.applyAsDouble(layer);
    }

    /** What to do, in a few words, without a final period. */
    String recommendation() {
        return recommendation;
    }

    /** The sentence stating the cost, such as {@code layer 3 waits 2.100 ms per pass in blocking device calls}. */
    String cause(LayerProfile l) {
        String layer = "layer " + l.layer();
        return switch (this) {
            case SYNC_BOUND -> layer + " waits " + duration(l.syncWaitNanos()) + " per pass in blocking device calls"
                    + (l.selfHostNanos() > 0
                    ? " (" + Math.round(100 * l.syncWaitNanos() / l.selfHostNanos()) + "% of its self host time)" : "");
            case DEVICE_BOUND -> layer + " takes " + duration(costNanos(l)) + " of device time per pass against "
                    + duration(l.launchNanos()) + " of launch";
            case HOST_BOUND -> layer + " spends " + duration(l.launchNanos()) + " of Java work and launches per pass";
            case THROTTLED -> layer + " took " + duration(l.hostNanos()) + " of host time per pass while the GPU was "
                    + "throttled";
        };
    }
}
