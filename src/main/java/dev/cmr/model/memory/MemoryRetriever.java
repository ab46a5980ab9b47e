package dev.cmr.model.memory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Finds the memories most useful for a query state.
 *
 * <h2>Candidates</h2>
 * By default the candidates are all resident entries of all layers of the buffer; the overloads taking
 * {@code sourceLayers} restrict them to those layers. The {@code layer} argument names the intervention layer asking;
 * it is part of the cache key but does not change the ranking (use {@code sourceLayers} for that).
 *
 * <h2>Ranking</h2>
 * <ul>
 * <li>{@link #retrieveBySimilarity}: cosine similarity to the query ({@link Vectors#cosine}) descending, ties by
 * ascending id (older entries first).</li>
 * <li>{@link #retrieve}: multi-criteria score {@code w_rel * rel + w_rec * rec + w_sim * sim} descending, ties by
 * cosine descending then id ascending, with the config's {@code relevance_weight}, {@code recency_weight},
 * {@code similarity_weight} and, over the candidate set,
 * {@code rel = (relevance - minRelevance) / (maxRelevance - minRelevance)},
 * {@code rec = (createdStep - minCreatedStep) / (maxCreatedStep - minCreatedStep)} (each 1 when max == min), and
 * {@code sim = (1 + cosine) / 2}. Recency is recency of creation, not of access, so the ranking does not depend on
 * the touches retrieval itself performs. With only {@code similarity_weight} non-zero the order equals
 * {@link #retrieveBySimilarity}'s; with only {@code relevance_weight} non-zero it is relevance descending.</li>
 * </ul>
 * Both return the first {@code min(k, candidates)} entries of their order.
 *
 * <h2>Cache</h2>
 * An LRU cache of {@code retrieval_cache_size} results (0 disables it) keyed by ranking mode, {@code layer},
 * {@code k}, the source layers and the exact query contents ({@link Arrays#hashCode(float[])} plus
 * {@link Arrays#equals(float[], float[])}). A cached result is valid only while the buffer's
 * {@link LayeredMemoryBuffer#modificationCount()} equals the count it was computed at; a stale one is recomputed and
 * counts as a miss. Every call counts exactly one hit or one miss.
 *
 * <h2>Access info</h2>
 * Every retrieval, hit or miss, {@linkplain LayeredMemoryBuffer#touch touches} each returned entry once: a cache hit
 * is still a use of those memories, and touches do not invalidate the cache.
 *
 * <h2>Thread safety</h2>
 * Retrieval methods are {@code synchronized} on the retriever (the cache is not concurrent); the buffer is read
 * through an atomic {@link LayeredMemoryBuffer#snapshot snapshot}.
 */
public final class MemoryRetriever {

    /**
     * Retrieved entries, best first; how many candidates were ranked; whether the result came from the cache; and the
     * retrieval's quality: the mean over the returned entries of {@code (1 + cosine(query, state)) / 2}, in [0, 1]
     * (1: every memory points the query's way, 0.5: orthogonal on average), NaN when nothing was returned.
     */
    public record RetrievalResult(List<MemoryEntry> entries, int candidates, boolean cacheHit, double quality) {
        public RetrievalResult {
            entries = List.copyOf(entries);
        }
    }

    /** {@link RetrievalResult#quality()} of {@code entries} for {@code query}. */
    public static double quality(List<MemoryEntry> entries, float[] query) {
        if (entries.isEmpty()) {
            return Double.NaN;
        }
        double sum = 0;
        for (MemoryEntry e : entries) {
            sum += (1.0 + Vectors.cosine(query, e.stateRef())) / 2.0;
        }
        // Rounding can take a cosine a hair past +-1; the quality is defined on [0, 1].
        return Math.max(0.0, Math.min(1.0, sum / entries.size()));
    }

    private enum Mode { MULTI_CRITERIA, SIMILARITY }

    private static final class Key {
        private final Mode mode;
        private final int layer;
        private final int k;
        private final float[] query;
        private final int[] sources;
        private final int hash;

        Key(Mode mode, int layer, int k, float[] query, int[] sources) {
            this.mode = mode;
            this.layer = layer;
            this.k = k;
            this.query = query;
            this.sources = sources;
            int h = mode.hashCode();
            h = 31 * h + layer;
            h = 31 * h + k;
            h = 31 * h + Arrays.hashCode(query);
            h = 31 * h + Arrays.hashCode(sources);
            this.hash = h;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key other && hash == other.hash && mode == other.mode && layer == other.layer
                    && k == other.k && Arrays.equals(query, other.query) && Arrays.equals(sources, other.sources);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    private record Cached(long modificationCount, List<MemoryEntry> entries, int candidates) {
    }

    private static final class LruCache extends LinkedHashMap<Key, Cached> {
        private static final long serialVersionUID = 1L;
        private final int capacity;

        LruCache(int capacity) {
            super(16, 0.75f, true);
            this.capacity = capacity;
        }

        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, Cached> eldest) {
            return size() > capacity;
        }
    }

    private final LayeredMemoryBuffer buffer;
    private final MemoryConfig config;
    private final LruCache cache;
    private long hits;
    private long misses;

    public MemoryRetriever(LayeredMemoryBuffer buffer, MemoryConfig config) {
        if (buffer == null || config == null) {
            throw new IllegalArgumentException("buffer and config must not be null");
        }
        this.buffer = buffer;
        this.config = config;
        this.cache = new LruCache(config.retrievalCacheSize());
    }

    /** Uses the buffer's own configuration. */
    public MemoryRetriever(LayeredMemoryBuffer buffer) {
        this(buffer, buffer.config());
    }

    /** Multi-criteria retrieval of {@code top_k} entries from all layers. */
    public RetrievalResult retrieve(int layer, float[] query) {
        return retrieve(layer, query, config.topK());
    }

    /** Multi-criteria retrieval of up to {@code k} entries from all layers. */
    public RetrievalResult retrieve(int layer, float[] query, int k) {
        return retrieve(layer, query, k, null);
    }

    /** Multi-criteria retrieval of up to {@code k} entries from {@code sourceLayers} (all layers when null). */
    public synchronized RetrievalResult retrieve(int layer, float[] query, int k, Collection<Integer> sourceLayers) {
        return lookup(Mode.MULTI_CRITERIA, layer, query, k, sourceLayers);
    }

    /** Cosine top-{@code k} from all layers. */
    public RetrievalResult retrieveBySimilarity(int layer, float[] query, int k) {
        return retrieveBySimilarity(layer, query, k, null);
    }

    /** Cosine top-{@code k} from {@code sourceLayers} (all layers when null). */
    public synchronized RetrievalResult retrieveBySimilarity(int layer, float[] query, int k,
                                                             Collection<Integer> sourceLayers) {
        return lookup(Mode.SIMILARITY, layer, query, k, sourceLayers);
    }

    public synchronized long cacheHits() {
        return hits;
    }

    public synchronized long cacheMisses() {
        return misses;
    }

    /** Results currently cached (valid or stale). */
    public synchronized int cacheSize() {
        return cache.size();
    }

    /** Drops all cached results; hit and miss counts are kept. */
    public synchronized void clearCache() {
        cache.clear();
    }

    public MemoryConfig config() {
        return config;
    }

    private RetrievalResult lookup(Mode mode, int layer, float[] query, int k, Collection<Integer> sourceLayers) {
        if (query == null || query.length == 0) {
            throw new IllegalArgumentException("query must be a non-empty vector");
        }
        for (int i = 0; i < query.length; i++) {
            if (!Float.isFinite(query[i])) {
                throw new IllegalArgumentException("query[" + i + "] must be finite, was " + query[i]);
            }
        }
        if (k < 1) {
            throw new IllegalArgumentException("k must be >= 1, was " + k);
        }
        int[] sources = null;
        if (sourceLayers != null) {
            sources = new TreeSet<>(sourceLayers).stream().mapToInt(Integer::intValue).toArray();
        }
        Key key = new Key(mode, layer, k, query.clone(), sources);
        if (config.retrievalCacheSize() > 0) {
            Cached cached = cache.get(key);
            if (cached != null && cached.modificationCount() == buffer.modificationCount()) {
                hits++;
                touchAll(cached.entries());
                return new RetrievalResult(cached.entries(), cached.candidates(), true,
                        quality(cached.entries(), query));
            }
        }
        misses++;
        LayeredMemoryBuffer.Snapshot snapshot = buffer.snapshot(sourceLayers);
        List<MemoryEntry> candidates = snapshot.entries();
        List<MemoryEntry> ranked = mode == Mode.SIMILARITY ? rankBySimilarity(candidates, query, k)
                : rankMultiCriteria(candidates, query, k, config.relevanceWeight(), config.recencyWeight(),
                config.similarityWeight());
        if (config.retrievalCacheSize() > 0) {
            cache.put(key, new Cached(snapshot.modificationCount(), ranked, candidates.size()));
        }
        touchAll(ranked);
        return new RetrievalResult(ranked, candidates.size(), false, quality(ranked, query));
    }

    private void touchAll(List<MemoryEntry> entries) {
        for (MemoryEntry e : entries) {
            buffer.touch(e);
        }
    }

    /** The first {@code min(k, n)} candidates by cosine to {@code query} descending, ties by id ascending. */
    public static List<MemoryEntry> rankBySimilarity(List<MemoryEntry> candidates, float[] query, int k) {
        int n = candidates.size();
        double[] cos = new double[n];
        for (int i = 0; i < n; i++) {
            cos[i] = Vectors.cosine(query, candidates.get(i).stateRef());
        }
        Comparator<Integer> order = (a, b) -> {
            int c = Double.compare(cos[b], cos[a]);
            return c != 0 ? c : Long.compare(candidates.get(a).id(), candidates.get(b).id());
        };
        return top(candidates, order, k);
    }

    /**
     * The first {@code min(k, n)} candidates by multi-criteria score descending (formula on the class comment),
     * ties by cosine descending then id ascending.
     */
    public static List<MemoryEntry> rankMultiCriteria(List<MemoryEntry> candidates, float[] query, int k,
                                                      double relevanceWeight, double recencyWeight,
                                                      double similarityWeight) {
        int n = candidates.size();
        double[] cos = new double[n];
        double minRel = Double.POSITIVE_INFINITY;
        double maxRel = Double.NEGATIVE_INFINITY;
        long minCreated = Long.MAX_VALUE;
        long maxCreated = Long.MIN_VALUE;
        for (int i = 0; i < n; i++) {
            MemoryEntry e = candidates.get(i);
            cos[i] = Vectors.cosine(query, e.stateRef());
            minRel = Math.min(minRel, e.relevance());
            maxRel = Math.max(maxRel, e.relevance());
            minCreated = Math.min(minCreated, e.createdStep());
            maxCreated = Math.max(maxCreated, e.createdStep());
        }
        double[] score = new double[n];
        for (int i = 0; i < n; i++) {
            MemoryEntry e = candidates.get(i);
            double rel = maxRel > minRel ? (e.relevance() - minRel) / (maxRel - minRel) : 1.0;
            double rec = maxCreated > minCreated
                    ? (double) (e.createdStep() - minCreated) / (double) (maxCreated - minCreated) : 1.0;
            double sim = (1.0 + cos[i]) / 2.0;
            score[i] = relevanceWeight * rel + recencyWeight * rec + similarityWeight * sim;
        }
        Comparator<Integer> order = (a, b) -> {
            int c = Double.compare(score[b], score[a]);
            if (c != 0) {
                return c;
            }
            c = Double.compare(cos[b], cos[a]);
            return c != 0 ? c : Long.compare(candidates.get(a).id(), candidates.get(b).id());
        };
        return top(candidates, order, k);
    }

    private static List<MemoryEntry> top(List<MemoryEntry> candidates, Comparator<Integer> order, int k) {
        Integer[] idx = new Integer[candidates.size()];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        Arrays.sort(idx, order);
        int m = Math.min(k, idx.length);
        List<MemoryEntry> out = new ArrayList<>(m);
        for (int i = 0; i < m; i++) {
            out.add(candidates.get(idx[i]));
        }
        return List.copyOf(out);
    }
}
