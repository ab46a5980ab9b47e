package dev.cmr.model.memory;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Which resident entry a full {@link LayeredMemoryBuffer} gives up to make room. The exact victim order of each
 * policy, including tie-breaks, is documented on {@link #victim(List)}.
 */
public enum EvictionPolicy {
    /** Least recently used: smallest {@code lastAccessStep}. */
    LRU("lru") {
        @Override
        MemoryEntry victim(List<MemoryEntry> candidates) {
            return least(candidates, LRU_ORDER);
        }
    },
    /** Least relevant: smallest {@code relevance}. */
    RELEVANCE("relevance") {
        @Override
        MemoryEntry victim(List<MemoryEntry> candidates) {
            return least(candidates, RELEVANCE_ORDER);
        }
    },
    /** Smallest combined score {@code 0.5 * recencyRank + 0.5 * relevanceRank}, both ranks normalized to [0, 1]. */
    LRU_RELEVANCE("lru_relevance") {
        @Override
        MemoryEntry victim(List<MemoryEntry> candidates) {
            int n = candidates.size();
            long[] access = new long[n];
            float[] relevance = new float[n];
            for (int i = 0; i < n; i++) {
                access[i] = candidates.get(i).lastAccessStep();
                relevance[i] = candidates.get(i).relevance();
            }
            long[] sortedAccess = access.clone();
            float[] sortedRelevance = relevance.clone();
            Arrays.sort(sortedAccess);
            Arrays.sort(sortedRelevance);
            MemoryEntry best = null;
            double bestScore = Double.POSITIVE_INFINITY;
            for (int i = 0; i < n; i++) {
                double score = combinedScore(lowerCount(sortedAccess, access[i]),
                        lowerCount(sortedRelevance, relevance[i]), n);
                MemoryEntry e = candidates.get(i);
                if (best == null || score < bestScore || (score == bestScore && compareRelevance(e, best) < 0)) {
                    best = e;
                    bestScore = score;
                }
            }
            return best;
        }
    };

    /** Orders of the pairwise policies, held once so that choosing a victim allocates nothing. */
    private static final Comparator<MemoryEntry> LRU_ORDER = EvictionPolicy::compareLru;
    private static final Comparator<MemoryEntry> RELEVANCE_ORDER = EvictionPolicy::compareRelevance;

    private final String key;

    EvictionPolicy(String key) {
        this.key = key;
    }

    /**
     * The entry this policy evicts first among {@code candidates} (one layer's entries, or all entries; non-empty,
     * unchanged during the call): the minimum of the set under
     * <ul>
     * <li>{@code lru}: ({@code lastAccessStep}, {@code createdStep}, {@code id}) ascending: the least recently used,
     * ties by oldest created;</li>
     * <li>{@code relevance}: ({@code relevance}, then the {@code lru} order) ascending;</li>
     * <li>{@code lru_relevance}: ({@code combined}, {@code relevance}, then the {@code lru} order) ascending, where
     * {@code combined = 0.5 * recencyRank + 0.5 * relevanceRank}, {@code recencyRank = #{c in C : c.lastAccessStep <
     * e.lastAccessStep} / (|C| - 1)} and {@code relevanceRank = #{c in C : c.relevance < e.relevance} / (|C| - 1)}
     * (both 0 when |C| = 1). So an entry that is both stale and irrelevant goes first; a fresh but irrelevant or a
     * relevant but stale entry ranks in between.</li>
     * </ul>
     * Ids are unique, so each order is total and the victim does not depend on the order of {@code candidates}.
     * Stateless and lock-free; {@code lru} and {@code relevance} allocate nothing, {@code lru_relevance} four arrays
     * of {@code |C|}. The caller holds whatever lock keeps the entries' access info still (the buffer's).
     */
    abstract MemoryEntry victim(List<MemoryEntry> candidates);

    /** The first of {@code candidates} (non-empty) that no other precedes under {@code order}. */
    private static MemoryEntry least(List<MemoryEntry> candidates, Comparator<MemoryEntry> order) {
        MemoryEntry least = candidates.get(0);
        for (int i = 1; i < candidates.size(); i++) {
            MemoryEntry e = candidates.get(i);
            if (order.compare(e, least) < 0) {
                least = e;
            }
        }
        return least;
    }

    /** {@code 0.5 * recencyRank/(n-1) + 0.5 * relevanceRank/(n-1)}, 0 when n == 1. */
    static double combinedScore(int recencyRank, int relevanceRank, int n) {
        if (n <= 1) {
            return 0.0;
        }
        return 0.5 * recencyRank / (n - 1) + 0.5 * relevanceRank / (n - 1);
    }

    /** How many of {@code sorted} (ascending) are less than {@code key}. */
    private static int lowerCount(long[] sorted, long key) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < key) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** How many of {@code sorted} (ascending by {@link Float#compare}) are less than {@code key}. */
    private static int lowerCount(float[] sorted, float key) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (Float.compare(sorted[mid], key) < 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private static int compareLru(MemoryEntry a, MemoryEntry b) {
        int c = Long.compare(a.lastAccessStep(), b.lastAccessStep());
        if (c != 0) {
            return c;
        }
        c = Long.compare(a.createdStep(), b.createdStep());
        return c != 0 ? c : Long.compare(a.id(), b.id());
    }

    private static int compareRelevance(MemoryEntry a, MemoryEntry b) {
        int c = Float.compare(a.relevance(), b.relevance());
        return c != 0 ? c : compareLru(a, b);
    }

    /** The configuration spelling, e.g. {@code "lru_relevance"}. */
    public String key() {
        return key;
    }

    /**
     * The policy spelled {@code key} (exact, case-sensitive).
     *
     * @throws IllegalArgumentException naming the allowed keys when {@code key} is null or unknown
     */
    public static EvictionPolicy fromKey(String key) {
        return dev.cmr.io.ConfigValues.byKey("eviction_policy", values(), EvictionPolicy::key, key);
    }

    static String allowedKeys() {
        return Arrays.stream(values()).map(EvictionPolicy::key).collect(Collectors.joining(", ", "[", "]"));
    }
}
