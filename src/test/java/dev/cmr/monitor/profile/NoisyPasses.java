package dev.cmr.monitor.profile;

import java.util.Random;

/**
 * Synthetic per-pass times as a noisy shared machine produces them: log-normal around a median, plus rare passes
 * several times slower (a collection or a preemption). Deterministic for a given {@link Random}.
 */
final class NoisyPasses {
    /** Standard deviation of the log of a pass time: about 15% spread. */
    static final double SPREAD = 0.15;
    /** Share of passes that are outliers: about 4 in 200. */
    static final double OUTLIER_SHARE = 0.02;
    static final double OUTLIER_FACTOR = 3;

    private NoisyPasses() {
    }

    /** {@code passes} samples in nanoseconds with median about {@code medianNanos}. */
    static long[] draw(Random random, int passes, double medianNanos) {
        long[] samples = new long[passes];
        for (int i = 0; i < passes; i++) {
            double t = medianNanos * Math.exp(SPREAD * random.nextGaussian());
            if (random.nextDouble() < OUTLIER_SHARE) {
                t *= OUTLIER_FACTOR;
            }
            samples[i] = Math.round(t);
        }
        return samples;
    }

    /** {@code samples}, each multiplied by {@code factor}: the same run, uniformly slower or faster. */
    static long[] scaled(long[] samples, double factor) {
        long[] out = new long[samples.length];
        for (int i = 0; i < samples.length; i++) {
            out[i] = Math.round(samples[i] * factor);
        }
        return out;
    }

    /** {@code n} passes that all took {@code nanos}. */
    static long[] constant(int n, long nanos) {
        long[] out = new long[n];
        java.util.Arrays.fill(out, nanos);
        return out;
    }
}
