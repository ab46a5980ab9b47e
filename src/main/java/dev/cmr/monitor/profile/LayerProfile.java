package dev.cmr.monitor.profile;

/**
 * One layer of a profiled execution: the means per pass, in nanoseconds, of the numbers {@link PassAttributor}
 * defines ({@code deviceNanos} null when no pass carried device numbers, {@code launchDelayNanos} null when no pass
 * had a device span with a known enqueue time; each is then the mean over the passes that had it), how many passes
 * clamped launch time at 0 ({@code launchClamps}), the verdict of {@link VerdictRule} on these means with its
 * reason, and the per-pass samples.
 */
public record LayerProfile(int layer, double hostNanos, double selfHostNanos, double launchNanos,
                           double syncWaitNanos, Double deviceNanos, Double launchDelayNanos, int launchClamps,
                           Verdict verdict, String reason, LayerSamples samples) {
}
