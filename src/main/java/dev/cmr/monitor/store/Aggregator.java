package dev.cmr.monitor.store;

import dev.cmr.monitor.record.HdrLayout;
import dev.cmr.monitor.record.Recording;
import dev.cmr.monitor.record.SlotLayout;
import dev.cmr.monitor.record.Stage;
import dev.cmr.monitor.record.ThreadRecorder;
import dev.cmr.monitor.spi.BufferReading;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.HdrHistogram.Histogram;

/**
 * The reader side of {@link Recording}: sums every thread's counters and merges their histogram counts into
 * HdrHistogram histograms, per timed slot and per stage. It also closes intervals for the time series.
 *
 * <p>Threading: all methods are synchronized with each other (readers queue behind readers); no method ever makes
 * a writer wait. Cost of {@link #refresh()}: one pass over each live thread's counters (162 slots x 8 longs at 32
 * layers), plus, for each timed slot whose count changed since the last refresh, a rebuild proportional to the
 * index of that slot's largest value (about 1,500 buckets for millisecond durations). It does not depend on how many
 * records were made.
 *
 * <p>Dead threads: a recorder whose thread has ended is folded into the retired counters and histograms, then
 * dropped, so memory follows live threads, not threads ever seen.
 *
 * <p>Reset: writers never clear anything (a per-record check for a reset cost about 0.5 ns of a 7 ns record), so
 * their counts, and the retired ones, only grow from construction on ("raw"). {@link #reset} keeps what had been
 * counted so far as a baseline, raw counters and one histogram per slot, and everything reported is raw minus
 * baseline. A record made while a reset runs counts on one side of it or the other.
 */
public final class Aggregator {
    private static final Stage[] TIMED = Stage.timedStages().toArray(new Stage[0]);

    private final Recording recording;
    private final SlotLayout layout;
    private final LongSupplier nanoClock;
    private final int counterLength;

    private final long[] retired;
    private final Histogram[] retiredHistogram;
    // Raw counters and counts at the last reset; null histograms until a reset finds something in their slot.
    private long[] baseline;
    private final Histogram[] baselineHistogram;
    private long[] lastRaw;
    // Since the last reset, per timed slot; brought up to date by rebuild() when the slot's raw COUNT changed.
    private final Histogram[] merged;
    private final long[] mergedAtCount;
    // Raw SUM at the last rebuild and the highest non-zero bucket index found then (-1: none), per slot.
    private final long[] mergedAtSum;
    private final int[] mergedTop;
    private final LatencySummary[] slotLatency;
    private final Histogram[] stageMerged = new Histogram[Stage.values().length];
    private final LatencySummary[] stageLatency = new LatencySummary[Stage.values().length];

    // Interval state: what the previous closeInterval saw.
    private long[] intervalStartTotals;
    private final Histogram[] intervalStartStage = new Histogram[Stage.values().length];
    private final Histogram scratch = HdrLayout.newGrowingHistogram();
    private long intervalStartEpochMillis;
    private long intervalStartErrors;

    public Aggregator(Recording recording, LongSupplier nanoClock, long nowEpochMillis) {
        this.recording = recording;
        this.layout = recording.layout();
        this.nanoClock = nanoClock;
        this.counterLength = layout.slotCount() * SlotLayout.WIDTH;
        this.retired = new long[counterLength];
        this.retiredHistogram = new Histogram[layout.slotCount()];
        this.baseline = new long[counterLength];
        this.baselineHistogram = new Histogram[layout.slotCount()];
        this.lastRaw = new long[counterLength];
        this.merged = new Histogram[layout.slotCount()];
        this.mergedAtCount = new long[layout.slotCount()];
        this.mergedAtSum = new long[layout.slotCount()];
        this.mergedTop = new int[layout.slotCount()];
        Arrays.fill(mergedTop, -1);
        this.slotLatency = new LatencySummary[layout.slotCount()];
        this.intervalStartTotals = new long[counterLength];
        this.intervalStartEpochMillis = nowEpochMillis;
        for (Stage stage : TIMED) {
            stageMerged[stage.ordinal()] = HdrLayout.newGrowingHistogram();
            intervalStartStage[stage.ordinal()] = HdrLayout.newGrowingHistogram();
        }
    }

    /** Reads every recorder; reflects every record that happened-before this call. */
    public synchronized CumulativeSnapshot refresh() {
        foldDeadThreads();
        long[] raw = retired.clone();
        for (ThreadRecorder recorder : recording.recorders()) {
            addCounters(recorder, raw);
        }
        long[] totals = new long[counterLength];
        for (int i = 0; i < counterLength; i++) {
            totals[i] = raw[i] - baseline[i];
        }
        boolean[] stageDirty = new boolean[Stage.values().length];
        for (int slot = 0; slot < layout.slotCount(); slot++) {
            if (layout.isTimed(slot) && raw[slot * SlotLayout.WIDTH + SlotLayout.COUNT] != mergedAtCount[slot]) {
                rebuild(slot, raw, totals);
                stageDirty[layout.stageOf(slot).ordinal()] = true;
            }
        }
        lastRaw = raw;
        for (Stage stage : TIMED) {
            if (stageDirty[stage.ordinal()]) {
                stageLatency[stage.ordinal()] = stageSummary(stage, totals);
            }
        }
        return new CumulativeSnapshot(layout, totals, slotLatency.clone(), stageLatency.clone(), nanoClock.getAsLong());
    }

    /**
     * Closes the current interval: refreshes, then returns what was recorded since the previous call (or reset).
     * {@code errorsTotal} is the monitor's cumulative error count; {@code buffer} may be null; {@code resources} are
     * the resource samplers' latest values, attached as they are.
     */
    public synchronized IntervalSnapshot closeInterval(long nowEpochMillis, long errorsTotal, BufferReading buffer,
                                                       Map<String, Double> resources) {
        return closeInterval(nowEpochMillis, errorsTotal, buffer, resources, null);
    }

    /**
     * Closes the current interval as {@link #closeInterval(long, long, BufferReading, Map)} does and, when
     * {@code histogramsOut} is not null, puts into it, per timed stage that counted anything in the interval (indexed
     * by {@link Stage#ordinal()}), a copy of the interval's histogram (nanoseconds, the precision of {@link HdrLayout},
     * tagged with {@link Stage#key()}, start and end time stamps in epoch milliseconds). The copies cost one
     * histogram copy per such stage; the time series never keeps them.
     */
    public synchronized IntervalSnapshot closeInterval(long nowEpochMillis, long errorsTotal, BufferReading buffer,
                                                       Map<String, Double> resources, Histogram[] histogramsOut) {
        CumulativeSnapshot now = refresh();
        long[] totals = now.totals();
        StageInterval[] stages = new StageInterval[Stage.values().length];
        for (Stage stage : TIMED) {
            Histogram start = intervalStartStage[stage.ordinal()];
            Histogram current = stageMerged[stage.ordinal()];
            current.copyInto(scratch);
            scratch.subtract(start);
            long count = stageField(totals, stage, SlotLayout.COUNT) - stageField(intervalStartTotals, stage, SlotLayout.COUNT);
            long sum = stageField(totals, stage, SlotLayout.SUM) - stageField(intervalStartTotals, stage, SlotLayout.SUM);
            stages[stage.ordinal()] = count == 0 ? StageInterval.EMPTY : new StageInterval(count, sum,
                    scratch.getMaxValue(), scratch.getValueAtPercentile(50.0), scratch.getValueAtPercentile(99.0));
            if (histogramsOut != null && count > 0) {
                Histogram copy = scratch.copy();
                copy.setTag(stage.key());
                copy.setStartTimeStamp(intervalStartEpochMillis);
                copy.setEndTimeStamp(nowEpochMillis);
                histogramsOut[stage.ordinal()] = copy;
            }
            current.copyInto(start);
        }
        IntervalSnapshot interval = IntervalSnapshot.of(intervalStartEpochMillis, nowEpochMillis, stages,
                delta(totals, Stage.CAPTURE, SlotLayout.CAPTURE_STATES_CAPTURED),
                delta(totals, Stage.CAPTURE, SlotLayout.CAPTURE_STATES_STORED),
                delta(totals, Stage.RECONSTRUCTION, SlotLayout.RECONSTRUCTION_MEMORIES_USED),
                delta(totals, Stage.RETRIEVAL, SlotLayout.RETRIEVAL_CACHE_HITS),
                delta(totals, Stage.EVICTION, SlotLayout.EVICTION_ENTRIES), errorsTotal - intervalStartErrors,
                rejected(totals) - rejected(intervalStartTotals), buffer, resources);
        intervalStartTotals = totals;
        intervalStartEpochMillis = nowEpochMillis;
        intervalStartErrors = errorsTotal;
        return interval;
    }

    /**
     * Forgets everything recorded so far: brings every slot up to date, then moves what it holds into the baseline.
     * Writers are not stopped.
     */
    public synchronized void reset(long nowEpochMillis, long errorsTotal) {
        refresh();
        baseline = lastRaw;
        for (int slot = 0; slot < merged.length; slot++) {
            Histogram h = merged[slot];
            if (h != null && h.getTotalCount() > 0) {
                if (baselineHistogram[slot] == null) {
                    baselineHistogram[slot] = HdrLayout.newGrowingHistogram();
                }
                baselineHistogram[slot].add(h);
                h.reset();
            }
        }
        Arrays.fill(slotLatency, null);
        Arrays.fill(stageLatency, null);
        for (Stage stage : TIMED) {
            stageMerged[stage.ordinal()].reset();
            intervalStartStage[stage.ordinal()].reset();
        }
        intervalStartTotals = new long[counterLength];
        intervalStartEpochMillis = nowEpochMillis;
        intervalStartErrors = errorsTotal;
    }

    private void foldDeadThreads() {
        for (ThreadRecorder recorder : recording.recorders()) {
            // isAlive() == false happens-after everything the thread did, so its counts are final and visible.
            if (!recorder.owner().isAlive()) {
                addCounters(recorder, retired);
                for (int slot = 0; slot < layout.slotCount(); slot++) {
                    long[] counts = layout.isTimed(slot) ? recorder.bucketsAcquire(slot) : null;
                    if (counts != null) {
                        if (retiredHistogram[slot] == null) {
                            retiredHistogram[slot] = HdrLayout.newGrowingHistogram();
                        }
                        addCounts(retiredHistogram[slot], counts);
                    }
                }
                recording.retire(recorder);
            }
        }
    }

    /**
     * Adds one recorder's counters: each slot read at one of its record boundaries ({@link ThreadRecorder#addSlot}),
     * so every ratio of two fields of one slot (stored / captured, cache hits / retrievals, quality sum / samples) is
     * the ratio of what whole records added; the reject slot field by field (its fields stand alone).
     */
    private void addCounters(ThreadRecorder recorder, long[] into) {
        int rejectSlot = layout.rejectSlot();
        for (int slot = 0; slot < layout.slotCount(); slot++) {
            int index = slot * SlotLayout.WIDTH;
            if (slot == rejectSlot) {
                for (int field = 0; field < SlotLayout.WIDTH; field++) {
                    into[index + field] += recorder.counterAcquire(index + field);
                }
            } else {
                recorder.addSlot(slot, into, index);
            }
        }
    }

    /**
     * Brings the slot's merged histogram (and its stage's) up to the threads' current counts. Counts only grow, and
     * a dead thread's counts move to the retired histogram unchanged, so each bucket's raw sum is at least what the
     * baseline and the merged histogram hold together: the difference is recorded into both histograms.
     */
    private void rebuild(int slot, long[] raw, long[] totals) {
        Histogram h = merged[slot];
        if (h == null) {
            h = HdrLayout.newGrowingHistogram();
            merged[slot] = h;
        }
        Histogram stage = stageMerged[layout.stageOf(slot).ordinal()];
        Histogram retiredCounts = retiredHistogram[slot];
        Histogram base = baselineHistogram[slot];
        List<ThreadRecorder> recorders = recording.recorders();
        long[][] live = new long[recorders.size()][];
        int threads = 0;
        int at = slot * SlotLayout.WIDTH;
        // Nothing above the bucket of the largest value counted anywhere can be non-zero. Any value recorded since
        // the last rebuild is at most the growth of the slot's sum, so only the buckets from index(growth) down to
        // the previous top can have become the new top. (A record whose bucket is already stored but whose sum is
        // not yet is not in this read's COUNT either; the next rebuild's growth covers it.) A saturated or
        // shrunken sum falls back to scanning everything.
        long grown = raw[at + SlotLayout.SUM] - mergedAtSum[slot];
        boolean bounded = raw[at + SlotLayout.SUM] != Long.MAX_VALUE && grown >= 0;
        int scanFrom = bounded ? HdrLayout.index(grown) : Integer.MAX_VALUE;
        int top = mergedTop[slot];
        if (retiredCounts != null && retiredCounts.getTotalCount() > 0) {
            top = Math.max(top, HdrLayout.index(retiredCounts.getMaxValue()));
        }
        for (ThreadRecorder recorder : recorders) {
            long[] counts = recorder.bucketsAcquire(slot);
            if (counts != null) {
                live[threads++] = counts;
                top = Math.max(top,
                        ThreadRecorder.topIndexAcquire(counts, Math.min(scanFrom, counts.length - 1), top + 1));
            }
        }
        for (int i = 0; i <= top; i++) {
            long sum = retiredCounts == null ? 0 : HdrLayout.countAtIndex(retiredCounts, i);
            // Indexed loop: an iterator here would be allocated per bucket whenever C2 has not compiled this yet.
            for (int t = 0; t < threads; t++) {
                if (i < live[t].length) {
                    sum += ThreadRecorder.bucketAcquire(live[t], i);
                }
            }
            if (sum != 0) {
                long delta = sum - HdrLayout.countAtIndex(h, i) - (base == null ? 0 : HdrLayout.countAtIndex(base, i));
                if (delta > 0) {
                    long value = HdrLayout.valueAtIndex(i);
                    h.recordValueWithCount(value, delta);
                    stage.recordValueWithCount(value, delta);
                }
            }
        }
        mergedAtCount[slot] = raw[at + SlotLayout.COUNT];
        mergedAtSum[slot] = raw[at + SlotLayout.SUM];
        mergedTop[slot] = top;
        slotLatency[slot] = LatencySummary.of(totals[at + SlotLayout.COUNT], totals[at + SlotLayout.SUM], h);
    }

    /** Adds a dead writer's counts. */
    private static void addCounts(Histogram into, long[] counts) {
        int top = ThreadRecorder.topIndexAcquire(counts, counts.length - 1, 0);
        for (int i = 0; i <= top; i++) {
            long c = ThreadRecorder.bucketAcquire(counts, i);
            if (c != 0) {
                into.recordValueWithCount(HdrLayout.valueAtIndex(i), c);
            }
        }
    }

    private LatencySummary stageSummary(Stage stage, long[] totals) {
        return LatencySummary.of(stageField(totals, stage, SlotLayout.COUNT), stageField(totals, stage, SlotLayout.SUM),
                stageMerged[stage.ordinal()]);
    }

    private long stageField(long[] totals, Stage stage, int field) {
        return CumulativeSnapshot.total(layout, totals, stage, field);
    }

    private long delta(long[] totals, Stage stage, int field) {
        return stageField(totals, stage, field) - stageField(intervalStartTotals, stage, field);
    }

    private long rejected(long[] totals) {
        long sum = 0;
        int base = layout.rejectSlot() * SlotLayout.WIDTH;
        for (int field = 0; field < SlotLayout.WIDTH; field++) {
            sum += totals[base + field];
        }
        return sum;
    }
}
