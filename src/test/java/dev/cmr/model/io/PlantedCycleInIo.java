package dev.cmr.model.io;

/**
 * Not a test and never called: a class of this package that breaks the layering on purpose (with
 * PlantedCycleInHooks it forms a package cycle), so that {@code dev.cmr.monitor.ArchitectureTest} can show that the
 * rules detect it. Test sources are outside the rules' import.
 */
@SuppressWarnings("unused")
public final class PlantedCycleInIo {
    private dev.cmr.model.hooks.PlantedCycleInHooks other;
}
