package dev.cmr.model;

import dev.cmr.io.ConfigValues;

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
 *
 * <p>Every value is bounded, so that a corrupt or hostile {@code config.json} is refused before anything sized by it
 * is allocated: {@code vocab_size} and {@code n_positions} in [1, {@value #MAX_VOCAB_SIZE}], {@code n_embd} in
 * [1, {@value #MAX_HIDDEN_SIZE}] (the MLP's {@code n_embd × 4·n_embd} weight then still fits one {@code float[]}),
 * {@code n_layer} and {@code n_head} in [1, {@value #MAX_LAYERS}], and the embedding tables
 * {@code vocab_size × n_embd} and {@code n_positions × n_embd} at most {@value #MAX_TENSOR_ELEMENTS} elements each.
 * The bounds sit far above any GPT-2-style checkpoint (GPT-2 XL: 50,257 tokens, 1,024 positions, width 1,600, 48
 * blocks, 25 heads). Failures are {@link IllegalArgumentException}s in {@link ConfigValues}' shape,
 * {@code "<key> must be in [1, <limit>], was <value>"}.
 */
public record Gpt2Config(int vocabSize, int contextLength, int hiddenSize, int layers, int heads,
                         double layerNormEpsilon) {
    /** Upper bound of {@code vocab_size} and {@code n_positions}. */
    public static final int MAX_VOCAB_SIZE = 1 << 20;
    /** Upper bound of {@code n_embd}: {@code 4 × 16384²} elements is the largest weight that fits a float[]. */
    public static final int MAX_HIDDEN_SIZE = 16_384;
    /** Upper bound of {@code n_layer} and {@code n_head}. */
    public static final int MAX_LAYERS = 1024;
    /** The most elements one tensor may have: the largest {@code float[]} every JVM allocates. */
    public static final long MAX_TENSOR_ELEMENTS = Integer.MAX_VALUE - 8;

    public Gpt2Config {
        inRange("vocab_size", vocabSize, MAX_VOCAB_SIZE);
        inRange("n_positions", contextLength, MAX_VOCAB_SIZE);
        inRange("n_embd", hiddenSize, MAX_HIDDEN_SIZE);
        inRange("n_layer", layers, MAX_LAYERS);
        inRange("n_head", heads, MAX_LAYERS);
        fitsOneArray("vocab_size", vocabSize, hiddenSize);
        fitsOneArray("n_positions", contextLength, hiddenSize);
        if (hiddenSize % heads != 0) {
            throw new IllegalArgumentException("n_head (" + heads + ") must divide n_embd (" + hiddenSize + ")");
        }
        if (!(layerNormEpsilon > 0 && layerNormEpsilon < 1)) {
            throw new IllegalArgumentException("layer_norm_epsilon must be in (0, 1), was " + layerNormEpsilon);
        }
    }

    private static void inRange(String key, int value, int max) {
        ConfigValues.inClosedRange(key, value, 1, max);
    }

    private static void fitsOneArray(String rowsKey, int rows, int hiddenSize) {
        long elements = (long) rows * hiddenSize;
        if (elements > MAX_TENSOR_ELEMENTS) {
            throw new IllegalArgumentException(rowsKey + " × n_embd (" + rows + " × " + hiddenSize + " = " + elements
                    + ") must be at most " + MAX_TENSOR_ELEMENTS + ", the elements of one float[] tensor");
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
