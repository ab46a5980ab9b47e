package dev.cmr.monitor.store;

/**
 * Not a test and never called: a class of this package that breaks the layering on purpose (it uses the facade, the
 * engine, export and the model), so that {@code dev.cmr.monitor.ArchitectureTest} can show that the rules detect
 * it. Test sources are outside the rules' import.
 */
@SuppressWarnings("unused")
final class PlantedStoreViolation {
    private dev.cmr.monitor.MonitorStats stats;
    private dev.cmr.monitor.engine.SnapshotService service;
    private dev.cmr.monitor.export.Exports exports;
    private dev.cmr.model.hooks.HiddenStates states;
}
