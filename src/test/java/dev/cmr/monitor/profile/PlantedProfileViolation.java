package dev.cmr.monitor.profile;

/**
 * Not a test and never called: a class of this package that breaks the layering on purpose (it uses the facade's
 * stats and health), so that {@code dev.cmr.monitor.ArchitectureTest} can show that the rules detect it. Test
 * sources are outside the rules' import.
 */
@SuppressWarnings("unused")
final class PlantedProfileViolation {
    private dev.cmr.monitor.MonitorStats stats;
    private dev.cmr.monitor.health.HealthReport report;
}
