package dev.cmr.bench;

import dev.cmr.monitor.MonitoringConfig;
import dev.cmr.monitor.record.DurationRecorder;
import dev.cmr.monitor.record.Recording;
import dev.cmr.monitor.record.SlotLayout;
import dev.cmr.monitor.record.Stage;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Cost of one profiled layer span beside a plain layer record, in one invocation, through the pre-bound layer
 * recorder the reference runtime uses ({@link DurationRecorder}):
 * <ul>
 *   <li>the record alone, from pre-generated durations and timestamps ({@link Inputs}): {@code record} (the plain
 *       duration form), {@code span_noBlock} (the span form, no profiled block open: one field load and branch
 *       more), {@code span_inBlock} (a block open: the span is appended to the thread's buffer) and
 *       {@code span_inBlock_memory} (the same with {@code profile_memory}: plus a read of the thread's allocation
 *       counter);</li>
 *   <li>enter and exit as a model pays them, two {@code System.nanoTime()} reads plus the record: {@code clocks}
 *       (the two reads alone, the floor), {@code enterExit_record}, {@code enterExit_span_inBlock},
 *       {@code enterExit_span_inBlock_memory}.</li>
 * </ul>
 * The block is opened and closed through {@link Recording#openBlockSpans} / {@link Recording#closeBlockSpans}, what
 * a {@code ProfileBlock} does at its open and close minus building the pass: every variant reopens it every
 * {@value #SPANS_PER_BLOCK} calls (variants without a block pay the same countdown and a close that finds nothing
 * open), so the buffer ({@code max_profile_spans} at its default) never fills and no span is dropped. Each variant
 * has its own {@link Recording}, one layer slot, warmed before measuring.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
@Threads(1)
public class SpanBenchmark {
    static final int SPANS_PER_BLOCK = 4096;
    static final int MAX_SPANS = MonitoringConfig.defaults().maxProfileSpans();

    /** One thread's recording, its layer handle, inputs, and whether (and how) it keeps a block open. */
    public abstract static class Side {
        final Recording recording = new Recording(new SlotLayout(32));
        final DurationRecorder layer = recording.durationRecorder(Stage.LAYER, 3);
        private final boolean inBlock;
        private final boolean memory;
        long[] nanos;
        long[] starts;
        int index;
        int left = 1;

        Side(boolean inBlock, boolean memory) {
            this.inBlock = inBlock;
            this.memory = memory;
        }

        @Setup(Level.Trial)
        public void setUp() {
            long seed = Inputs.nextSeed();
            nanos = Inputs.nanos(seed);
            starts = new long[nanos.length];
            long t = System.nanoTime();
            for (int i = 0; i < starts.length; i++) {
                starts[i] = t;
                t += nanos[i] + 100;
            }
            layer.record(1); // the thread's recorder and the slot's counts exist before measuring
        }

        /** The next input's index; reopens the block every SPANS_PER_BLOCK calls. */
        int next() {
            if (--left == 0) {
                recording.closeBlockSpans();
                if (inBlock) {
                    recording.openBlockSpans(MAX_SPANS, memory);
                }
                left = SPANS_PER_BLOCK;
            }
            int i = (index + 1) & Inputs.MASK;
            index = i;
            return i;
        }
    }

    @State(Scope.Thread)
    public static class NoBlock extends Side {
        public NoBlock() {
            super(false, false);
        }
    }

    @State(Scope.Thread)
    public static class InBlock extends Side {
        public InBlock() {
            super(true, false);
        }
    }

    @State(Scope.Thread)
    public static class InBlockMemory extends Side {
        public InBlockMemory() {
            super(true, true);
        }
    }

    // ---- the record alone ----

    @Benchmark
    public void record(NoBlock s) {
        int i = s.next();
        s.layer.record(s.nanos[i]);
    }

    @Benchmark
    public void span_noBlock(NoBlock s) {
        span(s);
    }

    @Benchmark
    public void span_inBlock(InBlock s) {
        span(s);
    }

    @Benchmark
    public void span_inBlock_memory(InBlockMemory s) {
        span(s);
    }

    /** The span form from pre-generated timestamps; inlined into each benchmark method. */
    private static void span(Side s) {
        int i = s.next();
        long start = s.starts[i];
        s.layer.recordSpan(start, start + s.nanos[i]);
    }

    // ---- enter and exit: two clock reads plus the record ----

    @Benchmark
    public void clocks(NoBlock s, Blackhole bh) {
        s.next();
        long start = System.nanoTime();
        long end = System.nanoTime();
        bh.consume(end - start);
    }

    @Benchmark
    public void enterExit_record(NoBlock s) {
        s.next();
        long start = System.nanoTime();
        long end = System.nanoTime();
        s.layer.record(end - start);
    }

    @Benchmark
    public void enterExit_span_inBlock(InBlock s) {
        enterExitSpan(s);
    }

    @Benchmark
    public void enterExit_span_inBlock_memory(InBlockMemory s) {
        enterExitSpan(s);
    }

    /** A layer's enter and exit clock reads and its span; inlined into each benchmark method. */
    private static void enterExitSpan(Side s) {
        s.next();
        long start = System.nanoTime();
        long end = System.nanoTime();
        s.layer.recordSpan(start, end);
    }
}
