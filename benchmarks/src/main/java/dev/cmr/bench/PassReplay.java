package dev.cmr.bench;

import dev.cmr.monitor.CmrPerformanceMonitor;
import dev.cmr.monitor.profile.HostSpan;
import dev.cmr.monitor.profile.PassTrace;
import dev.cmr.monitor.profile.SyncWaitSpan;

/**
 * Records the spans of a captured pass again through the monitor's public span API: its sync waits, then its layer
 * and CMR stage spans (stage counts are fixed stand-ins; sizes and costs do not depend on them). A span's times
 * become {@code base + (t - shape.startNanos()) / scaleDown}. Other stages are skipped.
 */
final class PassReplay {
    private PassReplay() {
    }

    /** Returns the latest end among the spans recorded (at least {@code base}). */
    static long record(CmrPerformanceMonitor monitor, PassTrace shape, long base, long scaleDown) {
        long last = base;
        for (SyncWaitSpan s : shape.syncWaits()) {
            long start = base + (s.startNanos() - shape.startNanos()) / scaleDown;
            long end = base + (s.endNanos() - shape.startNanos()) / scaleDown;
            monitor.recordSyncWaitSpan(s.layer(), start, end);
            last = Math.max(last, end);
        }
        for (HostSpan s : shape.hostSpans()) {
            long start = base + (s.startNanos() - shape.startNanos()) / scaleDown;
            long end = base + (s.endNanos() - shape.startNanos()) / scaleDown;
            switch (s.stage()) {
                case LAYER -> monitor.recordLayerSpan(s.layer(), start, end);
                case CAPTURE -> monitor.recordCaptureSpan(s.layer(), 32, 8, start, end);
                case RETRIEVAL -> monitor.recordRetrievalSpan(s.layer(), 16, 4, false, start, end);
                case RECONSTRUCTION -> monitor.recordReconstructionSpan(s.layer(), 4, 0.9, start, end);
                default -> {
                    continue;
                }
            }
            last = Math.max(last, end);
        }
        return last;
    }
}
