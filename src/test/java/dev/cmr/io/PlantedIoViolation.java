package dev.cmr.io;

/**
 * Not a test and never called: a class of this package that breaks the layering on purpose (it uses the monitor),
 * so that {@code dev.cmr.monitor.ArchitectureTest} can show that the rules detect it. Test sources are outside the
 * rules' import.
 */
@SuppressWarnings("unused")
final class PlantedIoViolation {
    private dev.cmr.monitor.MonitorStats stats;
}
