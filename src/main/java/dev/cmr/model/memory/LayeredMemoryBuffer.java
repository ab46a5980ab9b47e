package dev.cmr.model.memory;

import dev.cmr.io.AtomicFiles;
import dev.cmr.monitor.spi.BufferGauge;
import dev.cmr.monitor.spi.BufferReading;
import dev.cmr.monitor.spi.MemoryInspection;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.LongSupplier;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;

/**
 * Per-layer store of captured hidden states with bounded capacity and policy-driven eviction.
 *
 * <h2>Logical clock</h2>
 * The buffer keeps a logical clock that advances by one on every successful insertion and on every
 * {@link #touch(MemoryEntry)}. A new entry's {@code createdStep} and its initial {@code lastAccessStep} are the clock
 * value of its insertion; a touch sets {@code lastAccessStep} to the new clock value. (A clock shared by insertions
 * and touches makes "least recently used" a total order over both events.)
 *
 * <h2>Storing</h2>
 * {@link #store(int, float[], float)} rejects ({@code stored == false}, nothing changes except the
 * {@link #rejections()} count) a state whose relevance is below {@code relevance_threshold} — the same gate as
 * {@link RelevanceScorer#isRelevant(float)}, so callers that already gate get identical behaviour. Otherwise the
 * entry is always stored, after making room:
 * <ol>
 * <li>while the target layer holds {@code max_entries_per_layer} entries, evict the policy's victim <em>among that
 * layer's entries</em>;</li>
 * <li>while the total holds {@code L = max(1, floor(cleanup_threshold * max_total_entries))} entries, evict the
 * policy's victim <em>among all entries of all layers</em> (the layer it comes from is whichever holds the
 * victim).</li>
 * </ol>
 * This is the cleanup rule: utilization ({@code totalSize / max_total_entries}) never exceeds
 * {@code cleanup_threshold} after a store, because a store that would push it above the threshold first evicts down
 * to it. With {@code cleanup_threshold = 1} the global limit is exactly {@code max_total_entries}. The entry being
 * stored is never its own eviction victim.
 *
 * <h2>Victim order</h2>
 * Over a candidate set C (one layer, or all entries), the victim is the minimum under:
 * <ul>
 * <li>{@code lru}: ({@code lastAccessStep}, {@code createdStep}, {@code id}) ascending — the least recently used,
 * ties by oldest created;</li>
 * <li>{@code relevance}: ({@code relevance}, then the {@code lru} order) ascending;</li>
 * <li>{@code lru_relevance}: ({@code combined}, {@code relevance}, then the {@code lru} order) ascending, where
 * {@code combined = 0.5 * recencyRank + 0.5 * relevanceRank}, {@code recencyRank = #{c in C : c.lastAccessStep <
 * e.lastAccessStep} / (|C| - 1)} and {@code relevanceRank = #{c in C : c.relevance < e.relevance} / (|C| - 1)}
 * (both 0 when |C| = 1). So an entry that is both stale and irrelevant goes first; a fresh but irrelevant or a
 * relevant but stale entry ranks in between.</li>
 * </ul>
 *
 * <h2>Modification count</h2>
 * {@link #modificationCount()} increases on every insertion, eviction, {@link #clear()} and load: every change to
 * which entries are resident. Touches do not change it (they change only access info), so retrieval caches keyed on
 * it survive the touches that retrieval itself performs.
 *
 * <h2>Statistics</h2>
 * {@link #insertions()}, {@link #rejections()}, {@link #evictions()} and {@link #evictions(int)} are cumulative over
 * the buffer's life; {@link #clear()} does not reset them (clearing is not eviction). {@link #bytes()} is the sum
 * of {@link MemoryEntry#bytes()} over resident entries. {@link #insertions(int)} counts stores per layer.
 *
 * <h2>Host time</h2>
 * Besides the logical clock the buffer reads a host clock (nanoseconds; {@code System.nanoTime} unless another
 * is given) once per insertion and per touch, to stamp {@link MemoryEntry#createdAtNanos()} and
 * {@link MemoryEntry#lastAccessAtNanos()}. {@link #inspect(long)} turns these into entry ages and stale counts.
 *
 * <h2>Thread safety</h2>
 * All methods that read or change entries are {@code synchronized} on the buffer; the model drives it from one
 * thread. {@link #read()} (the {@link BufferGauge}) takes no lock: every mutation publishes an immutable
 * {@link BufferReading} through a volatile field, so a monitor thread reads it wait-free. Entries themselves are
 * safe to read from any thread (see {@link MemoryEntry}).
 *
 * <h2>File format</h2>
 * {@link #save(Path)} writes, big-endian ({@link DataOutputStream}): int magic {@code 0x434D524D} ("CMRM"),
 * int version {@code 1}, long clock, long nextId, int entryCount, then per entry: long id, int layer, float
 * relevance, long createdStep, long lastAccessStep, long accessCount, int dimension, dimension floats; finally a
 * long holding the CRC-32 of all preceding bytes. Floats are stored bit-exactly. Entries appear layer by layer in
 * ascending layer order, each layer in insertion order. The file is written to a temporary file in the target's
 * directory, forced to disk and moved over the target with {@link StandardCopyOption#ATOMIC_MOVE}. Statistics are
 * not saved.
 */
public final class LayeredMemoryBuffer implements BufferGauge {
    static final int MAGIC = 0x434D524D;
    static final int VERSION = 1;
    /** Bytes of one entry record in the file, excluding its floats. */
    private static final int ENTRY_HEADER_BYTES = 8 + 4 + 4 + 8 + 8 + 8 + 4;
    private static final int FILE_HEADER_BYTES = 4 + 4 + 8 + 8 + 4;
    private static final int FILE_TRAILER_BYTES = 8;

    /** Result of one {@link #store} call. {@code entryId} is -1 when {@code stored} is false. */
    public record StoreOutcome(boolean stored, int evicted, long entryId) {
    }

    /** Resident entries of some layers together with the modification count they belong to. */
    public record Snapshot(long modificationCount, List<MemoryEntry> entries) {
        public Snapshot {
            entries = List.copyOf(entries);
        }
    }

    private final MemoryConfig config;
    private final int totalLimit;
    private final LongSupplier nanoClock;
    private final long createdAtNanos;
    /** Stores per layer, indexed by layer, grown on demand: no boxing per store. */
    private long[] insertionsByLayer = new long[0];
    private final TreeMap<Integer, List<MemoryEntry>> layers = new TreeMap<>();
    private final Map<Long, MemoryEntry> byId = new HashMap<>();
    private final Map<Integer, Long> evictionsPerLayer = new TreeMap<>();
    private int totalSize;
    private long bytes;
    private int dimension;
    private long clock;
    private long nextId;
    private long modificationCount;
    private long insertions;
    private long evictions;
    private long rejections;
    private volatile BufferReading reading;

    public LayeredMemoryBuffer(MemoryConfig config) {
        this(config, System::nanoTime);
    }

    /**
     * @param nanoClock host time in nanoseconds (monotonic), read once per insertion and touch; tests pass a
     *                  controllable one
     */
    public LayeredMemoryBuffer(MemoryConfig config, LongSupplier nanoClock) {
        if (config == null) {
            throw new IllegalArgumentException("config must not be null");
        }
        if (nanoClock == null) {
            throw new IllegalArgumentException("nanoClock must not be null");
        }
        this.config = config;
        this.totalLimit = config.effectiveTotalLimit();
        this.nanoClock = nanoClock;
        this.createdAtNanos = nanoClock.getAsLong();
        publish();
    }

    public MemoryConfig config() {
        return config;
    }

    /**
     * Stores {@code state} (copied) as a memory of {@code layer}, evicting as documented on the class.
     *
     * @param layer     layer index, >= 0
     * @param state     non-empty, finite, and of the same length as the resident states (if any)
     * @param relevance finite; below {@code relevance_threshold} the state is rejected, not stored
     * @throws IllegalArgumentException on an invalid argument
     */
    public synchronized StoreOutcome store(int layer, float[] state, float relevance) {
        if (layer < 0) {
            throw new IllegalArgumentException("layer must be >= 0, was " + layer);
        }
        if (state == null || state.length == 0) {
            throw new IllegalArgumentException("state must be a non-empty vector");
        }
        if (totalSize > 0 && state.length != dimension) {
            throw new IllegalArgumentException("state has length " + state.length + " but the buffer holds states of "
                    + "length " + dimension);
        }
        for (int i = 0; i < state.length; i++) {
            if (!Float.isFinite(state[i])) {
                throw new IllegalArgumentException("state[" + i + "] must be finite, was " + state[i]);
            }
        }
        if (!Float.isFinite(relevance)) {
            throw new IllegalArgumentException("relevance must be finite, was " + relevance);
        }
        if (relevance < config.relevanceThreshold()) {
            rejections++;
            return new StoreOutcome(false, 0, -1);
        }
        int evicted = makeRoom(layer);
        clock++;
        MemoryEntry entry = new MemoryEntry(nextId++, layer, state, relevance, clock, clock, 0,
                nanoClock.getAsLong());
        add(entry);
        insertions++;
        if (layer >= insertionsByLayer.length) {
            insertionsByLayer = Arrays.copyOf(insertionsByLayer, Math.max(layer + 1, 2 * insertionsByLayer.length));
        }
        insertionsByLayer[layer]++;
        publish();
        return new StoreOutcome(true, evicted, entry.id());
    }

    private int makeRoom(int layer) {
        int evicted = 0;
        List<MemoryEntry> list = layers.get(layer);
        while (list != null && list.size() >= config.maxEntriesPerLayer()) {
            evict(victim(list, config.evictionPolicy()));
            evicted++;
            list = layers.get(layer);
        }
        while (totalSize >= totalLimit) {
            evict(victim(allEntriesUnlocked(), config.evictionPolicy()));
            evicted++;
        }
        return evicted;
    }

    private void add(MemoryEntry entry) {
        if (totalSize == 0) {
            dimension = entry.dimension();
        }
        layers.computeIfAbsent(entry.layer(), l -> new ArrayList<>()).add(entry);
        byId.put(entry.id(), entry);
        totalSize++;
        bytes += entry.bytes();
        modificationCount++;
    }

    private void evict(MemoryEntry victim) {
        List<MemoryEntry> list = layers.get(victim.layer());
        list.remove(victim);
        if (list.isEmpty()) {
            layers.remove(victim.layer());
        }
        byId.remove(victim.id());
        totalSize--;
        bytes -= victim.bytes();
        evictions++;
        evictionsPerLayer.merge(victim.layer(), 1L, Long::sum);
        modificationCount++;
        if (totalSize == 0) {
            dimension = 0;
        }
    }

    /** The entry {@code policy} evicts first among {@code candidates} (non-empty); see the class comment. */
    static MemoryEntry victim(List<MemoryEntry> candidates, EvictionPolicy policy) {
        MemoryEntry best = null;
        switch (policy) {
            case LRU -> {
                for (MemoryEntry e : candidates) {
                    if (best == null || compareLru(e, best) < 0) {
                        best = e;
                    }
                }
            }
            case RELEVANCE -> {
                for (MemoryEntry e : candidates) {
                    if (best == null || compareRelevance(e, best) < 0) {
                        best = e;
                    }
                }
            }
            case LRU_RELEVANCE -> {
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
                double bestScore = Double.POSITIVE_INFINITY;
                for (int i = 0; i < n; i++) {
                    double score = combinedScore(lowerCount(sortedAccess, access[i]),
                            lowerCount(sortedRelevance, relevance[i]), n);
                    MemoryEntry e = candidates.get(i);
                    if (best == null || score < bestScore
                            || (score == bestScore && compareRelevance(e, best) < 0)) {
                        best = e;
                        bestScore = score;
                    }
                }
            }
            default -> throw new IllegalStateException("unknown policy " + policy);
        }
        return best;
    }

    /** {@code 0.5 * recencyRank/(n-1) + 0.5 * relevanceRank/(n-1)}, 0 when n == 1. */
    static double combinedScore(int recencyRank, int relevanceRank, int n) {
        if (n <= 1) {
            return 0.0;
        }
        return 0.5 * recencyRank / (n - 1) + 0.5 * relevanceRank / (n - 1);
    }

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

    /**
     * Records an access to {@code entry}: advances the clock, sets its {@code lastAccessStep} to the new value and
     * increments its {@code accessCount}. Does not change {@link #modificationCount()}.
     *
     * @return false (and changes nothing) if {@code entry} is not resident in this buffer
     */
    public synchronized boolean touch(MemoryEntry entry) {
        if (entry == null || byId.get(entry.id()) != entry) {
            return false;
        }
        clock++;
        entry.recordAccess(clock, nanoClock.getAsLong());
        return true;
    }

    /** Resident entries of {@code layer} in insertion order (an immutable copy; empty for an unknown layer). */
    public synchronized List<MemoryEntry> entries(int layer) {
        List<MemoryEntry> list = layers.get(layer);
        return list == null ? List.of() : List.copyOf(list);
    }

    /** All resident entries, layer by layer in ascending layer order, each layer in insertion order. */
    public synchronized List<MemoryEntry> allEntries() {
        return List.copyOf(allEntriesUnlocked());
    }

    private List<MemoryEntry> allEntriesUnlocked() {
        List<MemoryEntry> all = new ArrayList<>(totalSize);
        for (List<MemoryEntry> list : layers.values()) {
            all.addAll(list);
        }
        return all;
    }

    /**
     * Resident entries of {@code sourceLayers} (all layers when null), in {@link #allEntries()} order, together
     * with the current modification count, taken atomically.
     */
    public synchronized Snapshot snapshot(Collection<Integer> sourceLayers) {
        if (sourceLayers == null) {
            return new Snapshot(modificationCount, allEntriesUnlocked());
        }
        List<MemoryEntry> out = new ArrayList<>();
        for (int layer : new java.util.TreeSet<>(sourceLayers)) {
            List<MemoryEntry> list = layers.get(layer);
            if (list != null) {
                out.addAll(list);
            }
        }
        return new Snapshot(modificationCount, out);
    }

    /** The resident entry with id {@code id}, or null. */
    public synchronized MemoryEntry get(long id) {
        return byId.get(id);
    }

    /** Layers currently holding at least one entry, ascending. */
    public synchronized Set<Integer> layers() {
        return Collections.unmodifiableSet(new java.util.TreeSet<>(layers.keySet()));
    }

    public synchronized int size(int layer) {
        List<MemoryEntry> list = layers.get(layer);
        return list == null ? 0 : list.size();
    }

    public synchronized int totalSize() {
        return totalSize;
    }

    /** Sum of {@link MemoryEntry#bytes()} over resident entries. */
    public synchronized long bytes() {
        return bytes;
    }

    /** {@code totalSize() / max_total_entries}, in [0, cleanup_threshold]. */
    public synchronized double utilization() {
        return (double) totalSize / config.maxTotalEntries();
    }

    /** Length of the resident states; 0 while the buffer is empty. */
    public synchronized int dimension() {
        return dimension;
    }

    /** The most entries resident at once: {@link MemoryConfig#effectiveTotalLimit()}. */
    public int totalLimit() {
        return totalLimit;
    }

    public synchronized long insertions() {
        return insertions;
    }

    /** Stores refused because the relevance was below {@code relevance_threshold}. */
    public synchronized long rejections() {
        return rejections;
    }

    public synchronized long evictions() {
        return evictions;
    }

    /** States stored into {@code layer} over the buffer's life. */
    public synchronized long insertions(int layer) {
        return layer >= 0 && layer < insertionsByLayer.length ? insertionsByLayer[layer] : 0;
    }

    public synchronized long evictions(int layer) {
        return evictionsPerLayer.getOrDefault(layer, 0L);
    }

    /** Evictions so far keyed by the layer the victim came from (immutable copy). */
    public synchronized Map<Integer, Long> evictionsPerLayer() {
        return Collections.unmodifiableMap(new TreeMap<>(evictionsPerLayer));
    }

    /** Current value of the logical clock. */
    public synchronized long clock() {
        return clock;
    }

    public synchronized long modificationCount() {
        return modificationCount;
    }

    /** Drops every entry (not counted as evictions). The clock and id sequence continue. */
    public synchronized void clear() {
        layers.clear();
        byId.clear();
        totalSize = 0;
        bytes = 0;
        dimension = 0;
        modificationCount++;
        publish();
    }

    /**
     * Entries per resident layer (layers with no entries are absent), {@link #bytes()}, and
     * {@code max_total_entries} as the capacity. Wait-free: returns the reading published by the last mutation.
     */
    @Override
    public BufferReading read() {
        return reading;
    }

    /**
     * Per layer: resident entries, insertions, evictions, entry ages (since insertion) and idle times (since the
     * last retrieval touch), and entries idle for longer than {@code staleAfterNanos}; counts over the buffer's
     * life. Takes the lock and walks every resident entry once: for diagnostics, not for every snapshot.
     *
     * @throws IllegalArgumentException if {@code staleAfterNanos} is negative
     */
    @Override
    public synchronized MemoryInspection inspect(long staleAfterNanos) {
        if (staleAfterNanos < 0) {
            throw new IllegalArgumentException("staleAfterNanos must be >= 0, was " + staleAfterNanos);
        }
        long now = nanoClock.getAsLong();
        TreeMap<Integer, MemoryInspection.LayerMemory> out = new TreeMap<>();
        Set<Integer> seen = new java.util.TreeSet<>(layers.keySet());
        seen.addAll(evictionsPerLayer.keySet());
        for (int l = 0; l < insertionsByLayer.length; l++) {
            if (insertionsByLayer[l] > 0) {
                seen.add(l);
            }
        }
        for (int layer : seen) {
            List<MemoryEntry> list = layers.getOrDefault(layer, List.of());
            double ageSum = 0;
            double idleSum = 0;
            long maxAge = 0;
            long maxIdle = 0;
            long stale = 0;
            for (MemoryEntry e : list) {
                // Differences, not comparisons of raw values: nanoTime may be negative or wrap.
                long age = Math.max(0, now - e.createdAtNanos());
                long idle = Math.max(0, now - e.lastAccessAtNanos());
                ageSum += age;
                idleSum += idle;
                maxAge = Math.max(maxAge, age);
                maxIdle = Math.max(maxIdle, idle);
                if (idle > staleAfterNanos) {
                    stale++;
                }
            }
            int n = list.size();
            out.put(layer, new MemoryInspection.LayerMemory(n, insertions(layer),
                    evictionsPerLayer.getOrDefault(layer, 0L), n == 0 ? 0 : ageSum / n, maxAge,
                    n == 0 ? 0 : idleSum / n, maxIdle, stale));
        }
        return new MemoryInspection(now, createdAtNanos, staleAfterNanos, config.maxEntriesPerLayer(), totalLimit,
                config.relevanceThreshold(), out);
    }

    private void publish() {
        Map<Integer, Long> perLayer = new TreeMap<>();
        for (Map.Entry<Integer, List<MemoryEntry>> e : layers.entrySet()) {
            perLayer.put(e.getKey(), (long) e.getValue().size());
        }
        reading = new BufferReading(perLayer, bytes, config.maxTotalEntries());
    }

    // ---- persistence ----

    private record SavedEntry(long id, int layer, float relevance, long createdStep, long lastAccessStep,
                              long accessCount, float[] state) {
    }

    /**
     * Writes the buffer's entries, clock and id sequence to {@code path} atomically (format on the class comment).
     *
     * @throws IOException if writing or the atomic move fails; the target is then left as it was
     */
    public void save(Path path) throws IOException {
        List<SavedEntry> saved;
        long savedClock;
        long savedNextId;
        synchronized (this) {
            saved = new ArrayList<>(totalSize);
            for (MemoryEntry e : allEntriesUnlocked()) {
                saved.add(new SavedEntry(e.id(), e.layer(), e.relevance(), e.createdStep(), e.lastAccessStep(),
                        e.accessCount(), e.stateRef()));
            }
            savedClock = clock;
            savedNextId = nextId;
        }
        AtomicFiles.write(path, out -> {
            OutputStream raw = new BufferedOutputStream(out, 1 << 16);
            CRC32 crc = new CRC32();
            DataOutputStream body = new DataOutputStream(new CheckedOutputStream(raw, crc));
            body.writeInt(MAGIC);
            body.writeInt(VERSION);
            body.writeLong(savedClock);
            body.writeLong(savedNextId);
            body.writeInt(saved.size());
            for (SavedEntry e : saved) {
                body.writeLong(e.id());
                body.writeInt(e.layer());
                body.writeFloat(e.relevance());
                body.writeLong(e.createdStep());
                body.writeLong(e.lastAccessStep());
                body.writeLong(e.accessCount());
                body.writeInt(e.state().length);
                for (float f : e.state()) {
                    body.writeFloat(f);
                }
            }
            body.flush();
            DataOutputStream trailer = new DataOutputStream(raw);
            trailer.writeLong(crc.getValue());
            trailer.flush();
        });
    }

    /**
     * Reads a buffer written by {@link #save(Path)} under {@code config}. Entries keep their ids, steps and access
     * info (their host times become the load time); the clock and id sequence continue from the saved values;
     * statistics start at zero. Entries beyond
     * {@code config}'s limits (e.g. a file saved under a larger configuration) are then evicted per its policy, as
     * if they had been stored one by one, and counted as evictions. The relevance threshold is not re-applied.
     *
     * @throws IOException whose message names the file when it is missing, truncated, corrupt (bad magic, version,
     *                     checksum or contents) or has trailing bytes
     */
    public static LayeredMemoryBuffer load(Path path, MemoryConfig config) throws IOException {
        LayeredMemoryBuffer buffer = new LayeredMemoryBuffer(config);
        long fileSize = Files.size(path);
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(path), 1 << 16)) {
            CRC32 crc = new CRC32();
            DataInputStream in = new DataInputStream(new CheckedInputStream(raw, crc));
            int magic = in.readInt();
            if (magic != MAGIC) {
                throw corrupt(path, "bad magic 0x" + Integer.toHexString(magic) + " (not a memory buffer file)");
            }
            int version = in.readInt();
            if (version != VERSION) {
                throw corrupt(path, "unsupported version " + version + " (expected " + VERSION + ")");
            }
            long savedClock = in.readLong();
            long savedNextId = in.readLong();
            int count = in.readInt();
            if (count < 0 || (long) count * (ENTRY_HEADER_BYTES + 4) > fileSize - FILE_HEADER_BYTES
                    - FILE_TRAILER_BYTES) {
                throw new IOException("memory buffer file " + path + " is truncated or corrupt: entry count " + count
                        + " does not fit a file of " + fileSize + " bytes");
            }
            List<MemoryEntry> restored = new ArrayList<>(count);
            Set<Long> ids = new HashSet<>();
            int dim = -1;
            for (int i = 0; i < count; i++) {
                long id = in.readLong();
                int layer = in.readInt();
                float relevance = in.readFloat();
                long created = in.readLong();
                long lastAccess = in.readLong();
                long accessCount = in.readLong();
                int d = in.readInt();
                if (d <= 0 || (long) d * 4 > fileSize) {
                    throw corrupt(path, "entry " + i + " has invalid dimension " + d);
                }
                if (dim >= 0 && d != dim) {
                    throw corrupt(path, "entry " + i + " has dimension " + d + ", earlier entries " + dim);
                }
                dim = d;
                float[] state = new float[d];
                for (int j = 0; j < d; j++) {
                    state[j] = in.readFloat();
                    if (!Float.isFinite(state[j])) {
                        throw corrupt(path, "entry " + i + " has a non-finite state value");
                    }
                }
                if (layer < 0 || !Float.isFinite(relevance) || id < 0 || id >= savedNextId || !ids.add(id)
                        || created < 0 || created > savedClock || lastAccess < created || lastAccess > savedClock
                        || accessCount < 0) {
                    throw corrupt(path, "entry " + i + " (id " + id + ") has inconsistent fields");
                }
                restored.add(new MemoryEntry(id, layer, state, relevance, created, lastAccess, accessCount,
                        buffer.nanoClock.getAsLong()));
            }
            long expected = crc.getValue();
            long stored = new DataInputStream(raw).readLong();
            if (stored != expected) {
                throw corrupt(path, "checksum mismatch");
            }
            if (raw.read() != -1) {
                throw corrupt(path, "trailing bytes after the checksum");
            }
            synchronized (buffer) {
                buffer.clock = savedClock;
                buffer.nextId = savedNextId;
                for (MemoryEntry e : restored) {
                    buffer.add(e);
                }
                buffer.enforceLimits();
                buffer.publish();
            }
        } catch (EOFException e) {
            throw new IOException("memory buffer file " + path + " is truncated", e);
        }
        return buffer;
    }

    private void enforceLimits() {
        for (Integer layer : new ArrayList<>(layers.keySet())) {
            List<MemoryEntry> list = layers.get(layer);
            while (list != null && list.size() > config.maxEntriesPerLayer()) {
                evict(victim(list, config.evictionPolicy()));
                list = layers.get(layer);
            }
        }
        while (totalSize > totalLimit) {
            evict(victim(allEntriesUnlocked(), config.evictionPolicy()));
        }
    }

    private static IOException corrupt(Path path, String what) {
        return new IOException("memory buffer file " + path + " is corrupt: " + what);
    }
}
