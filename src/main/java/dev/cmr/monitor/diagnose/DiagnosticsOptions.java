package dev.cmr.monitor.diagnose;

/**
 * What one {@code runDiagnostics} call looks at. Immutable.
 *
 * @param staleAfterSeconds a resident memory entry not retrieved for longer than this is stale; finite, >= 0
 * @param probeHookOrder    run the hook order probe ({@code HookGauge.probeHookOrder}): it calls user hooks on
 *                          scratch states, so it is off unless asked for, and should run while the model is idle
 */
public record DiagnosticsOptions(double staleAfterSeconds, boolean probeHookOrder) {
    /** Default stale age: a memory unused for a minute of serving is not pulling its weight. */
    public static final double DEFAULT_STALE_AFTER_SECONDS = 60.0;

    public DiagnosticsOptions {
        if (!(staleAfterSeconds >= 0) || Double.isInfinite(staleAfterSeconds)) {
            throw new IllegalArgumentException("staleAfterSeconds must be finite and >= 0, was " + staleAfterSeconds);
        }
    }

    public static DiagnosticsOptions defaults() {
        return new DiagnosticsOptions(DEFAULT_STALE_AFTER_SECONDS, false);
    }

    public DiagnosticsOptions withStaleAfterSeconds(double seconds) {
        return new DiagnosticsOptions(seconds, probeHookOrder);
    }

    public DiagnosticsOptions withHookOrderProbe(boolean probe) {
        return new DiagnosticsOptions(staleAfterSeconds, probe);
    }

    public long staleAfterNanos() {
        return Math.round(staleAfterSeconds * 1e9);
    }
}
