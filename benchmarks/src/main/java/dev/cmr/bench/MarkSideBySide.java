package dev.cmr.bench;

import java.util.Arrays;

/**
 * The Java ways of {@link MarkBenchmark}, alternating inside one JVM in the same pattern and table format as the C
 * harness ({@code native/markfloor.c}), so that their ratio survives the load changes that separate JMH's forks
 * on this shared machine: every repetition runs {@value #BATCHES_PER_REP} batches of {@value MarkBenchmark#BATCH}
 * marks per mark way (only the marking timed, {@link System#nanoTime()} around each batch; the batch is settled
 * untimed afterwards) and {@value #TRIPS_PER_REP} round trips per round-trip way (each timed). The operations are
 * MarkBenchmark's own methods and states, warmed up by the states' setup and one untimed repetition.
 *
 * <p>{@code java -cp target/benchmarks.jar dev.cmr.bench.MarkSideBySide [repetitions]} (default 20)
 */
public final class MarkSideBySide {
    private static final int BATCHES_PER_REP = 200;
    private static final int TRIPS_PER_REP = 2000;
    private static final String[] MARK_WAYS = {
        "Java, libcmrprobe: OpenClTimeline.mark", "Java, preset: clEnqueueMarkerWithWaitList"};
    private static final String[] TRIP_WAYS = {
        "Java, libcmrprobe: mark, clFlush, spin on drain", "Java, preset: enqueue, clFlush, spin on clGetEventInfo"};

    private MarkSideBySide() {
    }

    public static void main(String[] args) {
        int reps = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        MarkBenchmark bench = new MarkBenchmark();
        MarkBenchmark.JournalBatchState journalBatch = new MarkBenchmark.JournalBatchState();
        MarkBenchmark.PresetBatchState presetBatch = new MarkBenchmark.PresetBatchState();
        MarkBenchmark.JournalState journal = new MarkBenchmark.JournalState();
        MarkBenchmark.PresetState preset = new MarkBenchmark.PresetState();
        journalBatch.open();
        presetBatch.open();
        journal.open();
        preset.open();
        System.out.printf("MarkSideBySide: %d repetitions; mark cost: %d batches of %d marks per repetition; "
                + "round trip: %d marks per repetition; one untimed repetition first%n%n", reps, BATCHES_PER_REP,
                MarkBenchmark.BATCH, TRIPS_PER_REP);

        double[][] markMeans = new double[2][reps];
        double[][] tripMeans = new double[2][reps];
        long[][] trips = new long[2][reps * TRIPS_PER_REP];
        long sink = 0;
        for (int r = -1; r < reps; r++) {
            for (int way = 0; way < 2; way++) {
                long total = 0;
                for (int b = 0; b < BATCHES_PER_REP; b++) {
                    long t0 = System.nanoTime();
                    sink += way == 0 ? bench.markJournal(journalBatch) : bench.markPreset(presetBatch);
                    total += System.nanoTime() - t0;
                    if (way == 0) {
                        journalBatch.settleBatch();
                    } else {
                        presetBatch.releaseBatch();
                    }
                }
                if (r >= 0) {
                    markMeans[way][r] = (double) total / (BATCHES_PER_REP * MarkBenchmark.BATCH);
                }
            }
            for (int way = 0; way < 2; way++) {
                long total = 0;
                for (int i = 0; i < TRIPS_PER_REP; i++) {
                    long t0 = System.nanoTime();
                    sink += way == 0 ? bench.roundTripJournal(journal) : bench.roundTripPreset(preset);
                    long t = System.nanoTime() - t0;
                    total += t;
                    if (r >= 0) {
                        trips[way][r * TRIPS_PER_REP + i] = t;
                    }
                }
                if (r >= 0) {
                    tripMeans[way][r] = (double) total / TRIPS_PER_REP;
                }
            }
            System.err.printf("repetition %d/%d done%n", r + 1, reps);
        }
        journalBatch.close();
        presetBatch.close();
        journal.close();
        preset.close();

        System.out.println("### mark cost on the calling thread (ns per mark)");
        System.out.println();
        System.out.println("| way | reps | marks/rep | median of rep means | min..max of rep means |");
        System.out.println("|---|---:|---:|---:|---:|");
        for (int way = 0; way < 2; way++) {
            double[] m = markMeans[way];
            Arrays.sort(m);
            System.out.printf("| %s | %d | %d | %.1f | %.1f..%.1f |%n", MARK_WAYS[way], reps,
                    BATCHES_PER_REP * MarkBenchmark.BATCH, median(m), m[0], m[reps - 1]);
        }
        System.out.println();
        System.out.println("### round trip: enqueue to timestamps in the caller's hands (us per mark)");
        System.out.println();
        System.out.println("| way | reps | marks/rep | median of rep means | min..max of rep means | p50 | p90 | p99 | max |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (int way = 0; way < 2; way++) {
            double[] m = tripMeans[way];
            Arrays.sort(m);
            long[] all = trips[way];
            Arrays.sort(all);
            System.out.printf("| %s | %d | %d | %.2f | %.2f..%.2f | %.2f | %.2f | %.2f | %.1f |%n", TRIP_WAYS[way],
                    reps, TRIPS_PER_REP, median(m) / 1e3, m[0] / 1e3, m[reps - 1] / 1e3, pct(all, 50) / 1e3,
                    pct(all, 90) / 1e3, pct(all, 99) / 1e3, all[all.length - 1] / 1e3);
        }
        System.out.println();
        System.out.println("(checksum " + sink + ")");
    }

    private static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static double pct(long[] sorted, double p) {
        return sorted[(int) Math.round(p / 100.0 * (sorted.length - 1))];
    }
}
