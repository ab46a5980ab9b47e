package dev.cmr.bench;

import static org.bytedeco.opencl.global.OpenCL.CL_COMPLETE;
import static org.bytedeco.opencl.global.OpenCL.CL_EVENT_COMMAND_EXECUTION_STATUS;
import static org.bytedeco.opencl.global.OpenCL.CL_PROFILING_COMMAND_QUEUED;
import static org.bytedeco.opencl.global.OpenCL.CL_PROFILING_COMMAND_START;
import static org.bytedeco.opencl.global.OpenCL.clCreateUserEvent;
import static org.bytedeco.opencl.global.OpenCL.clEnqueueMarkerWithWaitList;
import static org.bytedeco.opencl.global.OpenCL.clFlush;
import static org.bytedeco.opencl.global.OpenCL.clGetEventInfo;
import static org.bytedeco.opencl.global.OpenCL.clGetEventProfilingInfo;
import static org.bytedeco.opencl.global.OpenCL.clReleaseEvent;
import static org.bytedeco.opencl.global.OpenCL.clSetUserEventStatus;

import dev.cmr.monitor.device.DeviceMarkBatch;
import dev.cmr.monitor.device.JournalSettings;
import dev.cmr.monitor.device.OpenClTimeline;
import java.lang.management.ManagementFactory;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.SizeTPointer;
import org.bytedeco.opencl._cl_event;

/**
 * The whole host-side cost of a device mark, from its enqueue until its timestamps are in the caller's variables,
 * four ways in one process, on one queue, one thread, interleaved batch by batch. It decides the mark-cost target:
 * libcmrprobe's overhead above the floor at most a third of the preset's, with 0 B/op on the Java side. The ways:
 *
 * <ul>
 *   <li><b>C floor</b> ({@link MarkFloor}, {@code native/markfloor_jni.c}): the bare vendor calls, timed in C.</li>
 *   <li><b>libcmrprobe</b>: {@code OpenClTimeline.mark} per mark, then {@code drain} until the batch is back
 *       ({@code POLL} mode, the default: the drain resolves on the calling thread). The journal's resolver thread
 *       runs as in production; its CPU time over the whole measurement (read from the kernel,
 *       {@link ResolverThreads}) is charged to the journal's marks on top of the calling thread's time.</li>
 *   <li><b>preset</b>: the C floor's calls through the JavaCPP opencl preset, written as a careful user would:
 *       pre-allocated {@code _cl_event}s and output pointers, results read through NIO views (no JNI per read).</li>
 *   <li><b>libcmrprobe from C</b>: {@code cmrp_journal_mark} and {@code cmrp_journal_drain} called from the same JNI
 *       library as the floor, on a second journal: the journal's own work without its JNI crossings.</li>
 * </ul>
 *
 * <p>A round runs one batch of {@value #BATCH} marks per way, in an order that cycles through eight arrangements
 * (each way in each position, and after each other way, equally often). Every batch waits behind a gate (see
 * {@link #batch}). A batch: timed, the enqueues and one {@code clFlush}; untimed, {@code clFinish} on the queue (the same blocking settle for
 * every way: how a batch was waited for moves PoCL's next enqueues by hundreds of ns); timed, the resolution
 * (status, START and QUEUED, release). Cost per mark = (enqueue + resolve time) / {@value #BATCH}. Reported: each
 * way's median over rounds; the per-round differences to the floor (the overheads), their medians with 95%
 * bootstrap intervals; and the ratio of the journal's overhead to the preset's, with its interval. Also the bytes
 * the calling thread allocated in the timed regions of the Java ways.
 *
 * <pre>java -cp target/benchmarks.jar dev.cmr.bench.MarkLifeCycle [rounds] [warm-up rounds]</pre>
 */
public final class MarkLifeCycle {
    static final int BATCH = 64;
    private static final String[] WAYS = {"C floor (bare vendor calls)", "libcmrprobe from Java (OpenClTimeline)",
        "preset (JavaCPP calls)", "libcmrprobe from C (its C ABI, no JNI)"};
    private static final int FLOOR = 0;
    private static final int JOURNAL = 1;
    private static final int PRESET = 2;
    private static final int C_JOURNAL = 3;
    /** Second phase only: the preset as written without reuse, objects allocated per mark. */
    private static final int PRESET_PER_MARK = 4;
    /** Each way runs first, second, third and last equally often, after each other way equally often. */
    private static final int[][] ORDERS = {{0, 1, 2, 3}, {1, 3, 0, 2}, {2, 0, 3, 1}, {3, 2, 1, 0},
        {3, 0, 2, 1}, {0, 2, 1, 3}, {1, 0, 3, 2}, {2, 3, 0, 1}};
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private final MarkQueue queue = new MarkQueue();
    private final long queueHandle = queue.queue.address();
    private final OpenClTimeline timeline = OpenClTimeline.open(queue.queue, JournalSettings.defaults());
    private final long cJournal = MarkFloor.openJournal(queueHandle);
    private final DeviceMarkBatch drained = new DeviceMarkBatch(BATCH);
    private final _cl_event[] events = new _cl_event[BATCH];
    private final IntPointer status = new IntPointer(1);
    private final LongPointer start = new LongPointer(1);
    private final LongPointer queued = new LongPointer(1);
    private final IntBuffer statusView = status.asBuffer();
    private final LongBuffer startView = start.asBuffer();
    private final LongBuffer queuedView = queued.asBuffer();
    private final _cl_event[] fresh = new _cl_event[BATCH];
    private final long[] starts = new long[BATCH];
    private final long[] queueds = new long[BATCH];
    private long nextTag = 1;
    private long journalMarks;
    private long checksum;
    /** Bytes the calling thread allocated in the timed regions, per Java way. */
    private final long[] allocated = new long[4];
    /** Measured batches in which the calling thread allocated, per way, and the first round with one. */
    private final long[] allocatingBatches = new long[4];
    private final int[] firstAllocatingRound = {-1, -1, -1, -1};
    /** Last batch: enqueue and resolve nanoseconds. */
    private long enqueueNanos;
    private long resolveNanos;
    private _cl_event gated;

    private MarkLifeCycle() {
        for (int i = 0; i < BATCH; i++) {
            events[i] = new _cl_event();
        }
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 4000;
        int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        MarkFloor.load();
        MarkLifeCycle bench = new MarkLifeCycle();
        try {
            bench.run(rounds, warmup);
        } finally {
            bench.close();
        }
    }

    private void run(int rounds, int warmup) {
        System.out.printf("MarkLifeCycle: %d rounds (after %d untimed) x 4 ways x %d marks, one queue, one thread%n",
                rounds, warmup, BATCH);
        for (int r = 0; r < warmup; r++) {
            for (int way : ORDERS[r % ORDERS.length]) {
                batch(way);
            }
        }
        Arrays.fill(allocated, 0);
        long journalMarksBefore = journalMarks;
        long[] resolverBefore = ResolverThreads.usage();
        double[][] cost = new double[4][rounds];
        double[][] enqueue = new double[4][rounds];
        double[][] resolve = new double[4][rounds];
        for (int r = 0; r < rounds; r++) {
            for (int way : ORDERS[r % ORDERS.length]) {
                long allocatedBefore = allocated[way];
                batch(way);
                if (allocated[way] != allocatedBefore) {
                    if (allocatingBatches[way]++ == 0) {
                        firstAllocatingRound[way] = r;
                    }
                }
                enqueue[way][r] = enqueueNanos / (double) BATCH;
                resolve[way][r] = resolveNanos / (double) BATCH;
                cost[way][r] = (enqueueNanos + resolveNanos) / (double) BATCH;
            }
        }
        long[] resolverAfter = ResolverThreads.usage();
        // Both journals' resolver threads, over both journals' marks (they mark equally often).
        long marks = 2 * (journalMarks - journalMarksBefore);
        double resolverPerMark = (resolverAfter[0] - resolverBefore[0]) / (double) marks;
        double wakesPerBatch = (resolverAfter[1] - resolverBefore[1]) / (double) rounds;
        double journalOverhead = report(rounds, cost, enqueue, resolve, resolverPerMark, wakesPerBatch, marks);
        perMarkObjects(rounds / 4, journalOverhead);
    }

    /**
     * Second phase, after the main one so that its garbage and native frees do not disturb it: the floor against
     * the preset written without reuse (a new {@code _cl_event} per mark, new output pointers per query, closed after
     * use, read with {@code get()}), alternating. Only for reference: the target is judged against the careful
     * preset above, the stronger comparison.
     */
    private void perMarkObjects(int rounds, double journalOverhead) {
        double[] floor = new double[rounds];
        double[] naive = new double[rounds];
        for (int r = -rounds / 4; r < rounds; r++) {
            for (int way : (r & 1) == 0 ? new int[] {FLOOR, PRESET_PER_MARK} : new int[] {PRESET_PER_MARK, FLOOR}) {
                batch(way);
                if (r >= 0) {
                    (way == FLOOR ? floor : naive)[r] = (enqueueNanos + resolveNanos) / (double) BATCH;
                }
            }
        }
        double over = Stats.median(difference(naive, floor, 0));
        System.out.printf("%nFor reference, the preset with objects allocated per mark (%d rounds against the floor): "
                + "%.1f ns per mark, %+.1f ns above the floor; libcmrprobe's overhead (above) / this one: %.3f%n",
                rounds, Stats.median(naive), over, journalOverhead / over);
    }

    /**
     * A batch's markers wait behind a gate, as marks in production wait behind the kernels before them: untimed, a
     * marker that waits for a user event goes first, and the user event completes only after the timed enqueues.
     * Without it PoCL's workers run each marker as it arrives and contend with the enqueue loop for the queue's
     * lock, by an amount that varies from batch to batch.
     */
    private void batch(int way) {
        int[] err = new int[1];
        _cl_event open = clCreateUserEvent(queue.context, err);
        MarkQueue.check(err[0], "clCreateUserEvent");
        _cl_event gate = new _cl_event();
        MarkQueue.check(clEnqueueMarkerWithWaitList(queue.queue, 1, open, gate), "clEnqueueMarkerWithWaitList (gate)");
        gated = open;
        markBatch(way);
        MarkQueue.check(clReleaseEvent(gate), "clReleaseEvent (gate)");
        MarkQueue.check(clReleaseEvent(open), "clReleaseEvent (user event)");
    }

    /** Opens the gate (untimed): the batch's markers may run now. */
    private void openGate() {
        MarkQueue.check(clSetUserEventStatus(gated, CL_COMPLETE), "clSetUserEventStatus");
    }

    private void markBatch(int way) {
        switch (way) {
            case FLOOR -> floorBatch();
            case JOURNAL -> journalBatch();
            case C_JOURNAL -> cJournalBatch();
            case PRESET_PER_MARK -> presetPerMarkBatch();
            default -> presetBatch();
        }
    }

    private void floorBatch() {
        enqueueNanos = MarkFloor.enqueueBatch(queueHandle, BATCH);
        openGate();
        queue.finish();
        resolveNanos = MarkFloor.resolveBatch();
    }

    private void cJournalBatch() {
        enqueueNanos = MarkFloor.journalEnqueueBatch(cJournal, queueHandle, BATCH);
        openGate();
        queue.finish();
        resolveNanos = MarkFloor.journalResolveBatch(cJournal);
    }

    private void journalBatch() {
        long bytes = THREADS.getCurrentThreadAllocatedBytes();
        long t0 = System.nanoTime();
        long first = nextTag;
        int failed = 0;
        for (int i = 0; i < BATCH; i++) {
            if (!timeline.mark(queue.queue, nextTag++)) {
                failed++;
            }
        }
        clFlush(queue.queue);
        long t1 = System.nanoTime();
        allocated[JOURNAL] += THREADS.getCurrentThreadAllocatedBytes() - bytes;
        openGate();
        queue.finish();
        bytes = THREADS.getCurrentThreadAllocatedBytes();
        long t2 = System.nanoTime();
        int got = 0;
        long sum = 0;
        while (got < BATCH && failed == 0) {
            int n = timeline.drain(drained);
            for (int i = 0; i < n; i++) {
                if (drained.tag(i) != first + got + i) {
                    throw new IllegalStateException(
                            "expected mark " + (first + got + i) + ", drained " + drained.tag(i));
                }
                sum += drained.deviceNanos(i) - drained.queuedNanos(i);
            }
            got += n;
        }
        long t3 = System.nanoTime();
        allocated[JOURNAL] += THREADS.getCurrentThreadAllocatedBytes() - bytes;
        if (failed != 0) {
            throw new IllegalStateException(failed + " marks not enqueued: dropped " + timeline.droppedMarks()
                    + ", failed " + timeline.failedMarks() + ", " + timeline.lastError());
        }
        checksum += sum;
        journalMarks += BATCH;
        enqueueNanos = t1 - t0;
        resolveNanos = t3 - t2;
    }

    private void presetBatch() {
        long bytes = THREADS.getCurrentThreadAllocatedBytes();
        long t0 = System.nanoTime();
        int rc = 0;
        for (int i = 0; i < BATCH; i++) {
            rc |= clEnqueueMarkerWithWaitList(queue.queue, 0, (_cl_event) null, events[i]);
        }
        rc |= clFlush(queue.queue);
        long t1 = System.nanoTime();
        allocated[PRESET] += THREADS.getCurrentThreadAllocatedBytes() - bytes;
        MarkQueue.check(rc, "clEnqueueMarkerWithWaitList or clFlush");
        openGate();
        queue.finish();
        bytes = THREADS.getCurrentThreadAllocatedBytes();
        long t2 = System.nanoTime();
        for (int i = 0; i < BATCH; i++) {
            _cl_event event = events[i];
            rc |= clGetEventInfo(event, CL_EVENT_COMMAND_EXECUTION_STATUS, 4, status, (SizeTPointer) null);
            if (statusView.get(0) != CL_COMPLETE) {
                rc |= 1 << 30;
            }
            rc |= clGetEventProfilingInfo(event, CL_PROFILING_COMMAND_START, 8, start, (SizeTPointer) null);
            rc |= clGetEventProfilingInfo(event, CL_PROFILING_COMMAND_QUEUED, 8, queued, (SizeTPointer) null);
            starts[i] = startView.get(0);
            queueds[i] = queuedView.get(0);
            rc |= clReleaseEvent(event);
        }
        long t3 = System.nanoTime();
        allocated[PRESET] += THREADS.getCurrentThreadAllocatedBytes() - bytes;
        MarkQueue.check(rc, "resolving preset markers (status, profiling info, release)");
        for (int i = 0; i < BATCH; i++) {
            checksum += starts[i] - queueds[i];
        }
        enqueueNanos = t1 - t0;
        resolveNanos = t3 - t2;
    }

    private void presetPerMarkBatch() {
        long t0 = System.nanoTime();
        int rc = 0;
        for (int i = 0; i < BATCH; i++) {
            _cl_event event = new _cl_event();
            rc |= clEnqueueMarkerWithWaitList(queue.queue, 0, (_cl_event) null, event);
            fresh[i] = event;
        }
        rc |= clFlush(queue.queue);
        long t1 = System.nanoTime();
        MarkQueue.check(rc, "clEnqueueMarkerWithWaitList or clFlush");
        openGate();
        queue.finish();
        long t2 = System.nanoTime();
        for (int i = 0; i < BATCH; i++) {
            try (IntPointer state = new IntPointer(1);
                 LongPointer begun = new LongPointer(1);
                 LongPointer enqueued = new LongPointer(1)) {
                rc |= clGetEventInfo(fresh[i], CL_EVENT_COMMAND_EXECUTION_STATUS, 4, state, (SizeTPointer) null);
                if (state.get() != CL_COMPLETE) {
                    rc |= 1 << 30;
                }
                rc |= clGetEventProfilingInfo(fresh[i], CL_PROFILING_COMMAND_START, 8, begun, (SizeTPointer) null);
                rc |= clGetEventProfilingInfo(fresh[i], CL_PROFILING_COMMAND_QUEUED, 8, enqueued, (SizeTPointer) null);
                starts[i] = begun.get();
                queueds[i] = enqueued.get();
            }
            rc |= clReleaseEvent(fresh[i]);
        }
        long t3 = System.nanoTime();
        MarkQueue.check(rc, "resolving preset markers (status, profiling info, release)");
        for (int i = 0; i < BATCH; i++) {
            checksum += starts[i] - queueds[i];
        }
        enqueueNanos = t1 - t0;
        resolveNanos = t3 - t2;
    }

    /** Prints the tables; returns libcmrprobe's overhead (calling thread + resolver), ns per mark. */
    private double report(int rounds, double[][] cost, double[][] enqueue, double[][] resolve, double resolverPerMark,
                        double wakesPerBatch, long journalMarks) {
        System.out.printf("%n### Cost of a mark's life on the calling thread (ns per mark; median over %d rounds)%n%n",
                rounds);
        System.out.println(
                "| way | enqueue + flush | resolve (status, START, QUEUED, release) | total | quartiles of total |");
        System.out.println("|---|---:|---:|---:|---:|");
        for (int way = 0; way < 4; way++) {
            double[] sorted = cost[way].clone();
            Arrays.sort(sorted);
            System.out.printf("| %s | %.1f | %.1f | %.1f | %.1f..%.1f |%n", WAYS[way], Stats.median(enqueue[way]),
                    Stats.median(resolve[way]), Stats.median(cost[way]), sorted[rounds / 4], sorted[3 * rounds / 4]);
        }
        System.out.printf("%nlibcmrprobe's resolver thread: %.1f ns of CPU per journal mark (%d marks), %.2f wake-ups "
                + "per round%n", resolverPerMark, journalMarks, wakesPerBatch);
        double[] journalOver = difference(cost[JOURNAL], cost[FLOOR], resolverPerMark);
        double[] presetOver = difference(cost[PRESET], cost[FLOOR], 0);
        double[] journalCallerOver = difference(cost[JOURNAL], cost[FLOOR], 0);
        double[] cJournalOver = difference(cost[C_JOURNAL], cost[FLOOR], 0);
        SplittableRandom random = new SplittableRandom(17);
        int resamples = 2000;
        double[] bj = new double[resamples];
        double[] bp = new double[resamples];
        double[] ratio = new double[resamples];
        double[] sj = new double[rounds];
        double[] sp = new double[rounds];
        for (int b = 0; b < resamples; b++) {
            for (int i = 0; i < rounds; i++) {
                int k = random.nextInt(rounds);
                sj[i] = journalOver[k];
                sp[i] = presetOver[k];
            }
            bj[b] = Stats.median(sj);
            bp[b] = Stats.median(sp);
            ratio[b] = bj[b] / bp[b];
        }
        Arrays.sort(bj);
        Arrays.sort(bp);
        Arrays.sort(ratio);
        double medJ = Stats.median(journalOver);
        double medP = Stats.median(presetOver);
        System.out.printf("%n### Overhead above the C floor (per-round differences, ns per mark)%n%n");
        System.out.println("| way | median | 95% bootstrap interval |");
        System.out.println("|---|---:|---:|");
        System.out.printf("| libcmrprobe, calling thread only | %.1f | |%n", Stats.median(journalCallerOver));
        System.out.printf("| libcmrprobe, calling thread + resolver thread | %.1f | %.1f..%.1f |%n", medJ,
                lo(bj), hi(bj));
        System.out.printf("| preset | %.1f | %.1f..%.1f |%n", medP, lo(bp), hi(bp));
        System.out.printf("| libcmrprobe from C, calling thread only (no JNI: the journal's own work) | %.1f | |%n",
                Stats.median(cJournalOver));
        System.out.printf("%nlibcmrprobe overhead / preset overhead: %.3f, 95%% bootstrap interval %.3f..%.3f; "
                + "target <= 0.333: %s%n", medJ / medP, lo(ratio), hi(ratio),
                hi(ratio) <= 1 / 3.0 ? "met (whole interval)" : medJ / medP <= 1 / 3.0 ? "met by the estimate only"
                        : "NOT met");
        long javaMarks = (long) rounds * BATCH;
        System.out.printf("bytes allocated by the calling thread in the timed regions: libcmrprobe %d (%.4f B/mark; "
                + "in %d of %d batches, first in round %d), preset %d (%.4f B/mark; in %d batches, first in round "
                + "%d)%n",
                allocated[JOURNAL], allocated[JOURNAL] / (double) javaMarks, allocatingBatches[JOURNAL], rounds,
                firstAllocatingRound[JOURNAL], allocated[PRESET], allocated[PRESET] / (double) javaMarks,
                allocatingBatches[PRESET], firstAllocatingRound[PRESET]);
        System.out.printf("timeline: %d enqueued, %d resolved, %d dropped, %d failed; checksums %d / %d%n",
                timeline.enqueuedMarks(), timeline.resolvedMarks(), timeline.droppedMarks(), timeline.failedMarks(),
                checksum, MarkFloor.checksum());
        return medJ;
    }

    private static double[] difference(double[] a, double[] b, double add) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i] - b[i] + add;
        }
        return d;
    }

    private static double lo(double[] sorted) {
        return sorted[(int) (sorted.length * 0.025)];
    }

    private static double hi(double[] sorted) {
        return sorted[(int) (sorted.length * 0.975)];
    }

    private void close() {
        queue.finish();
        MarkFloor.journalClose(cJournal);
        timeline.close();
        queue.close();
        status.close();
        start.close();
        queued.close();
    }
}
