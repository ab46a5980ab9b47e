package dev.cmr.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.cmr.model.hooks.HiddenStates;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class Gpt2ModelTest {
    private static final Gpt2Config SMALL = new Gpt2Config(37, 24, 16, 3, 4, 1e-5);


    private final Gpt2Weights weights = SharpWeights.of(SMALL, 3);
    private final Gpt2Model model = new Gpt2Model(weights);

    @AfterEach
    void close() {
        model.close();
    }

    @Test
    void logitsMatchAPlainReferenceImplementation() {
        int[] tokens = {5, 17, 0, 36, 2, 9, 9, 30, 1, 22};
        float[][] logits = model.logits(tokens);
        double[][] reference = ReferenceGpt2.logits(weights, tokens);

        assertThat(logits).hasNumberOfRows(tokens.length);
        double maxAbs = 0;
        for (double[] row : reference) {
            for (double v : row) {
                maxAbs = Math.max(maxAbs, Math.abs(v));
            }
        }
        assertThat(maxAbs).as("the test model must produce non-trivial logits").isGreaterThan(1.0);
        for (int i = 0; i < tokens.length; i++) {
            for (int v = 0; v < SMALL.vocabSize(); v++) {
                assertThat((double) logits[i][v]).isCloseTo(reference[i][v], within(1e-4 * maxAbs));
            }
        }
    }

    @Test
    void attentionIsCausalChangingALaterTokenNeverChangesAnEarlierOutput() {
        int[] tokens = {3, 14, 15, 9, 26, 5, 35, 8};
        float[][] before = model.logits(tokens);
        for (int changed = 1; changed < tokens.length; changed++) {
            int[] other = tokens.clone();
            other[changed] = (other[changed] + 11) % SMALL.vocabSize();
            float[][] after = model.logits(other);
            for (int i = 0; i < changed; i++) {
                assertThat(after[i]).as("position %d after changing %d", i, changed).containsExactly(before[i]);
            }
            assertThat(after[changed]).as("the changed position itself must change").isNotEqualTo(before[changed]);
        }
    }

    @Test
    void kvCacheGenerationEqualsFullRecomputation() {
        int[] prompt = {4, 8, 15, 16};
        int[] generated = model.generate(prompt, 12, TokenSampler.greedy(), -1);
        assertThat(generated).hasSize(12);

        int[] sequence = prompt.clone();
        for (int step = 0; step < generated.length; step++) {
            float[][] full = model.logits(sequence);
            int expected = TokenSampler.greedy().next(full[full.length - 1]);
            assertThat(generated[step]).as("token %d", step).isEqualTo(expected);
            sequence = java.util.Arrays.copyOf(sequence, sequence.length + 1);
            sequence[sequence.length - 1] = expected;
        }
    }

    @Test
    void incrementalLogitsEqualFullPassLogits() {
        int[] tokens = {1, 2, 3, 4, 5, 6, 7};
        float[][] full = model.logits(tokens);
        try (KvCache cache = model.newCache()) {
            model.forward(new int[] {1, 2, 3}, cache, BlockListener.NONE);
            float[][] rest = model.forward(new int[] {4, 5, 6, 7}, cache, BlockListener.NONE);
            for (int i = 0; i < 4; i++) {
                for (int v = 0; v < SMALL.vocabSize(); v++) {
                    assertThat(rest[i][v]).isCloseTo(full[3 + i][v], within(1e-3f));
                }
            }
        }
    }

    @Test
    void topKSamplingIsReproducibleAndStaysInTheTopK() {
        float[] logits = {0f, 5f, 1f, 4.9f, -2f, 4.8f};
        TokenSampler a = TokenSampler.topK(3, 1.0, 99);
        TokenSampler b = TokenSampler.topK(3, 1.0, 99);
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        for (int i = 0; i < 500; i++) {
            int x = a.next(logits);
            assertThat(b.next(logits)).isEqualTo(x);
            seen.add(x);
        }
        assertThat(seen).containsExactlyInAnyOrder(1, 3, 5);
    }

    @Test
    void attentionReceivedIsAMeanProbabilityPerPosition() {
        int[] tokens = {2, 4, 6, 8, 10};
        float[][] seen = new float[1][];
        try (KvCache cache = model.newCache()) {
            model.forward(tokens, cache, new BlockListener() {
                @Override
                public boolean wantsAttention(int layer) {
                    return layer == 1;
                }

                @Override
                public void afterBlock(int layer, HiddenStates hidden, float[] attentionReceived) {
                    if (layer == 1) {
                        seen[0] = attentionReceived;
                    } else {
                        assertThat(attentionReceived).isNull();
                    }
                }
            });
        }
        assertThat(seen[0]).hasSize(tokens.length);
        // The last position is seen only by itself: with one query per head its mean is that query's weight.
        float total = 0;
        for (int j = 0; j < tokens.length; j++) {
            assertThat(seen[0][j]).isBetween(0f, 1f);
            total += seen[0][j] * (tokens.length - j);
        }
        // Summed back over the queries that may see each position, every query's row sums to 1.
        assertThat(total).isCloseTo(tokens.length, within(1e-4f));
    }

    @Test
    void listenerChangesToHiddenStatesReachLaterLayers() {
        int[] tokens = {1, 2, 3};
        float[][] plain = model.logits(tokens);
        try (KvCache cache = model.newCache()) {
            float[][] changed = model.forward(tokens, cache, new BlockListener() {
                @Override
                public void afterBlock(int layer, HiddenStates hidden, float[] attentionReceived) {
                    if (layer == 0) {
                        hidden.set(2, 0, hidden.get(2, 0) + 5f);
                    }
                }
            });
            assertThat(changed[0]).containsExactly(plain[0]);
            assertThat(changed[2]).isNotEqualTo(plain[2]);
        }
    }

    @Test
    void badInputNamesTheProblem() {
        assertThatThrownBy(() -> model.logits(new int[] {1, 37}))
                .hasMessage("tokenIds[1] must be in [0, 37), was 37");
        assertThatThrownBy(() -> model.logits(new int[25]))
                .hasMessage("sequence of 25 positions exceeds n_positions 24");
        assertThatThrownBy(() -> new Gpt2Config(10, 8, 10, 1, 3, 1e-5))
                .hasMessage("n_head (3) must divide n_embd (10)");
    }

    @Test
    void aSavedCheckpointLoadsIntoTheSameModel(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        Gpt2Checkpoint.save(dir, weights);
        int[] tokens = {9, 8, 7, 6};
        try (Gpt2Model loaded = Gpt2Model.load(dir)) {
            assertThat(loaded.config()).isEqualTo(SMALL);
            float[][] a = model.logits(tokens);
            float[][] b = loaded.logits(tokens);
            for (int i = 0; i < tokens.length; i++) {
                assertThat(b[i]).containsExactly(a[i]);
            }
        }
    }
}
