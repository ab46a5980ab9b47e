package dev.cmr.monitor;

/** Test access to the monitor's internals. */
final class MonitorInternals {
    private MonitorInternals() {
    }

    static int liveRecorders(CmrPerformanceMonitor monitor) {
        return monitor.recording().recorders().size();
    }

    /** The passes the profiled blocks of {@code name} captured, before analysis; empty when there were none. */
    static java.util.List<dev.cmr.monitor.profile.ProfiledPass> profiledPasses(CmrPerformanceMonitor monitor,
                                                                               String name) {
        return monitor.profileTraces().stream().filter(t -> t.name().equals(name)).findFirst()
                .map(dev.cmr.monitor.profile.ExecutionTrace::passes).orElse(java.util.List.of());
    }
}
