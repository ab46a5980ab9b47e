package dev.cmr.model;

/**
 * Not a test and never called: a class of this package that breaks the layering on purpose (it reaches into monitor
 * internals and the CLI), so that {@code dev.cmr.monitor.ArchitectureTest} can show that the rules detect it. Test
 * sources are outside the rules' import.
 */
@SuppressWarnings("unused")
final class PlantedModelViolation {
    private dev.cmr.monitor.store.Aggregator aggregator;
    private dev.cmr.monitor.export.Exports exports;
    private dev.cmr.cli.Main main;
}
