package dev.cmr.model.memory;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** Retrieval rankings against brute-force sorts over random memories. */
class MemoryRetrieverProperties {
    private static final int H = 3;

    /** Small integer components: duplicate directions, opposite directions and zero vectors are all common. */
    @Provide
    Arbitrary<List<float[]>> vectors() {
        return Arbitraries.integers().between(-2, 2).map(Integer::floatValue).array(float[].class).ofSize(H)
                .list().ofMinSize(0).ofMaxSize(40);
    }

    /** Continuous components: ties are rare, ordering precision matters. */
    @Provide
    Arbitrary<List<float[]>> gaussianVectors() {
        return Arbitraries.floats().between(-100f, 100f).array(float[].class).ofSize(H).list().ofMaxSize(60);
    }

    @Provide
    Arbitrary<float[]> queries() {
        return Arbitraries.integers().between(-2, 2).map(Integer::floatValue).array(float[].class).ofSize(H);
    }

    @Property(tries = 500)
    void retrieveBySimilarityReturnsTheBruteForceTopKWithTiesByOldestFirst(
            @ForAll("vectors") List<float[]> states, @ForAll("queries") float[] query,
            @ForAll @IntRange(min = 1, max = 12) int k) {
        checkSimilarityTopK(states, query, k);
    }

    @Property(tries = 300)
    void retrieveBySimilarityReturnsTheBruteForceTopKOverContinuousVectors(
            @ForAll("gaussianVectors") List<float[]> states, @ForAll("queries") float[] query,
            @ForAll @IntRange(min = 1, max = 12) int k) {
        checkSimilarityTopK(states, query, k);
    }

    private static void checkSimilarityTopK(List<float[]> states, float[] query, int k) {
        LayeredMemoryBuffer buf = fill(states, MemoryConfig.builder().relevanceThreshold(0).cleanupThreshold(1.0)
                .retrievalCacheSize(0).build());
        List<MemoryEntry> all = new ArrayList<>(buf.allEntries());
        all.sort(Comparator.comparingDouble((MemoryEntry e) -> -bruteCosine(query, e.state()))
                .thenComparingLong(MemoryEntry::id));
        List<MemoryEntry> expected = all.subList(0, Math.min(k, all.size()));

        MemoryRetriever.RetrievalResult got = new MemoryRetriever(buf).retrieveBySimilarity(0, query, k);
        assertThat(got.entries()).containsExactlyElementsOf(expected);
        assertThat(got.candidates()).isEqualTo(states.size());
    }

    @Property(tries = 300)
    void multiCriteriaWithOnlySimilarityWeightEqualsSimilarityRanking(
            @ForAll("vectors") List<float[]> states, @ForAll("queries") float[] query,
            @ForAll @IntRange(min = 1, max = 12) int k) {
        LayeredMemoryBuffer buf = fill(states, MemoryConfig.builder().relevanceThreshold(0).cleanupThreshold(1.0)
                .rankingWeights(0, 0, 1).build());
        MemoryRetriever r = new MemoryRetriever(buf);
        assertThat(r.retrieve(0, query, k).entries()).isEqualTo(r.retrieveBySimilarity(0, query, k).entries());
    }

    @Property(tries = 300)
    void multiCriteriaWithOnlyRelevanceWeightReturnsTheHighestRelevances(
            @ForAll("vectors") List<float[]> states, @ForAll("queries") float[] query,
            @ForAll @IntRange(min = 1, max = 12) int k) {
        LayeredMemoryBuffer buf = fill(states, MemoryConfig.builder().relevanceThreshold(0).cleanupThreshold(1.0)
                .rankingWeights(1, 0, 0).build());
        List<Float> expected = buf.allEntries().stream().map(MemoryEntry::relevance)
                .sorted(Comparator.reverseOrder()).limit(k).toList();
        List<Float> got = new MemoryRetriever(buf).retrieve(0, query, k).entries().stream()
                .map(MemoryEntry::relevance).toList();
        assertThat(got).isEqualTo(expected);
    }

    /** Stores each state in layer {@code i % 3} with relevance {@code ((i * 7) % 5) / 4}: repeated values. */
    private static LayeredMemoryBuffer fill(List<float[]> states, MemoryConfig config) {
        LayeredMemoryBuffer buf = new LayeredMemoryBuffer(config);
        for (int i = 0; i < states.size(); i++) {
            buf.store(i % 3, states.get(i), ((i * 7) % 5) / 4f);
        }
        return buf;
    }

    private static double bruteCosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        if (na == 0 || nb == 0) {
            return 0;
        }
        return Math.max(-1, Math.min(1, dot / (Math.sqrt(na) * Math.sqrt(nb))));
    }
}
