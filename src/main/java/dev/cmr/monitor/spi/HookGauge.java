package dev.cmr.monitor.spi;

import java.util.List;

/**
 * Source of per-hook statistics, implemented by the runtime's hook manager. The monitor calls it only from
 * {@code runDiagnostics}, on the caller's thread, never on the record path.
 *
 * <ul>
 *   <li>{@link #readHooks()} must be thread-safe, cheap and non-blocking for the hooks' own thread: it runs while
 *       hooks may be firing.</li>
 *   <li>{@link #probeHookOrder()} is opt-in and runs user hooks on scratch data: call it when the model is idle.</li>
 * </ul>
 * An exception from either is caught and counted as an error of component {@code hook_gauge}.
 */
public interface HookGauge {
    /** One reading per registered hook, in the order they run (by kind, then priority, then registration). */
    List<HookReading> readHooks();

    /**
     * For each pair of hooks of the same kind that both modified states at the same layer: runs them in both orders
     * on two copies of scratch states of that layer's shape and compares the results. Hooks see scratch data only,
     * and their statistics are not changed. The default does not probe.
     */
    default List<HookOrderProbe> probeHookOrder() {
        return List.of();
    }
}
