package dev.cmr.monitor.engine;

/**
 * Not a test and never called: a class of this package that breaks the layering on purpose (it uses the facade
 * class and export), so that {@code dev.cmr.monitor.ArchitectureTest} can show that the rules detect it. Test
 * sources are outside the rules' import.
 */
@SuppressWarnings("unused")
final class PlantedEngineViolation {
    private dev.cmr.monitor.CmrPerformanceMonitor monitor;
    private dev.cmr.monitor.export.Exports exports;
}
