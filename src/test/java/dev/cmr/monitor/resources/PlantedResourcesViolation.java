package dev.cmr.monitor.resources;

/**
 * Not a test and never called: a class of this package that breaks the layering on purpose (it uses device
 * timelines and the engine), so that {@code dev.cmr.monitor.ArchitectureTest} can show that the rules detect it.
 * Test sources are outside the rules' import.
 */
@SuppressWarnings("unused")
final class PlantedResourcesViolation {
    private dev.cmr.monitor.device.DeviceStats stats;
    private dev.cmr.monitor.engine.ErrorCounter errors;
}
