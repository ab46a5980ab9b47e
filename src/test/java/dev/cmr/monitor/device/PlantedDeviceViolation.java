package dev.cmr.monitor.device;

/**
 * Not a test and never called: a class of this package that breaks the layering on purpose (it uses resources and
 * the store), so that {@code dev.cmr.monitor.ArchitectureTest} can show that the rules detect it. Test sources are
 * outside the rules' import.
 */
@SuppressWarnings("unused")
final class PlantedDeviceViolation {
    private dev.cmr.monitor.resources.ResourceSample sample;
    private dev.cmr.monitor.store.IntervalSnapshot interval;
}
