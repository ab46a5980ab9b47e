package dev.cmr.monitor.record;

/**
 * Not a test and never called: a class of this package that breaks the layering on purpose (it uses the store above
 * it), so that {@code dev.cmr.monitor.ArchitectureTest} can show that the rules detect it. Test sources are outside
 * the rules' import.
 */
@SuppressWarnings("unused")
final class PlantedRecordViolation {
    private dev.cmr.monitor.store.TieredHistory history;
}
