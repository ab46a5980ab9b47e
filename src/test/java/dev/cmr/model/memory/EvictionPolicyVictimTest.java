package dev.cmr.model.memory;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The victim order of each policy on candidate sets built directly, without a buffer. */
class EvictionPolicyVictimTest {

    private static MemoryEntry entry(long id, float relevance, long createdStep, long lastAccessStep) {
        return new MemoryEntry(id, 0, new float[] {1, 2}, relevance, createdStep, lastAccessStep, 0, 0L);
    }

    @Test
    void combinedScoreIsTheMeanOfNormalizedRanks() {
        assertThat(EvictionPolicy.combinedScore(1, 1, 4)).isEqualTo(1.0 / 3);
        assertThat(EvictionPolicy.combinedScore(3, 0, 4)).isEqualTo(0.5);
        assertThat(EvictionPolicy.combinedScore(0, 0, 1)).isEqualTo(0.0);
    }

    @Test
    void eachPolicyPicksItsDocumentedVictim() {
        // a: stale and relevant; b: fresh and irrelevant; c: fairly stale and fairly irrelevant; d: fresh, relevant.
        MemoryEntry a = entry(0, 0.9f, 1, 1);
        MemoryEntry b = entry(1, 0.1f, 2, 6);
        MemoryEntry c = entry(2, 0.2f, 3, 3);
        MemoryEntry d = entry(3, 0.8f, 4, 4);
        List<MemoryEntry> candidates = List.of(a, b, c, d);

        assertThat(EvictionPolicy.LRU.victim(candidates)).isSameAs(a);
        assertThat(EvictionPolicy.RELEVANCE.victim(candidates)).isSameAs(b);
        // recency ranks a 0, c 1/3, d 2/3, b 1; relevance ranks b 0, c 1/3, d 2/3, a 1: c scores 1/3, the lowest
        assertThat(EvictionPolicy.LRU_RELEVANCE.victim(candidates)).isSameAs(c);
    }

    @Test
    void tiesFallBackToTheLruOrderThenTheId() {
        MemoryEntry older = entry(5, 0.5f, 1, 4);
        MemoryEntry newer = entry(6, 0.5f, 2, 4);
        MemoryEntry sameSteps = entry(4, 0.5f, 2, 4);
        List<MemoryEntry> candidates = List.of(newer, sameSteps, older);

        assertThat(EvictionPolicy.LRU.victim(candidates)).isSameAs(older);
        assertThat(EvictionPolicy.RELEVANCE.victim(candidates)).isSameAs(older);
        assertThat(EvictionPolicy.LRU_RELEVANCE.victim(candidates)).isSameAs(older);
        assertThat(EvictionPolicy.LRU.victim(List.of(newer, sameSteps))).isSameAs(sameSteps);
    }

    @Test
    void aSingleCandidateIsItsOwnVictim() {
        MemoryEntry only = entry(0, 0.5f, 1, 1);
        for (EvictionPolicy policy : EvictionPolicy.values()) {
            assertThat(policy.victim(List.of(only))).isSameAs(only);
        }
    }

    @Test
    void victimDoesNotDependOnTheOrderOfTheCandidates() {
        Random random = new Random(7);
        for (int round = 0; round < 200; round++) {
            List<MemoryEntry> candidates = new ArrayList<>();
            int n = 1 + random.nextInt(12);
            for (int i = 0; i < n; i++) {
                long created = random.nextInt(5);
                // few distinct values, so ties in every key are common
                candidates.add(entry(i, random.nextInt(3) / 2f, created, created + random.nextInt(3)));
            }
            for (EvictionPolicy policy : EvictionPolicy.values()) {
                MemoryEntry victim = policy.victim(candidates);
                List<MemoryEntry> shuffled = new ArrayList<>(candidates);
                Collections.shuffle(shuffled, random);
                assertThat(policy.victim(shuffled)).as("%s round %d", policy, round).isSameAs(victim);
            }
        }
    }
}
