package dev.cmr.model.memory;

import dev.cmr.monitor.spi.BufferGauge;
import dev.cmr.monitor.spi.BufferReading;
import dev.cmr.monitor.spi.MemoryInspection;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.LongSupplier;

/**
 * Per-layer store of captured hidden states with bounded capacity and policy-driven eviction: the container. The
 * victim order lives in {@link EvictionPolicy}, the counts and the per-layer inspection in {@link BufferStatistics},
 * the file format in {@link MemoryBufferFile}; this class decides when to evict and keeps them consistent.
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
 * stored is never its own eviction victim. The victim of each policy, with its tie-breaks, is defined by
 * {@link EvictionPolicy#victim(List)}.
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
 * <ol>
 * <li>Every method that reads or changes entries, the clock or the statistics holds the buffer's monitor
 * ({@code synchronized}); the model drives the buffer from one thread. {@link #config()} and {@link #totalLimit()}
 * read final fields and take no lock.</li>
 * <li>{@link #read()} (the {@link BufferGauge}) takes no lock: every change to the resident entries (store,
 * eviction, {@link #clear()}, load) publishes an immutable {@link BufferReading} through a volatile field before
 * the lock is released, so a monitor thread reads the latest one wait-free.</li>
 * <li>{@link #inspect(long)} holds the lock while it walks the entries (diagnostics only, never per snapshot).</li>
 * <li>{@link #save(Path)} copies the entries' fields, the clock and the id sequence under the lock, then writes the
 * file without it: stores and touches go on meanwhile, and the file holds the state at the copy.</li>
 * <li>{@link #load(Path, MemoryConfig)} reads the file without any lock, then installs the entries into a new buffer
 * under that buffer's lock before returning it.</li>
 * <li>{@link EvictionPolicy}, {@link BufferStatistics} and {@link MemoryBufferFile} take no lock of their own: the
 * first two run only under this buffer's lock; the file format works on the copy, or builds entries that no
 * buffer holds yet.</li>
 * <li>Entries themselves are safe to read from any thread (see {@link MemoryEntry}).</li>
 * </ol>
 *
 * <h2>File format</h2>
 * {@link #save(Path)} writes the entries, the clock and the id sequence (not the statistics) atomically; the layout
 * is documented on {@link MemoryBufferFile}.
 */
public final class LayeredMemoryBuffer implements BufferGauge {
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
    private final TreeMap<Integer, List<MemoryEntry>> layers = new TreeMap<>();
    private final Map<Long, MemoryEntry> byId = new HashMap<>();
    private final BufferStatistics statistics = new BufferStatistics();
    private int totalSize;
    private long bytes;
    private int dimension;
    private long clock;
    private long nextId;
    private long modificationCount;
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
            statistics.rejected();
            return new StoreOutcome(false, 0, -1);
        }
        int evicted = makeRoom(layer);
        clock++;
        MemoryEntry entry = new MemoryEntry(nextId++, layer, state, relevance, clock, clock, 0,
                nanoClock.getAsLong());
        add(entry);
        statistics.stored(layer);
        publish();
        return new StoreOutcome(true, evicted, entry.id());
    }

    private int makeRoom(int layer) {
        int evicted = 0;
        List<MemoryEntry> list = layers.get(layer);
        while (list != null && list.size() >= config.maxEntriesPerLayer()) {
            evict(config.evictionPolicy().victim(list));
            evicted++;
            list = layers.get(layer);
        }
        while (totalSize >= totalLimit) {
            evict(config.evictionPolicy().victim(allEntriesUnlocked()));
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
        statistics.evicted(victim.layer());
        modificationCount++;
        if (totalSize == 0) {
            dimension = 0;
        }
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
        for (int layer : new TreeSet<>(sourceLayers)) {
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
        return Collections.unmodifiableSet(new TreeSet<>(layers.keySet()));
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
        return statistics.insertions();
    }

    /** Stores refused because the relevance was below {@code relevance_threshold}. */
    public synchronized long rejections() {
        return statistics.rejections();
    }

    public synchronized long evictions() {
        return statistics.evictions();
    }

    /** States stored into {@code layer} over the buffer's life. */
    public synchronized long insertions(int layer) {
        return statistics.insertions(layer);
    }

    public synchronized long evictions(int layer) {
        return statistics.evictions(layer);
    }

    /** Evictions so far keyed by the layer the victim came from (immutable copy). */
    public synchronized Map<Integer, Long> evictionsPerLayer() {
        return statistics.evictionsPerLayer();
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
        return new MemoryInspection(now, createdAtNanos, staleAfterNanos, config.maxEntriesPerLayer(), totalLimit,
                config.relevanceThreshold(), statistics.inspectLayers(layers, now, staleAfterNanos));
    }

    private void publish() {
        Map<Integer, Long> perLayer = new TreeMap<>();
        for (Map.Entry<Integer, List<MemoryEntry>> e : layers.entrySet()) {
            perLayer.put(e.getKey(), (long) e.getValue().size());
        }
        reading = new BufferReading(perLayer, bytes, config.maxTotalEntries());
    }

    // ---- persistence ----

    /**
     * Writes the buffer's entries, clock and id sequence to {@code path} atomically (format on
     * {@link MemoryBufferFile}).
     *
     * @throws IOException if writing or the atomic move fails; the target is then left as it was
     */
    public void save(Path path) throws IOException {
        List<MemoryBufferFile.SavedEntry> saved;
        long savedClock;
        long savedNextId;
        synchronized (this) {
            saved = new ArrayList<>(totalSize);
            for (MemoryEntry e : allEntriesUnlocked()) {
                saved.add(MemoryBufferFile.SavedEntry.of(e));
            }
            savedClock = clock;
            savedNextId = nextId;
        }
        MemoryBufferFile.write(path, savedClock, savedNextId, saved);
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
        buffer.restore(MemoryBufferFile.read(path, buffer.nanoClock));
        return buffer;
    }

    private synchronized void restore(MemoryBufferFile.Contents contents) {
        clock = contents.clock();
        nextId = contents.nextId();
        for (MemoryEntry e : contents.entries()) {
            add(e);
        }
        enforceLimits();
        publish();
    }

    private void enforceLimits() {
        for (Integer layer : new ArrayList<>(layers.keySet())) {
            List<MemoryEntry> list = layers.get(layer);
            while (list != null && list.size() > config.maxEntriesPerLayer()) {
                evict(config.evictionPolicy().victim(list));
                list = layers.get(layer);
            }
        }
        while (totalSize > totalLimit) {
            evict(config.evictionPolicy().victim(allEntriesUnlocked()));
        }
    }
}
