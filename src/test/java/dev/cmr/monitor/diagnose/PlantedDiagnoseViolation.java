package dev.cmr.monitor.diagnose;

/**
 * Not a test and never called: a class of this package that breaks the layering on purpose (it uses health and the
 * record path), so that {@code dev.cmr.monitor.ArchitectureTest} can show that the rules detect it. Test sources
 * are outside the rules' import.
 */
@SuppressWarnings("unused")
final class PlantedDiagnoseViolation {
    private dev.cmr.monitor.health.HealthReport report;
    private dev.cmr.monitor.record.Stage stage;
}
