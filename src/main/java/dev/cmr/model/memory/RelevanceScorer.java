package dev.cmr.model.memory;

/**
 * Rates how worth remembering each position's hidden state is, on [0, 1].
 *
 * <p>For states {@code [T][H]} and, where needed, {@code attentionReceived[T]} (the mean attention probability
 * position {@code t} receives, supplied by the model):
 * <ul>
 * <li>{@code attention_based}: {@code a_t / max_s a_s} — each position's received attention divided by the largest
 * in the call, so the most attended position scores 1; all zero when every {@code a_t} is 0.</li>
 * <li>{@code variance_based}: {@code v_t / max_s v_s}, where {@code v_t = (1/H) * sum_j (x_tj - mean_t)^2} is the
 * population variance of position {@code t}'s hidden state over its {@code H} components (computed in double);
 * all zero when every {@code v_t} is 0.</li>
 * <li>{@code hybrid}: {@code (attention_based_t + variance_based_t) / 2}.</li>
 * </ul>
 * Scores are relative to the positions of one call: with a single position the score is 1 unless its signal is 0.
 * {@code attentionReceived} may be null only for {@code variance_based}; its values must be finite and >= 0, the
 * states finite. Instances are immutable and thread-safe.
 */
public final class RelevanceScorer {
    private final ScoringMethod method;
    private final double threshold;

    /**
     * @param method    the scoring method
     * @param threshold {@code relevance_threshold}: {@link #isRelevant(float)} is {@code score >= threshold}
     */
    public RelevanceScorer(ScoringMethod method, double threshold) {
        if (method == null) {
            throw new IllegalArgumentException("scoring_method must not be null");
        }
        if (!Double.isFinite(threshold)) {
            throw new IllegalArgumentException("relevance_threshold must be finite, was " + threshold);
        }
        this.method = method;
        this.threshold = threshold;
    }

    /** Uses {@code scoring_method} and {@code relevance_threshold} of {@code config}. */
    public RelevanceScorer(MemoryConfig config) {
        this(config.scoringMethod(), config.relevanceThreshold());
    }

    public ScoringMethod method() {
        return method;
    }

    public double threshold() {
        return threshold;
    }

    /** One score in [0, 1] per position; see the class comment. */
    public float[] score(float[][] states, float[] attentionReceived) {
        if (states == null) {
            throw new IllegalArgumentException("states must not be null");
        }
        return switch (method) {
            case ATTENTION_BASED -> {
                checkAttention(states.length, attentionReceived);
                yield attentionScores(attentionReceived);
            }
            case VARIANCE_BASED -> varianceScores(states);
            case HYBRID -> {
                checkAttention(states.length, attentionReceived);
                float[] a = attentionScores(attentionReceived);
                float[] v = varianceScores(states);
                float[] out = new float[states.length];
                for (int t = 0; t < out.length; t++) {
                    out[t] = (float) (((double) a[t] + v[t]) / 2);
                }
                yield out;
            }
        };
    }

    /** {@code score >= relevance_threshold}. */
    public boolean isRelevant(float score) {
        return score >= threshold;
    }

    /** {@code a_t / max(a)} (all 0 when the maximum is 0). */
    public static float[] attentionScores(float[] attentionReceived) {
        double max = 0;
        for (int t = 0; t < attentionReceived.length; t++) {
            float a = attentionReceived[t];
            if (!Float.isFinite(a) || a < 0) {
                throw new IllegalArgumentException("attentionReceived[" + t + "] must be finite and >= 0, was " + a);
            }
            max = Math.max(max, a);
        }
        return normalizeByMax(toDouble(attentionReceived), max);
    }

    /** Population variance of each position's state divided by the largest (all 0 when the largest is 0). */
    public static float[] varianceScores(float[][] states) {
        double[] v = new double[states.length];
        double max = 0;
        for (int t = 0; t < states.length; t++) {
            v[t] = variance(states[t], t);
            max = Math.max(max, v[t]);
        }
        return normalizeByMax(v, max);
    }

    static double variance(float[] x, int position) {
        if (x == null || x.length == 0) {
            throw new IllegalArgumentException("states[" + position + "] must be a non-empty vector");
        }
        double sum = 0;
        for (int j = 0; j < x.length; j++) {
            if (!Float.isFinite(x[j])) {
                throw new IllegalArgumentException("states[" + position + "][" + j + "] must be finite, was " + x[j]);
            }
            sum += x[j];
        }
        double mean = sum / x.length;
        double sq = 0;
        for (float f : x) {
            double d = f - mean;
            sq += d * d;
        }
        return sq / x.length;
    }

    private static float[] normalizeByMax(double[] values, double max) {
        float[] out = new float[values.length];
        if (max <= 0 || !Double.isFinite(max)) {
            return out;
        }
        for (int t = 0; t < values.length; t++) {
            out[t] = (float) Math.min(1.0, values[t] / max);
        }
        return out;
    }

    private static double[] toDouble(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i];
        }
        return d;
    }

    private static void checkAttention(int positions, float[] attentionReceived) {
        if (attentionReceived == null) {
            throw new IllegalArgumentException("attentionReceived is required for scoring_method attention_based and "
                    + "hybrid");
        }
        if (attentionReceived.length != positions) {
            throw new IllegalArgumentException("attentionReceived has " + attentionReceived.length + " values for "
                    + positions + " positions");
        }
    }
}
