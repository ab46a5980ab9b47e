package dev.cmr.monitor.health;

import dev.cmr.monitor.CmrPerformanceMonitor;
import dev.cmr.monitor.device.DeviceStats;
import dev.cmr.monitor.export.Exports;
import java.util.List;

/**
 * Not a test and never called: a health-package class that breaks the layering on purpose (it uses the facade,
 * {@code export} and a {@code device} type), so that {@code ArchitectureTest} can show its peer rule detects each.
 */
final class PlantedLayerViolation {
    private PlantedLayerViolation() {
    }

    static HealthReport facade(CmrPerformanceMonitor monitor) {
        return monitor.getHealth();
    }

    static List<String> export() {
        return Exports.timeSeriesColumns();
    }

    static DeviceStats device(DeviceStats stats) {
        return stats;
    }
}
