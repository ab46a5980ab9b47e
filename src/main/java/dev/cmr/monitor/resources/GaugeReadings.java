package dev.cmr.monitor.resources;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One sample of a {@link ResourceSampler} that reads its gauges one at a time ({@link HostSampler},
 * {@link JvmSampler}): the values read so far, in reading order, and why the others are absent. A read that fails
 * leaves its gauges absent and adds "{@code what}: {@code exception}" to the error, parts joined by "; ".
 *
 * <p>Lives for one {@link ResourceSampler#sample(long)} call, on the sampling thread; not thread-safe.
 */
final class GaugeReadings {
    /** One read of a gauge or a handle; an Exception or a LinkageError it throws is noted, not passed on. */
    interface Read {
        void run() throws Exception;
    }

    private final Map<String, Double> values = new LinkedHashMap<>();
    private final StringBuilder errors;

    GaugeReadings() {
        this(null);
    }

    /** Starts with {@code knownErrors} (null for none): what is missing for good, said again in every sample. */
    GaugeReadings(String knownErrors) {
        errors = new StringBuilder(knownErrors == null ? "" : knownErrors);
    }

    void put(String gauge, double value) {
        values.put(gauge, value);
    }

    /** Runs one read; a failure is noted under {@code what} and leaves the read's gauges absent. */
    void read(String what, Read read) {
        try {
            read.run();
        } catch (Exception | LinkageError e) { // LinkageError: a native library (JNA) that cannot load
            fail(what, e);
        }
    }

    /** Notes that {@code what} could not be read. */
    void fail(String what, Throwable e) {
        if (errors.length() > 0) {
            errors.append("; ");
        }
        errors.append(what).append(": ").append(e);
    }

    /** Why gauges are absent, or null when every read succeeded. */
    String error() {
        return errors.length() == 0 ? null : errors.toString();
    }

    /** The sample of {@code source}, or null when no gauge could be read. */
    ResourceSample toSample(String source, long nowNanos) {
        return values.isEmpty() ? null : new ResourceSample(source, nowNanos, values);
    }
}
