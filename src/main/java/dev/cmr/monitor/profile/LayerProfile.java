package dev.cmr.monitor.profile;

/**
 * One layer of a profiled execution: the means per pass, in nanoseconds, of the numbers {@link PassAttributor}
 * defines ({@code deviceNanos} null when no pass carried device numbers, {@code launchDelayNanos} null when no pass
 * had a device span with a known enqueue time; each is then the mean over the passes that had it), how many passes
 * clamped launch time at 0 ({@code launchClamps}), the verdict of {@link VerdictRule} on these means with its
 * reason, the per-pass samples, and {@code allocatedBytes}: the JVM heap bytes the layer's spans allocated on the
 * profiled thread (stages included), a mean over the passes that tracked it ({@code profile_memory}), null when none
 * did.
 */
public record LayerProfile(int layer, double hostNanos, double selfHostNanos, double launchNanos,
                           double syncWaitNanos, Double deviceNanos, Double launchDelayNanos, int launchClamps,
                           Verdict verdict, String reason, LayerSamples samples, Double allocatedBytes) {

    /** A layer whose allocation was not tracked. */
    public LayerProfile(int layer, double hostNanos, double selfHostNanos, double launchNanos, double syncWaitNanos,
                        Double deviceNanos, Double launchDelayNanos, int launchClamps, Verdict verdict, String reason,
                        LayerSamples samples) {
        this(layer, hostNanos, selfHostNanos, launchNanos, syncWaitNanos, deviceNanos, launchDelayNanos, launchClamps,
                verdict, reason, samples, null);
    }
}
