package dev.cmr.monitor.engine;

import dev.cmr.monitor.device.DeviceStats;
import dev.cmr.monitor.device.DeviceTimeline;
import dev.cmr.monitor.device.LayerDeviceTimes;
import dev.cmr.monitor.record.Recording;
import dev.cmr.monitor.record.Stage;
import dev.cmr.monitor.resources.ResourcePoller;
import dev.cmr.monitor.spi.BufferReading;
import dev.cmr.monitor.store.Aggregator;
import dev.cmr.monitor.store.CumulativeSnapshot;
import dev.cmr.monitor.store.IntervalListener;
import dev.cmr.monitor.store.IntervalSnapshot;
import dev.cmr.monitor.store.TieredHistory;
import java.time.Clock;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;
import org.HdrHistogram.Histogram;

/**
 * The read side of the recording core: cumulative stats, closed intervals and their bounded time series, and the
 * device timeline whose resolved marks are drained into the {@code device} stage before each of them.
 *
 * <p>Threading: {@link #takeStats()}, {@link #closeInterval()}, {@link #reset(Runnable)} and
 * {@link #attachDeviceTimeline} hold one lock (the aggregator), so that a concurrent reset cannot fall between
 * draining, snapshotting and appending, and a timeline is never swapped in the middle of a drain. The buffer gauge is
 * polled before the lock is taken, so a slow gauge never holds the lock; the samplers' values are read without
 * waiting. The record path is never locked: the aggregator reads the recorders' counts as they stand.
 *
 * <p>Interval listeners ({@link #addIntervalListener}) are called by {@link #closeInterval()} after the aggregator
 * lock is released, under a second lock that only closing takes, so that they see intervals in closing order. Unless
 * a listener {@link IntervalListener#wantsHistograms() wants histograms}, closing copies none; if one does, each
 * interval costs one histogram copy per stage that counted anything in it. A listener that throws is counted as an error of {@value #LISTENER_COMPONENT}; the others still
 * run.
 */
public final class SnapshotService {
    /** Intervals the {@code recent} window of each stage covers. */
    public static final int RECENT_INTERVALS = 10;
    /** Marks taken from a device timeline per drain round. */
    static final int DEVICE_BATCH = 1024;
    /** Layer start marks that may wait for their end marks across drains. */
    static final int DEVICE_PENDING_STARTS = 65_536;
    /** The component under which a throwing interval listener is counted. */
    public static final String LISTENER_COMPONENT = "interval_listener";

    private final Recording recording;
    private final Aggregator aggregator; // also the lock of every method here
    private final TieredHistory history;
    private final ErrorCounter errors;
    private final PolledGauges gauges;
    private final ResourcePoller resources; // null when resource sampling is off
    private final Clock clock;
    private final LongSupplier nanoClock;
    private volatile LayerDeviceTimes deviceTimes;
    private volatile long resetAtNanos;
    private final List<IntervalListener> listeners = new CopyOnWriteArrayList<>();
    // Taken before the aggregator lock by closeInterval alone: listeners run in closing order, outside that lock.
    private final Object publishLock = new Object();

    /**
     * Keeps at most {@code maxHistorySize} entries of time series; {@code resources} is null when resource sampling
     * is off.
     */
    public SnapshotService(int maxHistorySize, Recording recording, PolledGauges gauges, ResourcePoller resources,
                           ErrorCounter errors, Clock clock, LongSupplier nanoClock) {
        this.recording = recording;
        this.gauges = gauges;
        this.resources = resources;
        this.errors = errors;
        this.clock = clock;
        this.nanoClock = nanoClock;
        this.aggregator = new Aggregator(recording, nanoClock, clock.millis());
        this.history = new TieredHistory(maxHistorySize);
        this.resetAtNanos = nanoClock.getAsLong();
    }

    /**
     * Drains {@code timeline} into the {@code device} stage before every snapshot, and hands every drained batch to
     * {@code marks} (null for none); a null timeline detaches.
     */
    public void attachDeviceTimeline(DeviceTimeline timeline, LayerDeviceTimes.MarkSink marks) {
        synchronized (aggregator) {
            deviceTimes = timeline == null ? null : new LayerDeviceTimes(timeline, recording::recordDeviceTime,
                    marks, DEVICE_BATCH, DEVICE_PENDING_STARTS);
        }
    }

    /**
     * Drains the attached timeline now (what the device has resolved so far, without waiting for it), so that a
     * reader of profiles sees the marks resolved up to this call. Under the same lock as every other drain.
     */
    public void drainDevice() {
        synchronized (aggregator) {
            drainDeviceLocked();
        }
    }

    /** Everything since start or the last reset; includes every record that happened-before the call. */
    public StatsParts takeStats() {
        BufferReading reading = gauges.readBuffer();
        synchronized (aggregator) { // so that a concurrent reset() cannot fall between the parts
            DeviceStats device = drainDeviceLocked();
            CumulativeSnapshot snapshot = aggregator.refresh();
            long now = clock.millis();
            return new StatsParts(snapshot, reading, history.recent(RECENT_INTERVALS), errors.total(),
                    errors.snapshot(), now, (snapshot.takenAtNanos() - resetAtNanos) / 1e9, device,
                    resourceValues(snapshot.takenAtNanos()),
                    resources == null ? List.of() : resources.status(), errors.lastErrors());
        }
    }

    /** Closes the current interval now, appends it to the time series and hands it to the interval listeners. */
    public IntervalSnapshot closeInterval() {
        BufferReading reading = gauges.readBuffer();
        Map<String, Double> resourceValues = resourceValues(nanoClock.getAsLong());
        synchronized (publishLock) {
            Histogram[] histograms = wantHistograms() ? new Histogram[Stage.values().length] : null;
            IntervalSnapshot interval;
            synchronized (aggregator) { // so that reset() cannot fall between closing and appending
                drainDeviceLocked();
                interval = aggregator.closeInterval(clock.millis(), errors.total(), reading, resourceValues,
                        histograms);
                history.add(interval);
            }
            if (!listeners.isEmpty()) {
                publish(interval, histograms);
            }
            return interval;
        }
    }

    /** Calls {@code listener} with every interval closed from now on (see the class comment). */
    public void addIntervalListener(IntervalListener listener) {
        if (listener == null) {
            throw new IllegalArgumentException("listener must not be null");
        }
        listeners.add(listener);
    }

    public boolean removeIntervalListener(IntervalListener listener) {
        return listeners.remove(listener);
    }

    private boolean wantHistograms() {
        for (IntervalListener listener : listeners) {
            if (listener.wantsHistograms()) {
                return true;
            }
        }
        return false;
    }

    /** {@code histograms} is null when no listener wanted them. */
    private void publish(IntervalSnapshot interval, Histogram[] histograms) {
        Map<Stage, Histogram> byStage = new EnumMap<>(Stage.class);
        for (Stage stage : Stage.values()) {
            if (histograms != null && histograms[stage.ordinal()] != null) {
                byStage.put(stage, histograms[stage.ordinal()]);
            }
        }
        Map<Stage, Histogram> shared = Collections.unmodifiableMap(byStage);
        for (IntervalListener listener : listeners) {
            try {
                listener.intervalClosed(interval, shared);
            } catch (RuntimeException e) {
                errors.record(LISTENER_COMPONENT, e);
            }
        }
    }

    /** The whole time series, oldest first. */
    public List<IntervalSnapshot> history() {
        return history.entries();
    }

    /** The newest {@code n} raw entries of the time series, oldest first. */
    public List<IntervalSnapshot> recentHistory(int n) {
        return history.recent(n);
    }

    /**
     * Clears errors, history and counts, then runs {@code alsoReset} under the same lock, so that no snapshot sees
     * the counts cleared but the rest not.
     */
    public void reset(Runnable alsoReset) {
        synchronized (aggregator) {
            errors.reset();
            history.clear();
            aggregator.reset(clock.millis(), 0);
            resetAtNanos = nanoClock.getAsLong();
            alsoReset.run();
        }
    }

    /** The samplers' latest values, read without waiting for the sampler thread; empty when sampling is off. */
    private Map<String, Double> resourceValues(long nowNanos) {
        return resources == null ? Map.of() : resources.latestValues(nowNanos);
    }

    /** Records the device times resolved so far; caller holds the aggregator lock. Null without a timeline. */
    private DeviceStats drainDeviceLocked() {
        LayerDeviceTimes times = deviceTimes;
        if (times == null) {
            return null;
        }
        try {
            times.drain();
        } catch (RuntimeException e) {
            errors.record("device_timeline", e);
        }
        return times.stats();
    }
}
