package dev.cmr.serve;

/**
 * Not a test and never called: a class of this package that breaks the layering on purpose (it reaches into the
 * CLI and into monitor internals), so that {@code dev.cmr.monitor.ArchitectureTest} can show that the rules detect
 * it. Test sources are outside the rules' import.
 */
@SuppressWarnings("unused")
final class PlantedServeViolation {
    private dev.cmr.cli.Main main;
    private dev.cmr.monitor.store.Aggregator aggregator;
}
