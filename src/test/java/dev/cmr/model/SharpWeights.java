package dev.cmr.model;

import java.util.SplittableRandom;

/**
 * Test weights: seeded, then scaled up so that attention is far from uniform and every part of a block matters,
 * which makes backend comparisons and the reference check sensitive to any slip.
 */
public final class SharpWeights {
    private SharpWeights() {
    }

    public static Gpt2Weights of(Gpt2Config config, long seed) {
        Gpt2Weights w = SeededInit.weights(config, seed);
        SplittableRandom r = new SplittableRandom(seed);
        for (Gpt2Weights.Block b : w.blocks()) {
            for (float[] a : new float[][] {b.attnW(), b.fcW(), b.projW(), b.mlpProjW()}) {
                for (int i = 0; i < a.length; i++) {
                    a[i] *= 10;
                }
            }
            for (float[] a : new float[][] {b.attnB(), b.fcB(), b.ln1Beta(), b.ln2Gamma()}) {
                for (int i = 0; i < a.length; i++) {
                    a[i] += (float) (r.nextGaussian() * 0.1);
                }
            }
        }
        for (int i = 0; i < w.wte().length; i++) {
            w.wte()[i] *= 20;
        }
        return w;
    }
}
