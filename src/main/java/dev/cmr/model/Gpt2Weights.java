package dev.cmr.model;

import java.util.List;

/**
 * All parameters of a GPT-2 decoder as row-major float arrays, in GPT-2's own layout. Linear layers are GPT-2
 * "Conv1D": a weight of shape {@code [in, out]}, applied as {@code y = x W + b}. The LM head is tied to {@code wte}.
 *
 * @param wte    token embeddings {@code [vocab, hidden]}
 * @param wpe    position embeddings {@code [context, hidden]}
 * @param blocks one per layer
 * @param lnFGamma final layer norm scale {@code [hidden]}
 * @param lnFBeta  final layer norm shift {@code [hidden]}
 */
public record Gpt2Weights(Gpt2Config config, float[] wte, float[] wpe, List<Block> blocks, float[] lnFGamma,
                          float[] lnFBeta) {

    /**
     * One transformer block.
     *
     * @param attnW   {@code c_attn} weight {@code [hidden, 3 * hidden]} (query, key, value side by side)
     * @param attnB   {@code c_attn} bias {@code [3 * hidden]}
     * @param projW   {@code attn.c_proj} weight {@code [hidden, hidden]}
     * @param fcW     {@code mlp.c_fc} weight {@code [hidden, 4 * hidden]}
     * @param mlpProjW {@code mlp.c_proj} weight {@code [4 * hidden, hidden]}
     */
    public record Block(float[] ln1Gamma, float[] ln1Beta, float[] attnW, float[] attnB, float[] projW, float[] projB,
                        float[] ln2Gamma, float[] ln2Beta, float[] fcW, float[] fcB, float[] mlpProjW,
                        float[] mlpProjB) {
    }

    public Gpt2Weights {
        blocks = List.copyOf(blocks);
        int h = config.hiddenSize();
        check("wte", wte, (long) config.vocabSize() * h);
        check("wpe", wpe, (long) config.contextLength() * h);
        check("ln_f.weight", lnFGamma, h);
        check("ln_f.bias", lnFBeta, h);
        if (blocks.size() != config.layers()) {
            throw new IllegalArgumentException("expected " + config.layers() + " blocks (n_layer), got " + blocks.size());
        }
        for (int i = 0; i < blocks.size(); i++) {
            Block b = blocks.get(i);
            String p = "h." + i + ".";
            check(p + "ln_1.weight", b.ln1Gamma, h);
            check(p + "ln_1.bias", b.ln1Beta, h);
            check(p + "attn.c_attn.weight", b.attnW, 3L * h * h);
            check(p + "attn.c_attn.bias", b.attnB, 3L * h);
            check(p + "attn.c_proj.weight", b.projW, (long) h * h);
            check(p + "attn.c_proj.bias", b.projB, h);
            check(p + "ln_2.weight", b.ln2Gamma, h);
            check(p + "ln_2.bias", b.ln2Beta, h);
            check(p + "mlp.c_fc.weight", b.fcW, 4L * h * h);
            check(p + "mlp.c_fc.bias", b.fcB, 4L * h);
            check(p + "mlp.c_proj.weight", b.mlpProjW, 4L * h * h);
            check(p + "mlp.c_proj.bias", b.mlpProjB, h);
        }
    }

    private static void check(String name, float[] values, long expected) {
        if (values == null || values.length != expected) {
            throw new IllegalArgumentException(name + " must hold " + expected + " values, has "
                    + (values == null ? "none" : values.length));
        }
    }
}
