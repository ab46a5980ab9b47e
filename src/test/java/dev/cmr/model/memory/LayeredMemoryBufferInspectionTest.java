package dev.cmr.model.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cmr.monitor.spi.MemoryInspection;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LayeredMemoryBufferInspectionTest {
    private final AtomicLong now = new AtomicLong(-5_000); // nanoTime may be negative: ages are differences

    @TempDir
    Path dir;

    private static MemoryConfig.Builder permissive() {
        return MemoryConfig.builder().relevanceThreshold(0).cleanupThreshold(1.0);
    }

    private static float[] vec(float x) {
        return new float[] {x, 1, 2};
    }

    @Test
    void insertionsCountPerTargetLayerAndEvictionsPerVictimLayer() {
        LayeredMemoryBuffer buf = new LayeredMemoryBuffer(permissive().maxEntriesPerLayer(10).maxTotalEntries(3)
                .evictionPolicy(EvictionPolicy.LRU).build(), now::get);
        buf.store(0, vec(1), 1f);
        buf.store(0, vec(2), 1f);
        buf.store(0, vec(3), 1f);
        buf.store(7, vec(4), 1f); // the total limit evicts layer 0's oldest
        buf.store(7, vec(5), 1f);

        MemoryInspection m = buf.inspect(0);

        assertThat(m.layers()).containsOnlyKeys(0, 7);
        assertThat(m.layers().get(0).insertions()).isEqualTo(3).isEqualTo(buf.insertions(0));
        assertThat(m.layers().get(0).evictions()).isEqualTo(2);
        assertThat(m.layers().get(0).entries()).isEqualTo(1);
        assertThat(m.layers().get(7).insertions()).isEqualTo(2);
        assertThat(m.layers().get(7).evictions()).isZero();
        assertThat(m.totalLimit()).isEqualTo(3);
        assertThat(m.maxEntriesPerLayer()).isEqualTo(10);
        assertThat(buf.insertions(3)).isZero();
        assertThat(buf.insertions(-1)).isZero();
    }

    @Test
    void agesAndIdleTimesComeFromTheClockAndATouchResetsIdleOnly() {
        LayeredMemoryBuffer buf = new LayeredMemoryBuffer(permissive().build(), now::get);
        buf.store(2, vec(1), 1f);
        now.addAndGet(1_000);
        buf.store(2, vec(2), 1f);
        now.addAndGet(1_000);
        buf.touch(buf.entries(2).get(0));
        now.addAndGet(500);

        MemoryInspection.LayerMemory l = buf.inspect(1_000).layers().get(2);

        assertThat(l.maxAgeNanos()).isEqualTo(2_500);
        assertThat(l.meanAgeNanos()).isEqualTo((2_500 + 1_500) / 2.0);
        assertThat(l.maxIdleNanos()).isEqualTo(1_500);
        assertThat(l.meanIdleNanos()).isEqualTo((500 + 1_500) / 2.0);
        assertThat(l.staleEntries()).as("idle > 1000 ns").isEqualTo(1);
        assertThat(buf.inspect(1_500).layers().get(2).staleEntries()).as("exactly the age is not stale").isZero();
        assertThat(buf.inspect(1_000).windowNanos()).isEqualTo(2_500);
    }

    @Test
    void aLayerEmptiedByEvictionsStaysInTheInspectionWithZeroEntries() {
        LayeredMemoryBuffer buf = new LayeredMemoryBuffer(permissive().maxTotalEntries(1).build(), now::get);
        buf.store(1, vec(1), 1f);
        buf.store(4, vec(2), 1f);

        MemoryInspection.LayerMemory l = buf.inspect(0).layers().get(1);

        assertThat(l.entries()).isZero();
        assertThat(l.evictions()).isEqualTo(1);
        assertThat(l.maxAgeNanos()).isZero();
        assertThat(l.staleEntries()).isZero();
    }

    @Test
    void aLoadedBufferStampsItsEntriesWithTheLoadTime() throws Exception {
        LayeredMemoryBuffer buf = new LayeredMemoryBuffer(permissive().build(), now::get);
        buf.store(0, vec(1), 1f);
        Path file = dir.resolve("buffer.bin");
        buf.save(file);

        long before = System.nanoTime();
        LayeredMemoryBuffer loaded = LayeredMemoryBuffer.load(file, permissive().build());

        assertThat(loaded.entries(0).get(0).createdAtNanos()).isGreaterThanOrEqualTo(before);
        assertThat(loaded.entries(0).get(0).lastAccessAtNanos()).isEqualTo(loaded.entries(0).get(0).createdAtNanos());
    }

    @Test
    void aNegativeStaleAgeIsRejectedNamingTheArgument() {
        LayeredMemoryBuffer buf = new LayeredMemoryBuffer(permissive().build());
        assertThatThrownBy(() -> buf.inspect(-1)).hasMessage("staleAfterNanos must be >= 0, was -1");
        assertThatThrownBy(() -> new LayeredMemoryBuffer(permissive().build(), null))
                .hasMessage("nanoClock must not be null");
    }
}
