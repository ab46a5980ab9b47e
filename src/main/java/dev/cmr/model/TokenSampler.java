package dev.cmr.model;

import java.util.SplittableRandom;

/** Picks the next token from a row of logits. */
@FunctionalInterface
public interface TokenSampler {
    int next(float[] logits);

    /** The highest logit; the lowest id among equal maxima. */
    static TokenSampler greedy() {
        return logits -> {
            int best = 0;
            for (int i = 1; i < logits.length; i++) {
                if (logits[i] > logits[best]) {
                    best = i;
                }
            }
            return best;
        };
    }

    /**
     * Samples among the {@code k} highest logits with softmax at {@code temperature}, from a seeded generator (so a
     * seed reproduces a run). Not thread-safe.
     */
    static TokenSampler topK(int k, double temperature, long seed) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be >= 1, was " + k);
        }
        if (!(temperature > 0)) {
            throw new IllegalArgumentException("temperature must be > 0, was " + temperature);
        }
        SplittableRandom random = new SplittableRandom(seed);
        return logits -> {
            int n = Math.min(k, logits.length);
            int[] top = new int[n];
            float[] value = new float[n];
            int size = 0;
            // Keep the n highest logits sorted, descending: insert each one that beats the current last.
            for (int i = 0; i < logits.length; i++) {
                float v = logits[i];
                int p;
                if (size < n) {
                    p = size++;
                } else if (v > value[n - 1]) {
                    p = n - 1;
                } else {
                    continue;
                }
                while (p > 0 && value[p - 1] < v) {
                    value[p] = value[p - 1];
                    top[p] = top[p - 1];
                    p--;
                }
                value[p] = v;
                top[p] = i;
            }
            double[] weight = new double[n];
            double sum = 0;
            for (int i = 0; i < n; i++) {
                weight[i] = Math.exp((value[i] - value[0]) / temperature);
                sum += weight[i];
            }
            double u = random.nextDouble() * sum;
            for (int i = 0; i < n; i++) {
                u -= weight[i];
                if (u < 0) {
                    return top[i];
                }
            }
            return top[n - 1];
        };
    }
}
