package dev.cmr.monitor.engine;

import dev.cmr.monitor.MonitoringConfig;
import dev.cmr.monitor.health.IntervalWindow;
import dev.cmr.monitor.store.IntervalSnapshot;
import java.util.List;

/**
 * The recent stretch of the time series that live stats and health judge: {@code live_window} long, and never shorter
 * than one collection interval, so that a window always reaches back to the newest closed interval.
 */
public final class LiveWindow {
    private final SnapshotService snapshots;
    private final long windowMillis;
    private final int entries;

    public LiveWindow(MonitoringConfig config, SnapshotService snapshots) {
        this.snapshots = snapshots;
        double intervalMillis = config.metricCollectionIntervalSeconds() * 1e3;
        this.windowMillis = Math.max(Math.round(config.liveWindowSeconds() * 1e3), Math.round(intervalMillis));
        // Raw entries enough to cover the recent and the baseline window.
        this.entries = (int) Math.min(config.maxHistorySize(), 2 * Math.ceil(windowMillis / intervalMillis) + 2);
    }

    public long millis() {
        return windowMillis;
    }

    /** The window ending at {@code nowMillis}. */
    public IntervalWindow recent(long nowMillis) {
        return IntervalWindow.between(snapshots.recentHistory(entries), nowMillis - windowMillis, nowMillis);
    }

    /** The window ending at {@code nowMillis} and the one before it, cut from one read of the time series. */
    public Pair recentAndBaseline(long nowMillis) {
        List<IntervalSnapshot> series = snapshots.recentHistory(entries);
        return new Pair(IntervalWindow.between(series, nowMillis - windowMillis, nowMillis),
                IntervalWindow.between(series, nowMillis - 2 * windowMillis, nowMillis - windowMillis));
    }

    /** A recent window and its baseline, the window before it (what degradation is judged against). */
    public record Pair(IntervalWindow recent, IntervalWindow baseline) {
    }
}
