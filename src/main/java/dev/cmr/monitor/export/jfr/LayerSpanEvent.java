package dev.cmr.monitor.export.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * One layer of one profiled pass, committed when the profiled block closes, on the thread that closed it (the
 * model's), so JMC shows it on that thread. JFR sets the event's own time to the commit; the layer's host-clock
 * timing is in the fields: {@code startNanoTime} (System.nanoTime at layer enter; -1 when the pass has durations
 * only), {@code hostDuration} (enter to exit), {@code syncWaitDuration} (host time in blocking device calls) and
 * {@code deviceDuration} (the device time the thread recorded as a duration; -1 when none: device spans from a
 * timeline are joined later, in the profile results).
 */
@Name(JfrEvents.LAYER_SPAN)
@Label("CMR Layer Span")
@Category({"CMR Monitor", "Profiler"})
@Description("One layer of one profiled pass of the CMR monitor")
@StackTrace(false)
@Enabled(false)
final class LayerSpanEvent extends jdk.jfr.Event {
    @Label("Block")
    String block;

    @Label("Pass Form")
    @Description("trace (spans with timestamps) or durations")
    String form;

    @Label("Layer")
    int layer;

    @Label("Start nanoTime")
    @Description("System.nanoTime at layer enter; -1 for a durations pass")
    long startNanoTime;

    @Label("Host Duration")
    @Timespan(Timespan.NANOSECONDS)
    long hostDuration;

    @Label("Sync Wait Duration")
    @Timespan(Timespan.NANOSECONDS)
    long syncWaitDuration;

    @Label("Device Duration")
    @Description("Recorded device time; -1 when none")
    @Timespan(Timespan.NANOSECONDS)
    long deviceDuration;
}
