package dev.cmr.model;

/**
 * Shape of a GPT-2 decoder. Field names follow Hugging Face's {@code config.json} ({@code n_embd}, {@code n_layer},
 * {@code n_head}, {@code n_positions}, {@code vocab_size}, {@code layer_norm_epsilon}).
 *
 * @param vocabSize        tokens in the vocabulary
 * @param contextLength    positions the model can attend over ({@code n_positions})
 * @param hiddenSize       width of the residual stream ({@code n_embd})
 * @param layers           transformer blocks ({@code n_layer})
 * @param heads            attention heads per block ({@code n_head}); must divide {@code hiddenSize}
 * @param layerNormEpsilon added to the variance in every layer norm
 */
public record Gpt2Config(int vocabSize, int contextLength, int hiddenSize, int layers, int heads,
                         double layerNormEpsilon) {
    public Gpt2Config {
        positive("vocab_size", vocabSize);
        positive("n_positions", contextLength);
        positive("n_embd", hiddenSize);
        positive("n_layer", layers);
        positive("n_head", heads);
        if (hiddenSize % heads != 0) {
            throw new IllegalArgumentException("n_head (" + heads + ") must divide n_embd (" + hiddenSize + ")");
        }
        if (!(layerNormEpsilon > 0 && layerNormEpsilon < 1)) {
            throw new IllegalArgumentException("layer_norm_epsilon must be in (0, 1), was " + layerNormEpsilon);
        }
    }

    private static void positive(String key, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(key + " must be >= 1, was " + value);
        }
    }

    public int headSize() {
        return hiddenSize / heads;
    }

    /** The MLP's inner width: GPT-2 uses four times the hidden size. */
    public int innerSize() {
        return 4 * hiddenSize;
    }

    /** The demo's model: byte vocabulary plus specials, 6 blocks of width 256. */
    public static Gpt2Config demo() {
        return new Gpt2Config(ByteTokenizer.VOCAB_SIZE, 256, 256, 6, 8, 1e-5);
    }

    /**
     * Checks one forward pass's input against this shape: at least one token, each in {@code [0, vocab_size)}, and
     * {@code past + tokens} positions within {@code n_positions}.
     *
     * @throws IllegalArgumentException naming the offending token or the sequence length
     */
    public void checkTokens(int[] tokenIds, int past) {
        int t = tokenIds.length;
        if (t == 0) {
            throw new IllegalArgumentException("tokenIds must not be empty");
        }
        if (past + t > contextLength()) {
            throw new IllegalArgumentException("sequence of " + (past + t) + " positions exceeds n_positions "
                    + contextLength());
        }
        for (int i = 0; i < t; i++) {
            if (tokenIds[i] < 0 || tokenIds[i] >= vocabSize()) {
                throw new IllegalArgumentException("tokenIds[" + i + "] must be in [0, " + vocabSize()
                        + "), was " + tokenIds[i]);
            }
        }
    }
}
