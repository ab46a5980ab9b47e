package dev.cmr.model;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * GPT-2's initialization scheme with a fixed seed, so every run of the demo and the tests sees the same model:
 * weights drawn from N(0, 0.02), the two residual projections of each block ({@code attn.c_proj},
 * {@code mlp.c_proj}) from N(0, 0.02 / sqrt(2 * n_layer)), position embeddings from N(0, 0.01), biases 0, layer-norm
 * scales 1 and shifts 0.
 */
public final class SeededInit {
    private static final double STD = 0.02;
    private static final double POSITION_STD = 0.01;

    private SeededInit() {
    }

    public static Gpt2Weights weights(Gpt2Config c, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int h = c.hiddenSize();
        double residualStd = STD / Math.sqrt(2.0 * c.layers());
        float[] wte = normal(random, c.vocabSize() * h, STD);
        float[] wpe = normal(random, c.contextLength() * h, POSITION_STD);
        List<Gpt2Weights.Block> blocks = new ArrayList<>(c.layers());
        for (int l = 0; l < c.layers(); l++) {
            blocks.add(new Gpt2Weights.Block(
                    ones(h), new float[h],
                    normal(random, 3 * h * h, STD), new float[3 * h],
                    normal(random, h * h, residualStd), new float[h],
                    ones(h), new float[h],
                    normal(random, 4 * h * h, STD), new float[4 * h],
                    normal(random, 4 * h * h, residualStd), new float[h]));
        }
        return new Gpt2Weights(c, wte, wpe, blocks, ones(h), new float[h]);
    }

    private static float[] normal(SplittableRandom random, int n, double std) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) (random.nextGaussian() * std);
        }
        return out;
    }

    private static float[] ones(int n) {
        float[] out = new float[n];
        java.util.Arrays.fill(out, 1f);
        return out;
    }
}
