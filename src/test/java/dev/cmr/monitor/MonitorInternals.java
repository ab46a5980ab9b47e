package dev.cmr.monitor;

/** Test access to the monitor's internals. */
final class MonitorInternals {
    private MonitorInternals() {
    }

    static int liveRecorders(CmrPerformanceMonitor monitor) {
        return monitor.recording().recorders().size();
    }
}
