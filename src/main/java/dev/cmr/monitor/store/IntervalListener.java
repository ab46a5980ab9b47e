package dev.cmr.monitor.store;

import dev.cmr.monitor.record.Stage;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * Told of every interval the monitor closes, in closing order, on the thread that closed it (the collector's, or a
 * caller of {@code collectInterval}), after the interval is in the time series and outside the aggregator lock:
 * a slow listener delays the next close and the listeners after it, never a recording thread or a stats reader.
 *
 * <p>{@code histograms}: the interval's own latency histogram per timed stage that counted anything in it
 * (nanoseconds, two significant digits, tagged with {@link Stage#key()}, start and end time stamps in epoch
 * milliseconds); stages with no record are absent. The map and the histograms are shared by every listener of the
 * same interval: read them, never change them. They are copies made for the listeners and kept by no one else, and
 * they are made only when some listener {@link #wantsHistograms() wants them}.
 */
@FunctionalInterface
public interface IntervalListener {
    void intervalClosed(IntervalSnapshot interval, Map<Stage, Histogram> histograms);

    /**
     * Whether this listener reads the histograms. When no listener does, none are copied and every listener gets an
     * empty map: a listener that needs only the snapshot (summaries, counts) costs nothing more than the call.
     */
    default boolean wantsHistograms() {
        return true;
    }
}
