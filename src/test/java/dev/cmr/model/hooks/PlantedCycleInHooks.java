package dev.cmr.model.hooks;

/**
 * Not a test and never called: a class of this package that breaks the layering on purpose (with PlantedCycleInIo
 * it forms a package cycle), so that {@code dev.cmr.monitor.ArchitectureTest} can show that the rules detect it.
 * Test sources are outside the rules' import.
 */
@SuppressWarnings("unused")
public final class PlantedCycleInHooks {
    private dev.cmr.model.io.PlantedCycleInIo other;
}
