package dev.cmr.model.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cmr.monitor.spi.BufferReading;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;

/** Random streams of stores and touches against the buffer's caps, bookkeeping and eviction choices. */
class LayeredMemoryBufferProperties {
    private static final int LAYERS = 5;

    /** touch == true: touch the resident entry at index {@code pick % totalSize} (if any); otherwise store. */
    record Op(boolean touch, int layer, float relevance, int pick) {
    }

    @Provide
    Arbitrary<List<Op>> ops() {
        Arbitrary<Op> op = Combinators.combine(
                Arbitraries.integers().between(0, 3).map(i -> i == 0),
                Arbitraries.integers().between(0, LAYERS - 1),
                // few distinct relevance values, so ties are common
                Arbitraries.integers().between(0, 4).map(i -> i / 4f),
                Arbitraries.integers().between(0, 1000)).as(Op::new);
        return op.list().ofMaxSize(200);
    }

    @Provide
    Arbitrary<EvictionPolicy> policies() {
        return Arbitraries.of(EvictionPolicy.class);
    }

    @Property(tries = 300)
    void perLayerAndTotalCapsHoldAndBookkeepingIsConsistent(
            @ForAll("ops") List<Op> ops, @ForAll("policies") EvictionPolicy policy,
            @ForAll @IntRange(min = 1, max = 6) int perLayer, @ForAll @IntRange(min = 1, max = 15) int total,
            @ForAll @DoubleRange(min = 0.05, max = 1.0) double cleanup) {
        MemoryConfig config = MemoryConfig.builder().relevanceThreshold(0).maxEntriesPerLayer(perLayer)
                .maxTotalEntries(total).cleanupThreshold(cleanup).evictionPolicy(policy).build();
        LayeredMemoryBuffer buf = new LayeredMemoryBuffer(config);
        long evictedByOutcomes = 0;
        int stores = 0;
        for (Op op : ops) {
            if (op.touch()) {
                List<MemoryEntry> all = buf.allEntries();
                if (!all.isEmpty()) {
                    assertThat(buf.touch(all.get(op.pick() % all.size()))).isTrue();
                }
            } else {
                LayeredMemoryBuffer.StoreOutcome out = buf.store(op.layer(), state(op), op.relevance());
                assertThat(out.stored()).isTrue();
                assertThat(buf.get(out.entryId())).isNotNull();
                evictedByOutcomes += out.evicted();
                stores++;
            }
            long bytes = 0;
            int sum = 0;
            Map<Integer, Long> perLayerCounts = new TreeMap<>();
            for (int layer = 0; layer < LAYERS; layer++) {
                assertThat(buf.size(layer)).isLessThanOrEqualTo(perLayer);
                assertThat(buf.entries(layer)).hasSize(buf.size(layer));
                for (MemoryEntry e : buf.entries(layer)) {
                    assertThat(e.layer()).isEqualTo(layer);
                    bytes += e.bytes();
                }
                sum += buf.size(layer);
                if (buf.size(layer) > 0) {
                    perLayerCounts.put(layer, (long) buf.size(layer));
                }
            }
            assertThat(buf.totalSize()).isEqualTo(sum)
                    .isLessThanOrEqualTo(config.effectiveTotalLimit())
                    .isLessThanOrEqualTo(total);
            assertThat(buf.utilization()).isLessThanOrEqualTo(Math.max(cleanup, 1.0 / total));
            assertThat(buf.bytes()).isEqualTo(bytes);
            BufferReading r = buf.read();
            assertThat(r.entriesPerLayer()).isEqualTo(perLayerCounts);
            assertThat(r.memoryBytes()).isEqualTo(bytes);
            assertThat(r.capacityEntries()).isEqualTo(total);
        }
        assertThat(buf.insertions()).isEqualTo(stores);
        assertThat(buf.evictions()).isEqualTo(evictedByOutcomes).isEqualTo(stores - buf.totalSize());
        assertThat(buf.evictionsPerLayer().values().stream().mapToLong(Long::longValue).sum())
                .isEqualTo(buf.evictions());
    }

    /**
     * With only the per-layer cap binding, every eviction removes exactly the entry a brute-force reading of the
     * documented policy picks among the layer's entries.
     */
    @Property(tries = 300)
    void eachEvictionRemovesTheVictimTheDocumentedOrderPicks(
            @ForAll("ops") List<Op> ops, @ForAll("policies") EvictionPolicy policy,
            @ForAll @IntRange(min = 1, max = 5) int perLayer) {
        MemoryConfig config = MemoryConfig.builder().relevanceThreshold(0).maxEntriesPerLayer(perLayer)
                .maxTotalEntries(LAYERS * perLayer).cleanupThreshold(1.0).evictionPolicy(policy).build();
        LayeredMemoryBuffer buf = new LayeredMemoryBuffer(config);
        for (Op op : ops) {
            if (op.touch()) {
                List<MemoryEntry> all = buf.allEntries();
                if (!all.isEmpty()) {
                    buf.touch(all.get(op.pick() % all.size()));
                }
                continue;
            }
            List<MemoryEntry> before = buf.entries(op.layer());
            MemoryEntry expected = before.size() == perLayer ? referenceVictim(before, policy) : null;
            LayeredMemoryBuffer.StoreOutcome out = buf.store(op.layer(), state(op), op.relevance());
            List<MemoryEntry> gone = new ArrayList<>(before);
            gone.removeAll(buf.entries(op.layer()));
            if (expected == null) {
                assertThat(out.evicted()).isZero();
                assertThat(gone).isEmpty();
            } else {
                assertThat(out.evicted()).isEqualTo(1);
                assertThat(gone).containsExactly(expected);
            }
        }
    }

    private static MemoryEntry referenceVictim(List<MemoryEntry> c, EvictionPolicy policy) {
        Comparator<MemoryEntry> lru = Comparator.comparingLong(MemoryEntry::lastAccessStep)
                .thenComparingLong(MemoryEntry::createdStep).thenComparingLong(MemoryEntry::id);
        Comparator<MemoryEntry> byRelevance = Comparator.comparingDouble(MemoryEntry::relevance).thenComparing(lru);
        return switch (policy) {
            case LRU -> c.stream().min(lru).orElseThrow();
            case RELEVANCE -> c.stream().min(byRelevance).orElseThrow();
            case LRU_RELEVANCE -> {
                int n = c.size();
                Comparator<MemoryEntry> combined = Comparator.comparingDouble((MemoryEntry e) -> {
                    if (n == 1) {
                        return 0.0;
                    }
                    long older = c.stream().filter(o -> o.lastAccessStep() < e.lastAccessStep()).count();
                    long lessRelevant = c.stream().filter(o -> o.relevance() < e.relevance()).count();
                    return 0.5 * older / (n - 1) + 0.5 * lessRelevant / (n - 1);
                }).thenComparing(byRelevance);
                yield c.stream().min(combined).orElseThrow();
            }
        };
    }

    private static float[] state(Op op) {
        return new float[] {op.layer(), op.relevance(), op.pick()};
    }
}
