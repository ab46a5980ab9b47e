package dev.cmr.bench;

import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Pre-generated inputs shared by the benchmarks, so that the measured methods only index arrays: a layer in
 * {@code [0, LAYERS)} and a capture duration in {@code [MIN_NANOS, MAX_NANOS]} per event.
 *
 * <p>Durations are log-uniform between 1 µs and 2 ms (every power-of-two range in between is equally likely), so
 * histogram-based recorders touch many buckets, as they would with real capture times.
 */
final class Inputs {
    static final int LAYERS = 32;
    /** Events per thread before the sequence repeats; a power of two so the index wraps with a mask. */
    static final int LENGTH = 1 << 14;
    static final int MASK = LENGTH - 1;
    static final long MIN_NANOS = 1_000;
    static final long MAX_NANOS = 2_000_000;

    private static final AtomicInteger SEEDS = new AtomicInteger();

    private Inputs() {
    }

    /** A distinct, reproducible seed per call (threads get different sequences, runs get the same ones). */
    static long nextSeed() {
        return 0x5EED_0000L + SEEDS.getAndIncrement();
    }

    static int[] layers(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int[] layers = new int[LENGTH];
        for (int i = 0; i < LENGTH; i++) {
            layers[i] = random.nextInt(LAYERS);
        }
        return layers;
    }

    static long[] nanos(long seed) {
        SplittableRandom random = new SplittableRandom(~seed);
        double logMin = Math.log(MIN_NANOS);
        double logMax = Math.log(MAX_NANOS);
        long[] nanos = new long[LENGTH];
        for (int i = 0; i < LENGTH; i++) {
            long v = Math.round(Math.exp(logMin + random.nextDouble() * (logMax - logMin)));
            nanos[i] = Math.max(MIN_NANOS, Math.min(MAX_NANOS, v));
        }
        return nanos;
    }
}
