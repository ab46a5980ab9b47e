package dev.cmr.monitor.export.jfr;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;
import jdk.jfr.Timestamp;

/**
 * One closed collector interval: per timed stage its record count and p99 latency (one field pair per stage, so that
 * JMC charts each stage as its own series from this one event type), plus errors, rejected records and the buffer
 * reading. p99 is HdrHistogram's value at two significant digits; 0 when the stage recorded nothing in the interval.
 * Committed on the thread that closed the interval (the collector's).
 */
@Name(JfrEvents.INTERVAL)
@Label("CMR Interval")
@Category({"CMR Monitor"})
@Description("One collector interval of the CMR monitor: per-stage counts and p99 latencies")
@StackTrace(false)
@Enabled(false)
final class IntervalEvent extends jdk.jfr.Event {
    @Label("Interval Start")
    @Timestamp(Timestamp.MILLISECONDS_SINCE_EPOCH)
    long intervalStart;

    @Label("Interval Length")
    @Timespan(Timespan.MILLISECONDS)
    long intervalLength;

    @Label("Capture Count")
    long captureCount;
    @Label("Capture p99")
    @Timespan(Timespan.NANOSECONDS)
    long captureP99;

    @Label("Reconstruction Count")
    long reconstructionCount;
    @Label("Reconstruction p99")
    @Timespan(Timespan.NANOSECONDS)
    long reconstructionP99;

    @Label("Retrieval Count")
    long retrievalCount;
    @Label("Retrieval p99")
    @Timespan(Timespan.NANOSECONDS)
    long retrievalP99;

    @Label("Layer Count")
    long layerCount;
    @Label("Layer p99")
    @Timespan(Timespan.NANOSECONDS)
    long layerP99;

    @Label("Sync Wait Count")
    long syncWaitCount;
    @Label("Sync Wait p99")
    @Timespan(Timespan.NANOSECONDS)
    long syncWaitP99;

    @Label("Device Count")
    long deviceCount;
    @Label("Device p99")
    @Timespan(Timespan.NANOSECONDS)
    long deviceP99;

    @Label("Forward Count")
    long forwardCount;
    @Label("Forward p99")
    @Timespan(Timespan.NANOSECONDS)
    long forwardP99;

    @Label("Errors")
    long errors;

    @Label("Rejected Records")
    long rejected;

    @Label("Buffer Entries")
    long bufferEntries;

    @Label("Buffer Size")
    @DataAmount(DataAmount.BYTES)
    long bufferBytes;

    @Label("Buffer Utilization")
    @Description("0..1; NaN without a buffer gauge")
    double bufferUtilization;
}
