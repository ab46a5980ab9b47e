package dev.cmr.model.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LayeredStateReconstructorTest {
    private static final float[][] HIDDEN = {{1, 0}, {0, 2}};
    private static final List<MemoryEntry> MEMORIES = List.of(
            new MemoryEntry(0, 1, new float[] {2, 4}, 1f, 1),
            new MemoryEntry(1, 2, new float[] {4, 0}, 3f, 2));

    private static float[][] hiddenCopy() {
        return new float[][] {HIDDEN[0].clone(), HIDDEN[1].clone()};
    }

    @Test
    void zeroMemoryWeightIsTheExactIdentityForEveryMethod() {
        float[][] hidden = {{0.1f, -3.7e-5f}, {Float.MIN_VALUE, -0.0f}};
        for (ReconstructionMethod m : ReconstructionMethod.values()) {
            LayeredStateReconstructor.ReconstructionResult r = new LayeredStateReconstructor(m, 0.0, Map.of(1, 5.0))
                    .reconstruct(1, hidden, MEMORIES);
            assertThat(r.states()).isDeepEqualTo(hidden).isNotSameAs(hidden);
            assertThat(Float.floatToRawIntBits(r.states()[1][1])).isEqualTo(Float.floatToRawIntBits(-0.0f));
            assertThat(r.quality()).isEqualTo(1.0);
        }
    }

    @Test
    void noMemoriesIsTheExactIdentity() {
        for (ReconstructionMethod m : ReconstructionMethod.values()) {
            LayeredStateReconstructor rec = new LayeredStateReconstructor(m, 0.9, null);
            assertThat(rec.reconstruct(0, HIDDEN, List.of()).states()).isDeepEqualTo(HIDDEN);
            assertThat(rec.reconstruct(0, HIDDEN, null).states()).isDeepEqualTo(HIDDEN);
            assertThat(rec.reconstruct(0, HIDDEN, List.of()).quality()).isEqualTo(1.0);
        }
    }

    @Test
    void zeroLayerWeightIsTheIdentityForThatLayerOnly() {
        LayeredStateReconstructor rec = new LayeredStateReconstructor(ReconstructionMethod.WEIGHTED_SUM, 0.5,
                Map.of(4, 0.0));
        assertThat(rec.reconstruct(4, HIDDEN, MEMORIES).states()).isDeepEqualTo(HIDDEN);
        assertThat(java.util.Arrays.deepEquals(rec.reconstruct(3, HIDDEN, MEMORIES).states(), HIDDEN)).isFalse();
    }

    @Test
    void weightedSumMatchesAHandComputedExample() {
        // m = (1 * [2, 4] + 3 * [4, 0]) / 4 = [3.5, 1]; alpha = 0.25 * layer weight 2 = 0.5
        // out_0 = 0.5 * [1, 0] + 0.5 * [3.5, 1] = [2.25, 0.5]; out_1 = 0.5 * [0, 2] + 0.5 * [3.5, 1] = [1.75, 1.5]
        float[][] hidden = hiddenCopy();
        LayeredStateReconstructor rec = new LayeredStateReconstructor(ReconstructionMethod.WEIGHTED_SUM, 0.25,
                Map.of(3, 2.0));
        assertThat(rec.alpha(3)).isEqualTo(0.5);
        LayeredStateReconstructor.ReconstructionResult r = rec.reconstruct(3, hidden, MEMORIES);
        assertThat(r.states()).isDeepEqualTo(new float[][] {{2.25f, 0.5f}, {1.75f, 1.5f}});
        assertThat(hidden).isDeepEqualTo(HIDDEN); // input untouched
        double q0 = (1 + 2.25 / Math.sqrt(2.25 * 2.25 + 0.5 * 0.5)) / 2;
        double q1 = (1 + (1.5 * 2) / (Math.sqrt(1.75 * 1.75 + 1.5 * 1.5) * 2)) / 2;
        assertThat(r.quality()).isCloseTo((q0 + q1) / 2, within(1e-12));
    }

    @Test
    void alphaIsClampedToOne() {
        LayeredStateReconstructor rec = new LayeredStateReconstructor(ReconstructionMethod.WEIGHTED_SUM, 0.8,
                Map.of(0, 2.0));
        assertThat(rec.alpha(0)).isEqualTo(1.0);
        assertThat(rec.reconstruct(0, HIDDEN, MEMORIES).states()).isDeepEqualTo(new float[][] {{3.5f, 1}, {3.5f, 1}});
    }

    @Test
    void nonPositiveRelevancesFallBackToThePlainMean() {
        List<MemoryEntry> mems = List.of(new MemoryEntry(0, 0, new float[] {2, 0}, 0f, 1),
                new MemoryEntry(1, 0, new float[] {0, 4}, -1f, 2));
        LayeredStateReconstructor rec = new LayeredStateReconstructor(ReconstructionMethod.WEIGHTED_SUM, 1.0, null);
        assertThat(rec.reconstruct(0, new float[][] {{9, 9}}, mems).states()).isDeepEqualTo(new float[][] {{1, 2}});
    }

    @Test
    void gatedLetsAlignedMemoriesInMoreThanOrthogonalOnes() {
        List<MemoryEntry> mem = List.of(new MemoryEntry(0, 0, new float[] {0, 1}, 1f, 1));
        LayeredStateReconstructor rec = new LayeredStateReconstructor(ReconstructionMethod.GATED, 0.5, null);
        float[][] out = rec.reconstruct(0, new float[][] {{1, 0}, {0, 2}}, mem).states();
        // orthogonal: g = sigmoid(0) = 0.5, out = h + 0.25 * (m - h)
        assertThat(out[0]).containsExactly(0.75f, 0.25f);
        // aligned: g = sigmoid(4), out = h + 0.5 * g * (m - h)
        double g = 1 / (1 + Math.exp(-4.0));
        assertThat(out[1]).containsExactly(0f, (float) (2 + 0.5 * g * (1 - 2)));
    }

    @Test
    void hierarchicalWeighsLayerGroupsByDistance() {
        List<MemoryEntry> mems = List.of(
                new MemoryEntry(0, 2, new float[] {4, 0}, 1f, 1),
                new MemoryEntry(1, 3, new float[] {0, 4}, 1f, 2),
                new MemoryEntry(2, 3, new float[] {0, 8}, 1f, 3),
                new MemoryEntry(3, 0, new float[] {8, 8}, 1f, 4));
        // groups: l2 [4, 0] (gamma 1), l3 [0, 6] (gamma 0.5), l0 [8, 8] (gamma 0.25)
        // m = ([4, 0] + [0, 3] + [2, 2]) / 1.75 = [6, 5] / 1.75
        LayeredStateReconstructor rec = new LayeredStateReconstructor(ReconstructionMethod.HIERARCHICAL, 1.0, null);
        float[][] out = rec.reconstruct(2, new float[][] {{1, 1}}, mems).states();
        assertThat(out[0]).containsExactly((float) (6 / 1.75), (float) (5 / 1.75));
        // the plain weighted sum would count layer 3's two memories twice as much: [3, 5]
        float[][] flat = new LayeredStateReconstructor(ReconstructionMethod.WEIGHTED_SUM, 1.0, null)
                .reconstruct(2, new float[][] {{1, 1}}, mems).states();
        assertThat(flat[0]).containsExactly(3f, 5f);
    }

    @Test
    void invalidInputsAreRejected() {
        assertThatThrownBy(() -> new LayeredStateReconstructor(ReconstructionMethod.GATED, 1.1, null))
                .hasMessageContaining("memory_weight");
        assertThatThrownBy(() -> new LayeredStateReconstructor(ReconstructionMethod.GATED, 0.5, Map.of(1, -1.0)))
                .hasMessageContaining("layer_weights[1]");
        LayeredStateReconstructor rec = new LayeredStateReconstructor(MemoryConfig.defaults());
        assertThatThrownBy(() -> rec.reconstruct(0, new float[][] {{1, 2, 3}}, MEMORIES))
                .hasMessageContaining("dimension 2");
        assertThatThrownBy(() -> rec.reconstruct(0, new float[][] {{1, 2}, {1}}, MEMORIES))
                .hasMessageContaining("hidden[1]");
    }
}
