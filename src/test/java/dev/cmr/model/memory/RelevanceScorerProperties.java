package dev.cmr.model.memory;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class RelevanceScorerProperties {

    @Provide
    Arbitrary<float[][]> states() {
        return Arbitraries.floats().between(-1e4f, 1e4f).array(float[].class).ofSize(6)
                .array(float[][].class).ofMinSize(1).ofMaxSize(20);
    }

    @Property(tries = 300)
    void everyMethodScoresInTheUnitIntervalWithTheTopPositionAtOne(@ForAll("states") float[][] states) {
        float[] attention = new float[states.length];
        for (int t = 0; t < states.length; t++) {
            attention[t] = Math.abs(states[t][0]) / 1e4f;
        }
        for (ScoringMethod m : ScoringMethod.values()) {
            float[] scores = new RelevanceScorer(m, 0.5).score(states, attention);
            assertThat(scores).hasSize(states.length);
            float max = 0;
            for (float s : scores) {
                assertThat(s).isBetween(0f, 1f);
                max = Math.max(max, s);
            }
            if (m == ScoringMethod.VARIANCE_BASED && max > 0) {
                assertThat(max).isEqualTo(1f);
            }
        }
    }
}
