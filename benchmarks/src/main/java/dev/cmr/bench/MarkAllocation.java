package dev.cmr.bench;

import java.lang.management.ManagementFactory;

/**
 * Bytes allocated on the calling thread per mark, for each Java way of {@link MarkBenchmark}: what JMH's
 * {@code gc.alloc.rate.norm} cannot show, since it divides the allocation of every thread of the JVM (JMH's own
 * sampling and iteration bookkeeping included) by the operations. Runs each way through the benchmark's own state
 * classes and methods: a warm-up (the state's setup plus {@code WARMUP} more operations, so that the path is
 * compiled), then {@code MEASURED} operations between two reads of
 * {@code ThreadMXBean.getCurrentThreadAllocatedBytes()}.
 *
 * <p>{@code java -cp target/benchmarks.jar dev.cmr.bench.MarkAllocation}
 */
public final class MarkAllocation {
    private static final int WARMUP = 20_480; // multiples of MarkBenchmark.BATCH
    private static final int MEASURED = 20_480;

    private MarkAllocation() {
    }

    public static void main(String[] args) {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        MarkBenchmark bench = new MarkBenchmark();
        System.out.println("| way | operations | B allocated on the calling thread | B/op |");
        System.out.println("|---|---:|---:|---:|");

        MarkBenchmark.JournalBatchState journalBatch = new MarkBenchmark.JournalBatchState();
        journalBatch.open();
        long bytes = measure(mx, () -> {
            bench.markJournal(journalBatch);
            journalBatch.settleBatch();
        }, MarkBenchmark.BATCH);
        journalBatch.close();
        print("markJournal (timeline.mark; settle between batches included)", bytes);

        MarkBenchmark.PresetBatchState presetBatch = new MarkBenchmark.PresetBatchState();
        presetBatch.open();
        bytes = measure(mx, () -> {
            bench.markPreset(presetBatch);
            presetBatch.releaseBatch();
        }, MarkBenchmark.BATCH);
        presetBatch.close();
        print("markPreset (clEnqueueMarkerWithWaitList; wait + release between batches included)", bytes);

        MarkBenchmark.JournalState journal = new MarkBenchmark.JournalState();
        journal.open();
        bytes = measure(mx, () -> bench.roundTripJournal(journal), 1);
        journal.close();
        print("roundTripJournal (mark, clFlush, drain until back)", bytes);

        MarkBenchmark.PresetState preset = new MarkBenchmark.PresetState();
        preset.open();
        bytes = measure(mx, () -> bench.roundTripPreset(preset), 1);
        preset.close();
        print("roundTripPreset (enqueue, clFlush, poll status, profiling info, release)", bytes);
    }

    /** Runs op until WARMUP and then MEASURED marks were made; returns the bytes allocated during the latter. */
    private static long measure(com.sun.management.ThreadMXBean mx, Runnable op, int marksPerOp) {
        for (int i = 0; i < WARMUP / marksPerOp; i++) {
            op.run();
        }
        long before = mx.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < MEASURED / marksPerOp; i++) {
            op.run();
        }
        return mx.getCurrentThreadAllocatedBytes() - before;
    }

    private static void print(String way, long bytes) {
        System.out.printf("| %s | %,d marks | %,d | %.3f |%n", way, MEASURED, bytes, (double) bytes / MEASURED);
    }
}
