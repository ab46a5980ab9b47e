package dev.cmr.bench;

import static org.bytedeco.opencl.global.OpenCL.CL_COMPLETE;
import static org.bytedeco.opencl.global.OpenCL.CL_EVENT_COMMAND_EXECUTION_STATUS;
import static org.bytedeco.opencl.global.OpenCL.CL_PROFILING_COMMAND_QUEUED;
import static org.bytedeco.opencl.global.OpenCL.CL_PROFILING_COMMAND_START;
import static org.bytedeco.opencl.global.OpenCL.clEnqueueMarkerWithWaitList;
import static org.bytedeco.opencl.global.OpenCL.clFlush;
import static org.bytedeco.opencl.global.OpenCL.clGetEventInfo;
import static org.bytedeco.opencl.global.OpenCL.clGetEventProfilingInfo;
import static org.bytedeco.opencl.global.OpenCL.clReleaseEvent;
import static org.bytedeco.opencl.global.OpenCL.clWaitForEvents;

import dev.cmr.monitor.device.DeviceMarkBatch;
import dev.cmr.monitor.device.JournalSettings;
import dev.cmr.monitor.device.OpenClTimeline;
import java.util.concurrent.TimeUnit;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.SizeTPointer;
import org.bytedeco.opencl._cl_event;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of one OpenCL device mark from Java, through libcmrprobe ({@link OpenClTimeline}) and through direct
 * JavaCPP opencl-preset calls, on a profiling queue of the first OpenCL device (PoCL here). The bare C floor is
 * {@code native/markfloor.c}, run by {@code ./run.sh marks} right before and after this benchmark.
 *
 * <ul>
 *   <li>{@code mark*} (average time, ns per mark): the calling thread's cost of a mark, in batches of
 *       {@value #BATCH} marks per invocation. Between invocations, untimed, every mark of the batch is completed
 *       and released (and, for the journal, resolved and drained), so each batch starts on an empty queue and a
 *       free pool: nothing is dropped, which a teardown check asserts.
 *       <ul>
 *         <li>{@code markJournal}: {@code timeline.mark(queue, tag)}; the journal's resolver thread runs
 *             meanwhile, as in production.</li>
 *         <li>{@code markPreset}: {@code clEnqueueMarkerWithWaitList(queue, 0, null, event[i])}, the event kept
 *             for reading later: what a user of the preset pays on the calling thread.</li>
 *       </ul></li>
 *   <li>{@code roundTrip*} (sample time, µs per mark): one mark at a time, from the enqueue until its device
 *       timestamp is in a Java variable.
 *       <ul>
 *         <li>{@code roundTripJournal}: mark, {@code clFlush}, then {@code timeline.drain(batch)} in a spin loop
 *             until the mark comes back. In {@code POLL} mode (the default) the drain polls the markers' status
 *             itself, on the calling thread, besides the journal's resolver thread, so the resolver's sleeping
 *             backoff does not set this latency.</li>
 *         <li>{@code roundTripPreset}: enqueue, {@code clFlush}, spin on {@code clGetEventInfo(STATUS)} (the
 *             journal's completion test, on the calling thread, without sleeping),
 *             {@code clGetEventProfilingInfo} START and QUEUED, {@code clReleaseEvent}.</li>
 *       </ul></li>
 * </ul>
 *
 * <p>Every state is warmed up with {@value #WARMUP_TRIPS} round trips in its setup (the queue's first markers, the
 * driver's event allocation, the JIT of the Java path) before JMH's own warm-up iterations.
 */
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
@Threads(1)
public class MarkBenchmark {
    static final int BATCH = 64;
    static final int WARMUP_TRIPS = 5000;

    /** A timeline on its own queue, for round trips. */
    @State(Scope.Thread)
    public static class JournalState {
        MarkQueue queue;
        OpenClTimeline timeline;
        final DeviceMarkBatch batch = new DeviceMarkBatch(256);
        long nextTag = 1;
        long expectedMarks;

        @Setup(Level.Trial)
        public void open() {
            queue = new MarkQueue();
            timeline = OpenClTimeline.open(queue.queue, JournalSettings.defaults());
            for (int i = 0; i < WARMUP_TRIPS; i++) {
                roundTrip(this);
            }
        }

        /**
         * Waits (untimed) until every mark made so far is resolved, and drains them. Blocks in clFinish first, as
         * the preset way blocks in clWaitForEvents: how a batch was waited for changes the next enqueues' cost on
         * PoCL (see native/markfloor.c), so every way waits the same way.
         */
        void settle() {
            queue.finish();
            while (timeline.resolvedMarks() < expectedMarks) {
                timeline.drain(batch);
            }
            while (timeline.drain(batch) > 0) {
                // empty the ring
            }
        }

        @TearDown(Level.Trial)
        public void close() {
            settle();
            long enqueued = timeline.enqueuedMarks();
            String counts = "marks expected " + expectedMarks + ", enqueued " + enqueued + ", resolved "
                    + timeline.resolvedMarks() + ", dropped " + timeline.droppedMarks() + ", failed "
                    + timeline.failedMarks() + ", clock anchors " + timeline.clockAnchors();
            System.out.println("[marks] journal: " + counts);
            timeline.close();
            queue.close();
            if (enqueued != expectedMarks || timeline.droppedMarks() != 0 || timeline.failedMarks() != 0) {
                throw new IllegalStateException("journal lost marks: " + counts);
            }
        }
    }

    /** A timeline for batches of marks: each batch is settled after its invocation. */
    @State(Scope.Thread)
    public static class JournalBatchState extends JournalState {
        @TearDown(Level.Invocation)
        public void settleBatch() {
            settle();
        }
    }

    /** A queue driven through the preset alone, for round trips. */
    @State(Scope.Thread)
    public static class PresetState {
        MarkQueue queue;
        final _cl_event event = new _cl_event();
        final IntPointer status = new IntPointer(1);
        final LongPointer start = new LongPointer(1);
        final LongPointer queued = new LongPointer(1);
        long trips;

        @Setup(Level.Trial)
        public void open() {
            queue = new MarkQueue();
            for (int i = 0; i < WARMUP_TRIPS; i++) {
                presetRoundTrip(this);
            }
        }

        @TearDown(Level.Trial)
        public void close() {
            System.out.println("[marks] preset: " + trips + " round trips (warm-up included)");
            queue.close();
            status.close();
            start.close();
            queued.close();
        }
    }

    /** A queue for batches of preset marks: the batch's events are waited for and released after each invocation. */
    @State(Scope.Thread)
    public static class PresetBatchState {
        MarkQueue queue;
        final _cl_event[] events = new _cl_event[BATCH];

        @Setup(Level.Trial)
        public void open() {
            queue = new MarkQueue();
            for (int i = 0; i < BATCH; i++) {
                events[i] = new _cl_event();
            }
            for (int i = 0; i < WARMUP_TRIPS / BATCH; i++) {
                enqueueBatch(this);
                releaseBatch();
            }
        }

        @TearDown(Level.Invocation)
        public void releaseBatch() {
            queue.flush();
            for (_cl_event e : events) {
                MarkQueue.check(clWaitForEvents(1, e), "clWaitForEvents");
                MarkQueue.check(clReleaseEvent(e), "clReleaseEvent");
            }
        }

        @TearDown(Level.Trial)
        public void close() {
            queue.close();
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    @OperationsPerInvocation(BATCH)
    public int markJournal(JournalBatchState s) {
        int enqueued = 0;
        for (int i = 0; i < BATCH; i++) {
            if (s.timeline.mark(s.queue.queue, s.nextTag++)) {
                enqueued++;
            }
        }
        s.expectedMarks += BATCH;
        return enqueued;
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    @OperationsPerInvocation(BATCH)
    public int markPreset(PresetBatchState s) {
        return enqueueBatch(s);
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public long roundTripJournal(JournalState s) {
        return roundTrip(s);
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public long roundTripPreset(PresetState s) {
        return presetRoundTrip(s);
    }

    static int enqueueBatch(PresetBatchState s) {
        int rc = 0;
        for (int i = 0; i < BATCH; i++) {
            rc |= clEnqueueMarkerWithWaitList(s.queue.queue, 0, (_cl_event) null, s.events[i]);
        }
        if (rc != 0) {
            throw new IllegalStateException("clEnqueueMarkerWithWaitList failed: " + rc);
        }
        return rc;
    }

    static long roundTrip(JournalState s) {
        long tag = s.nextTag++;
        if (!s.timeline.mark(s.queue.queue, tag)) {
            throw new IllegalStateException("mark " + tag + " not enqueued: " + s.timeline.lastError());
        }
        s.expectedMarks++;
        clFlush(s.queue.queue);
        while (s.timeline.drain(s.batch) == 0) {
            // spin: the resolver thread, not this one, decides when the mark is back
        }
        if (s.batch.size() != 1 || s.batch.tag(0) != tag) {
            throw new IllegalStateException("expected mark " + tag + " alone, drained " + s.batch.size());
        }
        return s.batch.deviceNanos(0);
    }

    static long presetRoundTrip(PresetState s) {
        int rc = clEnqueueMarkerWithWaitList(s.queue.queue, 0, (_cl_event) null, s.event);
        if (rc != 0) {
            throw new IllegalStateException("clEnqueueMarkerWithWaitList failed: " + rc);
        }
        clFlush(s.queue.queue);
        do {
            rc = clGetEventInfo(s.event, CL_EVENT_COMMAND_EXECUTION_STATUS, 4, s.status, (SizeTPointer) null);
        } while (rc == 0 && s.status.get() > CL_COMPLETE);
        if (rc == 0 && s.status.get() < 0) {
            rc = s.status.get();
        }
        if (rc == 0) {
            rc = clGetEventProfilingInfo(s.event, CL_PROFILING_COMMAND_START, 8, s.start, (SizeTPointer) null);
        }
        if (rc == 0) {
            rc = clGetEventProfilingInfo(s.event, CL_PROFILING_COMMAND_QUEUED, 8, s.queued, (SizeTPointer) null);
        }
        clReleaseEvent(s.event);
        if (rc != 0) {
            throw new IllegalStateException("marker round trip failed: OpenCL error " + rc);
        }
        s.trips++;
        return s.start.get() - s.queued.get();
    }
}
