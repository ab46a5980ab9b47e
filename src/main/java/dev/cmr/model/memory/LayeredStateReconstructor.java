package dev.cmr.model.memory;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reweaves retrieved memories into the hidden states {@code h[T][H]} of an intervention layer.
 *
 * <h2>Blend strength</h2>
 * {@code alpha = clamp(memory_weight * layerWeight(layer), 0, 1)}, where {@code layerWeight} is the layer's entry in
 * the per-layer weights (1.0 when absent). When {@code alpha == 0} or there are no memories, the output equals the
 * input exactly (a fresh copy) and the quality is 1.
 *
 * <h2>Memory summary</h2>
 * {@code summary(S) = sum_i w_i * s_i / sum_i w_i} over memories {@code i} in S with {@code w_i = max(relevance_i,
 * 0)}; if every {@code w_i} is 0 the plain mean is used. Accumulated in double.
 *
 * <h2>Methods</h2> (all arithmetic in double, each output component rounded to float once)
 * <ul>
 * <li>{@code weighted_sum}: {@code m = summary(all)}; {@code out_t = (1 - alpha) * h_t + alpha * m}.</li>
 * <li>{@code gated}: {@code m = summary(all)}; per position a gate {@code g_t = sigmoid(GATE_SCALE * cosine(h_t, m))}
 * with the fixed, parameter-free {@link #GATE_SCALE} = 4, so memories aligned with the current state are let in
 * more ({@code g} in (0.018, 0.982)); {@code out_t = h_t + alpha * g_t * (m - h_t)}.</li>
 * <li>{@code hierarchical}: memories are grouped by source layer {@code l}; each group is summarized,
 * {@code m_l = summary(group l)}; groups are combined with weights decaying geometrically with layer distance,
 * {@code gamma_l = LAYER_DECAY^|l - layer|} ({@link #LAYER_DECAY} = 0.5), {@code m = sum_l gamma_l * m_l /
 * sum_l gamma_l}; then {@code out_t = (1 - alpha) * h_t + alpha * m}. Each layer's group thus counts as one voice
 * however many memories it holds, and nearby layers count more.</li>
 * </ul>
 *
 * <h2>Quality</h2>
 * {@code quality = (1/T) * sum_t (1 + c_t) / 2} where {@code c_t = cosine(out_t, h_t)} ({@link Vectors#cosine}),
 * taken as 1 when {@code out_t} equals {@code h_t} exactly (including two zero vectors), clamped to [0, 1]. It
 * measures how much of each position's original direction survives the reweaving: 1 when nothing changed, 0.5 when
 * the output is orthogonal to the input, 0 when reversed. It is 1 for {@code T = 0}, deterministic, and always in
 * [0, 1].
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class LayeredStateReconstructor {
    /** Scale of the cosine inside the {@code gated} method's sigmoid. */
    public static final double GATE_SCALE = 4.0;
    /** Per-layer-of-distance decay of group weights in the {@code hierarchical} method. */
    public static final double LAYER_DECAY = 0.5;

    /** The reconstructed states {@code [T][H]} (always a fresh array) and the quality in [0, 1]. */
    public record ReconstructionResult(float[][] states, double quality) {
    }

    private final ReconstructionMethod method;
    private final double memoryWeight;
    private final Map<Integer, Double> layerWeights;

    /**
     * @param memoryWeight in [0, 1]
     * @param layerWeights layer -> weight (finite, >= 0); layers absent weigh 1.0; null means none
     */
    public LayeredStateReconstructor(ReconstructionMethod method, double memoryWeight,
                                     Map<Integer, Double> layerWeights) {
        if (method == null) {
            throw new IllegalArgumentException("reconstruction_method must not be null");
        }
        if (!(memoryWeight >= 0 && memoryWeight <= 1)) {
            throw new IllegalArgumentException("memory_weight must be in [0, 1], was " + memoryWeight);
        }
        TreeMap<Integer, Double> copy = new TreeMap<>();
        if (layerWeights != null) {
            for (Map.Entry<Integer, Double> e : layerWeights.entrySet()) {
                Double w = e.getValue();
                if (e.getKey() == null || w == null || !Double.isFinite(w) || w < 0) {
                    throw new IllegalArgumentException("layer_weights[" + e.getKey() + "] must be finite and >= 0, "
                            + "was " + w);
                }
                copy.put(e.getKey(), w);
            }
        }
        this.method = method;
        this.memoryWeight = memoryWeight;
        this.layerWeights = Collections.unmodifiableMap(copy);
    }

    /** Uses {@code reconstruction_method}, {@code memory_weight} and {@code layer_weights} of {@code config}. */
    public LayeredStateReconstructor(MemoryConfig config) {
        this(config.reconstructionMethod(), config.memoryWeight(), config.layerWeights());
    }

    public ReconstructionMethod method() {
        return method;
    }

    public double memoryWeight() {
        return memoryWeight;
    }

    /** {@code clamp(memory_weight * layerWeight(layer), 0, 1)}. */
    public double alpha(int layer) {
        double a = memoryWeight * layerWeights.getOrDefault(layer, 1.0);
        return Math.max(0.0, Math.min(1.0, a));
    }

    /**
     * Blends {@code memories} into {@code hidden} as documented on the class.
     *
     * @param hidden   {@code [T][H]}, rows non-null and of equal length; not modified
     * @param memories states of length H; null is treated as empty
     */
    public ReconstructionResult reconstruct(int layer, float[][] hidden, List<MemoryEntry> memories) {
        if (hidden == null) {
            throw new IllegalArgumentException("hidden must not be null");
        }
        int h = -1;
        for (int t = 0; t < hidden.length; t++) {
            if (hidden[t] == null) {
                throw new IllegalArgumentException("hidden[" + t + "] must not be null");
            }
            if (h >= 0 && hidden[t].length != h) {
                throw new IllegalArgumentException("hidden[" + t + "] has length " + hidden[t].length + ", hidden[0] "
                        + h);
            }
            h = hidden[t].length;
        }
        double alpha = alpha(layer);
        if (alpha == 0 || memories == null || memories.isEmpty() || hidden.length == 0) {
            return new ReconstructionResult(copy(hidden), 1.0);
        }
        for (MemoryEntry m : memories) {
            if (m.dimension() != h) {
                throw new IllegalArgumentException("memory " + m.id() + " has dimension " + m.dimension()
                        + " but hidden states have " + h);
            }
        }
        double[] m = method == ReconstructionMethod.HIERARCHICAL ? hierarchicalSummary(layer, memories)
                : summary(memories);
        float[][] out = new float[hidden.length][h];
        for (int t = 0; t < hidden.length; t++) {
            float[] ht = hidden[t];
            float[] ot = out[t];
            if (method == ReconstructionMethod.GATED) {
                double g = sigmoid(GATE_SCALE * Vectors.cosine(ht, m));
                double a = alpha * g;
                for (int j = 0; j < h; j++) {
                    ot[j] = (float) (ht[j] + a * (m[j] - ht[j]));
                }
            } else {
                for (int j = 0; j < h; j++) {
                    ot[j] = (float) ((1.0 - alpha) * ht[j] + alpha * m[j]);
                }
            }
        }
        return new ReconstructionResult(out, quality(hidden, out));
    }

    /** Relevance-weighted mean of the memories' states (plain mean when no weight is positive). */
    static double[] summary(List<MemoryEntry> memories) {
        int h = memories.get(0).dimension();
        double[] sum = new double[h];
        double total = 0;
        for (MemoryEntry e : memories) {
            total += Math.max(e.relevance(), 0f);
        }
        boolean uniform = !(total > 0);
        double norm = uniform ? memories.size() : total;
        for (MemoryEntry e : memories) {
            double w = uniform ? 1.0 : Math.max(e.relevance(), 0f);
            if (w == 0) {
                continue;
            }
            float[] s = e.stateRef();
            for (int j = 0; j < h; j++) {
                sum[j] += w * s[j];
            }
        }
        for (int j = 0; j < h; j++) {
            sum[j] /= norm;
        }
        return sum;
    }

    /** {@code sum_l gamma_l * summary(group l) / sum_l gamma_l}, {@code gamma_l = LAYER_DECAY^|l - layer|}. */
    static double[] hierarchicalSummary(int layer, List<MemoryEntry> memories) {
        TreeMap<Integer, List<MemoryEntry>> groups = new TreeMap<>();
        for (MemoryEntry e : memories) {
            groups.computeIfAbsent(e.layer(), l -> new java.util.ArrayList<>()).add(e);
        }
        int h = memories.get(0).dimension();
        double[] m = new double[h];
        double totalGamma = 0;
        for (Map.Entry<Integer, List<MemoryEntry>> g : groups.entrySet()) {
            double gamma = Math.pow(LAYER_DECAY, Math.abs((long) g.getKey() - layer));
            double[] s = summary(g.getValue());
            for (int j = 0; j < h; j++) {
                m[j] += gamma * s[j];
            }
            totalGamma += gamma;
        }
        if (totalGamma > 0) {
            for (int j = 0; j < h; j++) {
                m[j] /= totalGamma;
            }
        } else {
            // Every group is so far away that its weight underflowed: fall back to equal group weights.
            Arrays.fill(m, 0);
            for (List<MemoryEntry> g : groups.values()) {
                double[] s = summary(g);
                for (int j = 0; j < h; j++) {
                    m[j] += s[j] / groups.size();
                }
            }
        }
        return m;
    }

    /** Mean over positions of {@code (1 + cosine(out_t, h_t)) / 2}; see the class comment. */
    public static double quality(float[][] hidden, float[][] out) {
        if (hidden.length != out.length) {
            throw new IllegalArgumentException("hidden has " + hidden.length + " positions, out " + out.length);
        }
        if (hidden.length == 0) {
            return 1.0;
        }
        double sum = 0;
        for (int t = 0; t < hidden.length; t++) {
            double c = Arrays.equals(hidden[t], out[t]) ? 1.0 : Vectors.cosine(out[t], hidden[t]);
            sum += (1.0 + c) / 2.0;
        }
        double q = sum / hidden.length;
        return Double.isNaN(q) ? 0.0 : Math.max(0.0, Math.min(1.0, q));
    }

    private static double sigmoid(double x) {
        return 1.0 / (1.0 + Math.exp(-x));
    }

    private static float[][] copy(float[][] hidden) {
        float[][] out = new float[hidden.length][];
        for (int t = 0; t < hidden.length; t++) {
            out[t] = hidden[t].clone();
        }
        return out;
    }
}
