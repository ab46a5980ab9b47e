package dev.cmr.monitor.profile;

import static dev.cmr.monitor.profile.Formats.duration;

/**
 * Decides the verdict of a layer or a pass from its numbers (nanoseconds; means per pass for a profile), first rule
 * that holds wins:
 * <ol>
 *   <li>{@link Verdict#THROTTLED} if NVML reported clock-event reasons other than idle in the window;</li>
 *   <li>{@link Verdict#SYNC_BOUND} if {@code sync_wait_ns > 0} and {@code sync_wait_ns >= }{@value #SYNC_BOUND_SHARE}
 *       {@code * self_host_ns};</li>
 *   <li>{@link Verdict#HOST_BOUND} if there is no device time ({@code device_ns} null: the CPU backend, or nothing
 *       recorded): all time is host time;</li>
 *   <li>{@link Verdict#DEVICE_BOUND} if {@code device_ns > 0} and {@code device_ns >= launch_ns};</li>
 *   <li>{@link Verdict#HOST_BOUND} otherwise.</li>
 * </ol>
 * The strict {@code > 0} guards keep an empty layer (all zeros) from being called sync or device bound. The reason
 * sentence carries the numbers and the cut-off that decided it. Stateless.
 */
final class VerdictRule {
    /**
     * Self host time is sync wait plus launch (host work); at half, the wait is the larger of the two parts, so
     * removing syncs (asynchronous reads, fewer finishes) gains more than speeding up the host code.
     */
    static final double SYNC_BOUND_SHARE = 0.5;

    /** A verdict and the sentence that says why. */
    record Decision(Verdict verdict, String reason) {
    }

    private VerdictRule() {
    }

    static Decision decide(double selfHostNanos, double syncWaitNanos, double launchNanos, Double deviceNanos,
                           boolean throttled, Backend backend) {
        Decision unthrottled = decideUnthrottled(selfHostNanos, syncWaitNanos, launchNanos, deviceNanos, backend);
        if (!throttled) {
            return unthrottled;
        }
        return new Decision(Verdict.THROTTLED, "NVML reported clock-event reasons other than idle in this window, so "
                + "the times are not representative; unthrottled this would read " + unthrottled.verdict() + ": "
                + unthrottled.reason());
    }

    private static Decision decideUnthrottled(double selfHost, double syncWait, double launch, Double device,
                                              Backend backend) {
        long percent = selfHost == 0 ? 0 : Math.round(100 * syncWait / selfHost);
        String share = "sync wait " + duration(syncWait) + " is " + percent + "% of self host " + duration(selfHost);
        String cutOff = Math.round(100 * SYNC_BOUND_SHARE) + "%";
        if (syncWait > 0 && syncWait >= SYNC_BOUND_SHARE * selfHost) {
            return new Decision(Verdict.SYNC_BOUND, share + " (>= " + cutOff + ")");
        }
        String notSync = share + " (< " + cutOff + ")";
        if (device == null) {
            return new Decision(Verdict.HOST_BOUND, "no device time recorded (backend " + backend.key()
                    + "), so all time is host time: " + notSync);
        }
        if (device > 0 && device >= launch) {
            return new Decision(Verdict.DEVICE_BOUND, "device " + duration(device) + " >= launch " + duration(launch)
                    + "; " + notSync);
        }
        String comparison = device == 0 ? "no device work (device " + duration(0.0) + "), launch " + duration(launch)
                : "launch " + duration(launch) + " > device " + duration(device);
        return new Decision(Verdict.HOST_BOUND, comparison + "; " + notSync);
    }
}
