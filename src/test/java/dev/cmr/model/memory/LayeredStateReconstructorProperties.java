package dev.cmr.model.memory;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;

class LayeredStateReconstructorProperties {
    private static final int H = 4;

    @Provide
    Arbitrary<float[][]> hidden() {
        return Arbitraries.floats().between(-50f, 50f).edgeCases(c -> c.add(0f))
                .array(float[].class).ofSize(H).array(float[][].class).ofMaxSize(8);
    }

    @Provide
    Arbitrary<List<float[]>> memoryStates() {
        return Arbitraries.floats().between(-50f, 50f).array(float[].class).ofSize(H).list().ofMaxSize(6);
    }

    @Provide
    Arbitrary<ReconstructionMethod> methods() {
        return Arbitraries.of(ReconstructionMethod.class);
    }

    @Property(tries = 500)
    void qualityStaysInTheUnitIntervalAndIsDeterministic(
            @ForAll("hidden") float[][] hidden, @ForAll("memoryStates") List<float[]> states,
            @ForAll("methods") ReconstructionMethod method, @ForAll @DoubleRange(min = 0, max = 1) double weight,
            @ForAll @DoubleRange(min = 0, max = 3) double layerWeight, @ForAll @IntRange(min = 0, max = 5) int layer) {
        List<MemoryEntry> mems = memories(states);
        LayeredStateReconstructor rec = new LayeredStateReconstructor(method, weight, Map.of(layer, layerWeight));
        LayeredStateReconstructor.ReconstructionResult a = rec.reconstruct(layer, hidden, mems);
        LayeredStateReconstructor.ReconstructionResult b = rec.reconstruct(layer, hidden, mems);
        assertThat(a.quality()).isBetween(0.0, 1.0);
        assertThat(a.quality()).isEqualTo(b.quality());
        assertThat(a.states()).isDeepEqualTo(b.states());
        assertThat(a.states()).hasNumberOfRows(hidden.length);
    }

    @Property(tries = 300)
    void weightedSumOutputLiesBetweenHiddenAndMemorySummary(
            @ForAll("hidden") float[][] hidden, @ForAll("memoryStates") List<float[]> states,
            @ForAll @DoubleRange(min = 0, max = 1) double weight) {
        List<MemoryEntry> mems = memories(states);
        float[][] out = new LayeredStateReconstructor(ReconstructionMethod.WEIGHTED_SUM, weight, null)
                .reconstruct(0, hidden, mems).states();
        if (mems.isEmpty()) {
            assertThat(out).isDeepEqualTo(hidden);
            return;
        }
        double[] m = LayeredStateReconstructor.summary(mems);
        for (int t = 0; t < hidden.length; t++) {
            for (int j = 0; j < H; j++) {
                float lo = (float) Math.min(hidden[t][j], m[j]);
                float hi = (float) Math.max(hidden[t][j], m[j]);
                assertThat(out[t][j]).isBetween(Math.nextDown(lo), Math.nextUp(hi));
            }
        }
    }

    private static List<MemoryEntry> memories(List<float[]> states) {
        List<MemoryEntry> mems = new ArrayList<>();
        for (int i = 0; i < states.size(); i++) {
            mems.add(new MemoryEntry(i, i % 4, states.get(i), (i % 3) / 2f, i + 1));
        }
        return mems;
    }
}
