package dev.cmr.model.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cmr.monitor.spi.BufferReading;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LayeredMemoryBufferTest {
    private static final int H = 8;

    @TempDir
    Path dir;

    private static MemoryConfig.Builder permissive() {
        return MemoryConfig.builder().relevanceThreshold(0).cleanupThreshold(1.0);
    }

    private static float[] vec(float fill) {
        float[] v = new float[H];
        Arrays.fill(v, fill);
        v[0] = fill + 1; // non-constant, so the vector is not degenerate
        return v;
    }

    /**
     * Per-layer cap 4; a(0.9), b(0.1), c(0.2), d(0.8) stored in that order, then b touched, then e stored. Returns
     * the label of the entry that e's store evicted. By construction lru picks a (oldest, never touched), relevance
     * picks b (least relevant, though just touched), and lru_relevance picks c: with recency ranks a 0, c 1/3,
     * d 2/3, b 1 and relevance ranks b 0, c 1/3, d 2/3, a 1, the combined scores are a 0.5, b 0.5, c 1/3, d 2/3.
     */
    private static String victimOfScenario(EvictionPolicy policy) {
        LayeredMemoryBuffer buf = new LayeredMemoryBuffer(permissive().maxEntriesPerLayer(4)
                .evictionPolicy(policy).build());
        long a = buf.store(0, vec(1), 0.9f).entryId();
        long b = buf.store(0, vec(2), 0.1f).entryId();
        long c = buf.store(0, vec(3), 0.2f).entryId();
        long d = buf.store(0, vec(4), 0.8f).entryId();
        assertThat(buf.touch(buf.get(b))).isTrue();
        LayeredMemoryBuffer.StoreOutcome e = buf.store(0, vec(5), 0.5f);
        assertThat(e.stored()).isTrue();
        assertThat(e.evicted()).isEqualTo(1);
        assertThat(buf.size(0)).isEqualTo(4);
        assertThat(buf.get(e.entryId())).isNotNull();
        List<String> gone = Stream.of("a", "b", "c", "d")
                .filter(label -> buf.get(Map.of("a", a, "b", b, "c", c, "d", d).get(label)) == null)
                .toList();
        assertThat(gone).hasSize(1);
        return gone.get(0);
    }

    @Test
    void lruEvictsTheLeastRecentlyUsedEntry() {
        assertThat(victimOfScenario(EvictionPolicy.LRU)).isEqualTo("a");
    }

    @Test
    void lruFollowsTouchesNotInsertionOrder() {
        LayeredMemoryBuffer buf = new LayeredMemoryBuffer(permissive().maxEntriesPerLayer(3)
                .evictionPolicy(EvictionPolicy.LRU).build());
        long a = buf.store(0, vec(1), 0.5f).entryId();
        long b = buf.store(0, vec(2), 0.5f).entryId();
        long c = buf.store(0, vec(3), 0.5f).entryId();
        buf.touch(buf.get(a));
        buf.touch(buf.get(c));
        buf.store(0, vec(4), 0.5f);
        assertThat(buf.get(b)).isNull();
        assertThat(buf.get(a)).isNotNull();
        assertThat(buf.get(c)).isNotNull();
        // now a (touched first) is the least recently used of the survivors
        buf.store(0, vec(5), 0.5f);
        assertThat(buf.get(a)).isNull();
        assertThat(buf.get(c)).isNotNull();
    }

    @Test
    void relevanceEvictsTheLeastRelevantEntryEvenIfRecentlyUsed() {
        assertThat(victimOfScenario(EvictionPolicy.RELEVANCE)).isEqualTo("b");
    }

    @Test
    void relevanceBreaksTiesByLeastRecentlyUsed() {
        LayeredMemoryBuffer buf = new LayeredMemoryBuffer(permissive().maxEntriesPerLayer(3)
                .evictionPolicy(EvictionPolicy.RELEVANCE).build());
        long a = buf.store(0, vec(1), 0.3f).entryId();
        long b = buf.store(0, vec(2), 0.3f).entryId();
        buf.store(0, vec(3), 0.9f);
        buf.touch(buf.get(a));
        buf.store(0, vec(4), 0.9f);
        assertThat(buf.get(b)).isNull();
        assertThat(buf.get(a)).isNotNull();
    }

    @Test
    void lruRelevanceEvictsTheLowestCombinedRankNotTheLruOrLeastRelevantOne() {
        assertThat(victimOfScenario(EvictionPolicy.LRU_RELEVANCE)).isEqualTo("c");
    }

    @Test
    void globalCapEvictsThePolicyVictimAcrossAllLayers() {
        LayeredMemoryBuffer buf = new LayeredMemoryBuffer(permissive().maxEntriesPerLayer(10).maxTotalEntries(4)
                .evictionPolicy(EvictionPolicy.RELEVANCE).build());
        buf.store(0, vec(1), 0.6f);
        long weakest = buf.store(1, vec(2), 0.2f).entryId();
        buf.store(0, vec(3), 0.7f);
        buf.store(1, vec(4), 0.9f);
        LayeredMemoryBuffer.StoreOutcome out = buf.store(2, vec(5), 0.5f);
        assertThat(out.evicted()).isEqualTo(1);
        assertThat(buf.get(weakest)).isNull();
        assertThat(buf.totalSize()).isEqualTo(4);
        assertThat(buf.size(0)).isEqualTo(2);
        assertThat(buf.size(1)).isEqualTo(1);
        assertThat(buf.size(2)).isEqualTo(1);
        assertThat(buf.evictions()).isEqualTo(1);
        assertThat(buf.evictions(1)).isEqualTo(1);
        assertThat(buf.evictions(0)).isZero();
        assertThat(buf.evictionsPerLayer()).containsExactly(Map.entry(1, 1L));
    }

    @Test
    void cleanupThresholdKeepsUtilizationAtOrBelowIt() {
        LayeredMemoryBuffer buf = new LayeredMemoryBuffer(MemoryConfig.builder().relevanceThreshold(0)
                .maxTotalEntries(10).cleanupThreshold(0.8).evictionPolicy(EvictionPolicy.LRU).build());
        assertThat(buf.totalLimit()).isEqualTo(8);
        for (int i = 0; i < 8; i++) {
            assertThat(buf.store(i % 3, vec(i), 0.5f).evicted()).isZero();
        }
        assertThat(buf.utilization()).isEqualTo(0.8);
        LayeredMemoryBuffer.StoreOutcome ninth = buf.store(0, vec(9), 0.5f);
        assertThat(ninth.evicted()).isEqualTo(1);
        assertThat(buf.totalSize()).isEqualTo(8);
        assertThat(buf.utilization()).isEqualTo(0.8);
        assertThat(buf.get(0)).isNull(); // lru: the first entry went
    }

    @Test
    void storeBelowRelevanceThresholdIsRejectedAndCounted() {
        LayeredMemoryBuffer buf = new LayeredMemoryBuffer(MemoryConfig.defaults());
        LayeredMemoryBuffer.StoreOutcome out = buf.store(0, vec(1), 0.49f);
        assertThat(out).isEqualTo(new LayeredMemoryBuffer.StoreOutcome(false, 0, -1));
        assertThat(buf.totalSize()).isZero();
        assertThat(buf.rejections()).isEqualTo(1);
        assertThat(buf.insertions()).isZero();
        assertThat(buf.store(0, vec(1), 0.5f).stored()).isTrue();
    }

    @Test
    void storeCopiesTheStateAndRecordsCreationOnTheLogicalClock() {
        LayeredMemoryBuffer buf = new LayeredMemoryBuffer(permissive().build());
        float[] state = vec(1);
        long id = buf.store(3, state, 0.7f).entryId();
        state[0] = 99;
        MemoryEntry e = buf.get(id);
        assertThat(e.stateAt(0)).isEqualTo(2f);
        assertThat(e.state()).containsExactly(vec(1));
        e.state()[0] = 42; // a copy
        assertThat(e.stateAt(0)).isEqualTo(2f);
        assertThat(e.layer()).isEqualTo(3);
        assertThat(e.relevance()).isEqualTo(0.7f);
        assertThat(e.createdStep()).isEqualTo(1);
        assertThat(e.lastAccessStep()).isEqualTo(1);
        assertThat(e.accessCount()).isZero();
        assertThat(e.bytes()).isEqualTo(4L * H + MemoryEntry.OVERHEAD_BYTES);
    }

    @Test
    void touchUpdatesAccessInfoOnlyForResidentEntries() {
        LayeredMemoryBuffer buf = new LayeredMemoryBuffer(permissive().maxEntriesPerLayer(1).build());
        MemoryEntry first = buf.get(buf.store(0, vec(1), 0.5f).entryId());
        long mods = buf.modificationCount();
        assertThat(buf.touch(first)).isTrue();
        assertThat(buf.touch(first)).isTrue();
        assertThat(first.accessCount()).isEqualTo(2);
        assertThat(first.lastAccessStep()).isEqualTo(3);
        assertThat(buf.modificationCount()).isEqualTo(mods);
        buf.store(0, vec(2), 0.5f); // evicts first
        assertThat(buf.touch(first)).isFalse();
        assertThat(first.accessCount()).isEqualTo(2);
        assertThat(buf.touch(new MemoryEntry(1, 0, vec(2), 0.5f, 4))).isFalse(); // same id, not the resident object
    }

    @Test
    void storeRejectsInvalidArguments() {
        LayeredMemoryBuffer buf = new LayeredMemoryBuffer(permissive().build());
        buf.store(0, vec(1), 0.5f);
        assertThatThrownBy(() -> buf.store(0, new float[H + 1], 0.5f)).hasMessageContaining("length " + (H + 1));
        assertThatThrownBy(() -> buf.store(-1, vec(1), 0.5f)).hasMessageContaining("layer");
        assertThatThrownBy(() -> buf.store(0, new float[0], 0.5f)).hasMessageContaining("state");
        assertThatThrownBy(() -> buf.store(0, vec(Float.NaN), 0.5f)).hasMessageContaining("finite");
        assertThatThrownBy(() -> buf.store(0, vec(1), Float.NaN)).hasMessageContaining("relevance");
    }

    @Test
    void gaugeReadReflectsEntriesPerLayerBytesAndCapacity() {
        LayeredMemoryBuffer buf = new LayeredMemoryBuffer(permissive().maxTotalEntries(100).build());
        assertThat(buf.read().totalEntries()).isZero();
        assertThat(buf.read().capacityEntries()).isEqualTo(100);
        buf.store(0, vec(1), 0.5f);
        buf.store(0, vec(2), 0.5f);
        buf.store(4, vec(3), 0.5f);
        BufferReading r = buf.read();
        assertThat(r.entriesPerLayer()).containsExactly(Map.entry(0, 2L), Map.entry(4, 1L));
        assertThat(r.memoryBytes()).isEqualTo(3 * (4L * H + MemoryEntry.OVERHEAD_BYTES)).isEqualTo(buf.bytes());
        assertThat(r.capacityEntries()).isEqualTo(100);
        assertThat(r.utilization()).isEqualTo(0.03).isEqualTo(buf.utilization());
        buf.clear();
        assertThat(buf.read().entriesPerLayer()).isEmpty();
        assertThat(buf.read().memoryBytes()).isZero();
    }

    @Test
    void gaugeReadsFromAnotherThreadAreConsistentWhileTheModelStores() throws Exception {
        LayeredMemoryBuffer buf = new LayeredMemoryBuffer(permissive().maxEntriesPerLayer(7).maxTotalEntries(20)
                .build());
        long perEntry = 4L * H + MemoryEntry.OVERHEAD_BYTES;
        java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicReference<Throwable> failure = new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.atomic.AtomicLong readings = new java.util.concurrent.atomic.AtomicLong();
        Thread monitor = new Thread(() -> {
            try {
                while (!done.get()) {
                    BufferReading r = buf.read();
                    assertThat(r.totalEntries()).isLessThanOrEqualTo(20);
                    assertThat(r.memoryBytes()).isEqualTo(r.totalEntries() * perEntry);
                    readings.incrementAndGet();
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        monitor.start();
        for (int i = 0; i < 20_000; i++) {
            buf.store(i % 5, vec(i), 0.5f);
        }
        done.set(true);
        monitor.join();
        assertThat(failure.get()).isNull();
        assertThat(readings.get()).isPositive();
        assertThat(buf.read().totalEntries()).isEqualTo(20);
    }

    @Test
    void clearDropsEntriesButKeepsCumulativeStats() {
        LayeredMemoryBuffer buf = new LayeredMemoryBuffer(permissive().maxEntriesPerLayer(1).build());
        buf.store(0, vec(1), 0.5f);
        buf.store(0, vec(2), 0.5f);
        buf.clear();
        assertThat(buf.totalSize()).isZero();
        assertThat(buf.size(0)).isZero();
        assertThat(buf.entries(0)).isEmpty();
        assertThat(buf.bytes()).isZero();
        assertThat(buf.dimension()).isZero();
        assertThat(buf.insertions()).isEqualTo(2);
        assertThat(buf.evictions()).isEqualTo(1);
        buf.store(0, new float[] {1, 2}, 0.5f); // a new dimension is accepted once empty
        assertThat(buf.dimension()).isEqualTo(2);
    }

    @Test
    void saveAndLoadRoundTripIsExact() throws IOException {
        LayeredMemoryBuffer buf = new LayeredMemoryBuffer(permissive().maxEntriesPerLayer(5).build());
        Random rnd = new Random(7);
        for (int i = 0; i < 12; i++) {
            float[] s = new float[H];
            for (int j = 0; j < H; j++) {
                s[j] = (float) rnd.nextGaussian() * 1e3f;
            }
            s[1] = -0.0f;
            s[2] = Float.MIN_VALUE;
            s[3] = Float.MAX_VALUE;
            buf.store(rnd.nextInt(3), s, rnd.nextFloat());
        }
        for (MemoryEntry e : buf.entries(1)) {
            buf.touch(e);
        }
        Path file = dir.resolve("memory.bin");
        buf.save(file);
        LayeredMemoryBuffer loaded = LayeredMemoryBuffer.load(file, buf.config());

        List<MemoryEntry> before = buf.allEntries();
        List<MemoryEntry> after = loaded.allEntries();
        assertThat(after).hasSameSizeAs(before);
        for (int i = 0; i < before.size(); i++) {
            MemoryEntry x = before.get(i);
            MemoryEntry y = after.get(i);
            assertThat(y.id()).isEqualTo(x.id());
            assertThat(y.layer()).isEqualTo(x.layer());
            assertThat(Float.floatToRawIntBits(y.relevance())).isEqualTo(Float.floatToRawIntBits(x.relevance()));
            assertThat(y.createdStep()).isEqualTo(x.createdStep());
            assertThat(y.lastAccessStep()).isEqualTo(x.lastAccessStep());
            assertThat(y.accessCount()).isEqualTo(x.accessCount());
            assertThat(bits(y.state())).containsExactly(bits(x.state()));
        }
        assertThat(loaded.bytes()).isEqualTo(buf.bytes());
        assertThat(loaded.read()).isEqualTo(buf.read());
        assertThat(loaded.clock()).isEqualTo(buf.clock());
        // ids and the clock continue where the saved buffer stopped
        LayeredMemoryBuffer.StoreOutcome next = loaded.store(0, vec(1), 0.5f);
        assertThat(next.entryId()).isEqualTo(buf.store(0, vec(1), 0.5f).entryId());
        assertThat(loaded.get(next.entryId()).createdStep()).isEqualTo(buf.clock());
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("memory.bin");
        }
    }

    @Test
    void saveReplacesAnExistingFile() throws IOException {
        Path file = dir.resolve("m.bin");
        LayeredMemoryBuffer buf = new LayeredMemoryBuffer(permissive().build());
        buf.store(0, vec(1), 0.5f);
        buf.save(file);
        buf.store(1, vec(2), 0.5f);
        buf.save(file);
        assertThat(LayeredMemoryBuffer.load(file, buf.config()).totalSize()).isEqualTo(2);
    }

    @Test
    void loadOfATruncatedFileFailsNamingTheFile() throws IOException {
        LayeredMemoryBuffer buf = new LayeredMemoryBuffer(permissive().build());
        buf.store(0, vec(1), 0.5f);
        buf.store(2, vec(2), 0.6f);
        Path file = dir.resolve("full.bin");
        buf.save(file);
        byte[] bytes = Files.readAllBytes(file);
        for (int len = 0; len < bytes.length; len++) {
            Path cut = dir.resolve("cut-" + len + ".bin");
            Files.write(cut, Arrays.copyOf(bytes, len));
            assertThatThrownBy(() -> LayeredMemoryBuffer.load(cut, buf.config()))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining(cut.toString())
                    .hasMessageContaining("truncated");
        }
    }

    @Test
    void loadOfACorruptedFileFailsNamingTheFile() throws IOException {
        LayeredMemoryBuffer buf = new LayeredMemoryBuffer(permissive().build());
        buf.store(0, vec(1), 0.5f);
        Path file = dir.resolve("bad.bin");
        buf.save(file);
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length - 9] ^= 0x40; // low byte of the last state float
        Files.write(file, bytes);
        assertThatThrownBy(() -> LayeredMemoryBuffer.load(file, buf.config()))
                .isInstanceOf(IOException.class).hasMessageContaining(file.toString()).hasMessageContaining("checksum");

        Files.write(file, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9});
        assertThatThrownBy(() -> LayeredMemoryBuffer.load(file, buf.config()))
                .isInstanceOf(IOException.class).hasMessageContaining(file.toString()).hasMessageContaining("magic");

        buf.save(file);
        byte[] extra = Arrays.copyOf(Files.readAllBytes(file), Files.readAllBytes(file).length + 1);
        Files.write(file, extra);
        assertThatThrownBy(() -> LayeredMemoryBuffer.load(file, buf.config()))
                .isInstanceOf(IOException.class).hasMessageContaining(file.toString()).hasMessageContaining("trailing");
    }

    @Test
    void loadIntoASmallerConfigurationEvictsPerItsPolicy() throws IOException {
        LayeredMemoryBuffer buf = new LayeredMemoryBuffer(permissive().build());
        float[] relevances = {0.9f, 0.1f, 0.5f, 0.3f};
        for (float r : relevances) {
            buf.store(0, vec(r), r);
        }
        Path file = dir.resolve("big.bin");
        buf.save(file);
        LayeredMemoryBuffer small = LayeredMemoryBuffer.load(file, permissive().maxEntriesPerLayer(2)
                .evictionPolicy(EvictionPolicy.RELEVANCE).build());
        assertThat(small.entries(0)).extracting(MemoryEntry::relevance).containsExactly(0.9f, 0.5f);
        assertThat(small.evictions()).isEqualTo(2);
    }

    private static int[] bits(float[] v) {
        int[] b = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = Float.floatToRawIntBits(v[i]);
        }
        return b;
    }
}
