package dev.cmr.monitor.profile;

/** One resource sample over a profiled window: the time and the value as the sampler gave them. */
public record ResourcePoint(double time, double value) {
}
