package dev.cmr.model.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MemoryRetrieverTest {

    private static MemoryConfig.Builder permissive() {
        return MemoryConfig.builder().relevanceThreshold(0).cleanupThreshold(1.0);
    }

    private static List<Long> ids(MemoryRetriever.RetrievalResult r) {
        return r.entries().stream().map(MemoryEntry::id).toList();
    }

    /** Four memories: ids 0..3 created in that order, with distinct similarity and relevance orders. */
    private static LayeredMemoryBuffer fourMemories(MemoryConfig config) {
        LayeredMemoryBuffer buf = new LayeredMemoryBuffer(config);
        buf.store(0, new float[] {1, 0, 0}, 0.2f);    // id 0: cos 1 with query (1,0,0), low relevance, oldest
        buf.store(1, new float[] {1, 1, 0}, 0.9f);    // id 1: cos 0.707, highest relevance
        buf.store(2, new float[] {0, 1, 0}, 0.5f);    // id 2: cos 0
        buf.store(0, new float[] {-1, 0.1f, 0}, 0.4f); // id 3: cos ~ -0.995, newest
        return buf;
    }

    private static final float[] QUERY = {1, 0, 0};

    @Test
    void qualityIsTheMeanOfOnePlusCosineOverTwoOfTheReturnedMemoriesAndTheCacheKeepsIt() {
        MemoryRetriever r = new MemoryRetriever(fourMemories(permissive().build()));

        MemoryRetriever.RetrievalResult top2 = r.retrieveBySimilarity(5, QUERY, 2);
        MemoryRetriever.RetrievalResult again = r.retrieveBySimilarity(5, QUERY, 2);

        // ids 0 and 1: cosines 1 and 1/sqrt(2).
        double expected = ((1 + 1.0) / 2 + (1 + 1 / Math.sqrt(2)) / 2) / 2;
        assertThat(top2.quality()).isCloseTo(expected, org.assertj.core.api.Assertions.within(1e-6));
        assertThat(again.cacheHit()).isTrue();
        assertThat(again.quality()).isEqualTo(top2.quality());
        assertThat(MemoryRetriever.quality(List.of(), QUERY)).isNaN();
    }

    @Test
    void similarityRankingOrdersByCosine() {
        MemoryRetriever r = new MemoryRetriever(fourMemories(permissive().build()));
        MemoryRetriever.RetrievalResult res = r.retrieveBySimilarity(5, QUERY, 3);
        assertThat(ids(res)).containsExactly(0L, 1L, 2L);
        assertThat(res.candidates()).isEqualTo(4);
        assertThat(res.cacheHit()).isFalse();
    }

    @Test
    void multiCriteriaWithOnlySimilarityWeightEqualsSimilarityRanking() {
        MemoryRetriever r = new MemoryRetriever(fourMemories(permissive().rankingWeights(0, 0, 1).build()));
        assertThat(ids(r.retrieve(5, QUERY, 4))).containsExactly(0L, 1L, 2L, 3L)
                .isEqualTo(ids(r.retrieveBySimilarity(5, QUERY, 4)));
    }

    @Test
    void multiCriteriaWithOnlyRelevanceWeightReturnsTheMostRelevant() {
        MemoryRetriever r = new MemoryRetriever(fourMemories(permissive().rankingWeights(1, 0, 0).build()));
        assertThat(r.retrieve(5, QUERY, 2).entries()).extracting(MemoryEntry::relevance).containsExactly(0.9f, 0.5f);
    }

    @Test
    void multiCriteriaWithOnlyRecencyWeightReturnsTheNewest() {
        MemoryRetriever r = new MemoryRetriever(fourMemories(permissive().rankingWeights(0, 1, 0).build()));
        assertThat(ids(r.retrieve(5, QUERY, 3))).containsExactly(3L, 2L, 1L);
    }

    @Test
    void multiCriteriaWeightsDecideBetweenSimilarAndRelevantMemories() {
        // A: identical to the query but least relevant; B: orthogonal but most relevant.
        // rel: A 0, B 1; sim: A 1, B 0.5. Weights (0.3, 0, 0.7): A 0.7 > B 0.65. Weights (0.7, 0, 0.3): B 0.85 > A 0.3.
        for (double[] w : new double[][] {{0.3, 0, 0.7}, {0.7, 0, 0.3}}) {
            LayeredMemoryBuffer buf = new LayeredMemoryBuffer(permissive().rankingWeights(w[0], w[1], w[2]).build());
            long a = buf.store(0, new float[] {1, 0}, 0.1f).entryId();
            long b = buf.store(0, new float[] {0, 1}, 0.9f).entryId();
            List<Long> got = ids(new MemoryRetriever(buf).retrieve(0, new float[] {1, 0}, 1));
            assertThat(got).containsExactly(w[0] < w[2] ? a : b);
        }
    }

    @Test
    void multiCriteriaDefaultWeightsMatchTheFormula() {
        LayeredMemoryBuffer buf = fourMemories(permissive().build());
        // rel range [0.2, 0.9], created range [1, 4]
        double[] score = new double[4];
        for (int i = 0; i < 4; i++) {
            MemoryEntry e = buf.get(i);
            double rel = (e.relevance() - 0.2f) / (0.9f - 0.2f);
            double rec = (e.createdStep() - 1) / 3.0;
            double sim = (1 + Vectors.cosine(QUERY, e.state())) / 2;
            score[i] = 0.3 * rel + 0.2 * rec + 0.5 * sim;
        }
        // id0: 0+0+0.5 = 0.5; id1: 0.3+0.0667+0.4268 = 0.7934; id2: 0.1286+0.1333+0.25 = 0.5119;
        // id3: 0.0857+0.2+0.0012 = 0.2869
        assertThat(score[1]).isGreaterThan(score[2]);
        assertThat(score[2]).isGreaterThan(score[0]);
        assertThat(score[0]).isGreaterThan(score[3]);
        assertThat(ids(new MemoryRetriever(buf).retrieve(5, QUERY, 4))).containsExactly(1L, 2L, 0L, 3L);
    }

    @Test
    void sameQueryTwiceIsOneHitAndAStoreMakesItAMissAgain() {
        LayeredMemoryBuffer buf = fourMemories(permissive().build());
        MemoryRetriever r = new MemoryRetriever(buf);
        MemoryRetriever.RetrievalResult first = r.retrieve(2, QUERY, 2);
        MemoryRetriever.RetrievalResult second = r.retrieve(2, QUERY.clone(), 2);
        assertThat(first.cacheHit()).isFalse();
        assertThat(second.cacheHit()).isTrue();
        assertThat(second.entries()).isEqualTo(first.entries());
        assertThat(second.candidates()).isEqualTo(first.candidates());
        assertThat(r.cacheHits()).isEqualTo(1);
        assertThat(r.cacheMisses()).isEqualTo(1);

        buf.store(3, new float[] {1, 0, 1}, 0.5f);
        MemoryRetriever.RetrievalResult third = r.retrieve(2, QUERY, 2);
        assertThat(third.cacheHit()).isFalse();
        assertThat(third.candidates()).isEqualTo(5);
        assertThat(r.cacheMisses()).isEqualTo(2);
        assertThat(r.retrieve(2, QUERY, 2).cacheHit()).isTrue();
        assertThat(r.cacheHits()).isEqualTo(2);
    }

    @Test
    void cacheKeyDistinguishesLayerKQueryModeAndSources() {
        MemoryRetriever r = new MemoryRetriever(fourMemories(permissive().build()));
        r.retrieve(2, QUERY, 2);
        assertThat(r.retrieve(3, QUERY, 2).cacheHit()).isFalse();
        assertThat(r.retrieve(2, QUERY, 3).cacheHit()).isFalse();
        assertThat(r.retrieve(2, new float[] {1, 0, 1e-7f}, 2).cacheHit()).isFalse();
        assertThat(r.retrieveBySimilarity(2, QUERY, 2).cacheHit()).isFalse();
        assertThat(r.retrieve(2, QUERY, 2, Set.of(0)).cacheHit()).isFalse();
        assertThat(r.retrieve(2, QUERY, 2, List.of(0, 0)).cacheHit()).isTrue(); // same source set
        assertThat(r.retrieve(2, QUERY, 2).cacheHit()).isTrue();
        assertThat(r.cacheHits()).isEqualTo(2);
        assertThat(r.cacheMisses()).isEqualTo(6);
    }

    @Test
    void cacheEvictsLeastRecentlyUsedResultBeyondCapacity() {
        MemoryRetriever r = new MemoryRetriever(fourMemories(permissive().retrievalCacheSize(2).build()));
        float[] q1 = {1, 0, 0};
        float[] q2 = {0, 1, 0};
        float[] q3 = {0, 0, 1};
        r.retrieve(0, q1, 1);
        r.retrieve(0, q2, 1);
        r.retrieve(0, q1, 1); // hit; q2 becomes least recently used
        r.retrieve(0, q3, 1); // evicts q2
        assertThat(r.cacheSize()).isEqualTo(2);
        assertThat(r.retrieve(0, q1, 1).cacheHit()).isTrue();
        assertThat(r.retrieve(0, q2, 1).cacheHit()).isFalse();
    }

    @Test
    void zeroCacheSizeCountsEveryCallAsAMiss() {
        MemoryRetriever r = new MemoryRetriever(fourMemories(permissive().retrievalCacheSize(0).build()));
        r.retrieve(0, QUERY, 1);
        assertThat(r.retrieve(0, QUERY, 1).cacheHit()).isFalse();
        assertThat(r.cacheHits()).isZero();
        assertThat(r.cacheMisses()).isEqualTo(2);
        assertThat(r.cacheSize()).isZero();
    }

    @Test
    void retrievalTouchesReturnedEntriesOnMissAndHit() {
        LayeredMemoryBuffer buf = fourMemories(permissive().build());
        MemoryRetriever r = new MemoryRetriever(buf);
        long clock = buf.clock();
        r.retrieveBySimilarity(0, QUERY, 1); // miss: id 0
        MemoryEntry top = buf.get(0);
        assertThat(top.accessCount()).isEqualTo(1);
        assertThat(top.lastAccessStep()).isEqualTo(clock + 1);
        assertThat(r.retrieveBySimilarity(0, QUERY, 1).cacheHit()).isTrue();
        assertThat(top.accessCount()).isEqualTo(2);
        assertThat(buf.get(1).accessCount()).isZero();
    }

    @Test
    void sourceLayersRestrictTheCandidates() {
        MemoryRetriever r = new MemoryRetriever(fourMemories(permissive().build()));
        MemoryRetriever.RetrievalResult res = r.retrieveBySimilarity(0, QUERY, 4, Set.of(1, 2));
        assertThat(res.candidates()).isEqualTo(2);
        assertThat(ids(res)).containsExactly(1L, 2L);
        assertThat(r.retrieveBySimilarity(0, QUERY, 4, Set.of(9)).entries()).isEmpty();
    }

    @Test
    void kBeyondTheCandidatesReturnsAllAndDefaultKIsTopK() {
        MemoryRetriever r = new MemoryRetriever(fourMemories(permissive().topK(3).build()));
        assertThat(r.retrieve(0, QUERY, 10).entries()).hasSize(4);
        assertThat(r.retrieve(0, QUERY).entries()).hasSize(3);
        MemoryRetriever empty = new MemoryRetriever(new LayeredMemoryBuffer(permissive().build()));
        MemoryRetriever.RetrievalResult none = empty.retrieve(0, QUERY, 2);
        assertThat(none.entries()).isEmpty();
        assertThat(none.candidates()).isZero();
    }

    @Test
    void invalidQueriesAreRejected() {
        MemoryRetriever r = new MemoryRetriever(fourMemories(permissive().build()));
        assertThatThrownBy(() -> r.retrieve(0, QUERY, 0)).hasMessageContaining("k must be >= 1");
        assertThatThrownBy(() -> r.retrieve(0, new float[0], 1)).hasMessageContaining("query");
        assertThatThrownBy(() -> r.retrieve(0, new float[] {Float.NaN, 0, 0}, 1)).hasMessageContaining("finite");
        assertThatThrownBy(() -> r.retrieve(0, new float[] {1, 0}, 1)).hasMessageContaining("lengths");
    }
}
