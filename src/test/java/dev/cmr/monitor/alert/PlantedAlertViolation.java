package dev.cmr.monitor.alert;

/**
 * Not a test and never called: a class of this package that breaks the layering on purpose (it uses the facade and
 * health), so that {@code dev.cmr.monitor.ArchitectureTest} can show that the rules detect it. Test sources are
 * outside the rules' import.
 */
@SuppressWarnings("unused")
final class PlantedAlertViolation {
    private dev.cmr.monitor.MonitoringConfig config;
    private dev.cmr.monitor.health.HealthReport report;
}
