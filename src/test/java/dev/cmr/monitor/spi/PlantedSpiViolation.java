package dev.cmr.monitor.spi;

/**
 * Not a test and never called: a class of this package that breaks the layering on purpose (it uses the store and
 * the model), so that {@code dev.cmr.monitor.ArchitectureTest} can show that the rules detect it. Test sources are
 * outside the rules' import.
 */
@SuppressWarnings("unused")
final class PlantedSpiViolation {
    private dev.cmr.monitor.store.IntervalSnapshot interval;
    private dev.cmr.model.hooks.HiddenStates states;
}
