package dev.cmr.monitor.health;

/**
 * Not a test and never called: a class of this package that breaks the layering on purpose (it uses the facade,
 * export, a device type and alerting), so that {@code dev.cmr.monitor.ArchitectureTest} can show that the rules
 * detect it. Test sources are outside the rules' import.
 */
@SuppressWarnings("unused")
final class PlantedHealthViolation {
    private dev.cmr.monitor.CmrPerformanceMonitor monitor;
    private dev.cmr.monitor.export.Exports exports;
    private dev.cmr.monitor.device.DeviceStats device;
    private dev.cmr.monitor.alert.AlertManager alerts;
}
