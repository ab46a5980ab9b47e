package dev.cmr.monitor.profile;

import dev.cmr.monitor.record.Stage;
import java.util.Comparator;
import java.util.List;
import java.util.SortedMap;

/**
 * The attribution of one pass (nanoseconds on the host clock), built by {@link PassAttributor}. Device numbers are
 * null when the pass carries none; the timeline parts ({@code partition}, {@code deviceBusyNanos},
 * {@code clockErrorBoundNanos}) are null for a {@link PassDurations} pass, and {@code gaps} is then empty.
 *
 * @param totals the pass totals the pass verdict is decided on: self host, sync wait and launch summed over layers;
 *               device time the union of all the pass's device spans (with timestamps) or the sum of the layers'
 *               device times (durations only)
 * @param stageAllocatedBytes per (layer, stage), the bytes its spans allocated; only stages whose spans carried
 *                            allocation numbers
 */
record PassAttribution(long wallNanos, SortedMap<Integer, Layer> layers, SortedMap<StageKey, Long> stageSelfNanos,
                       SortedMap<StageKey, Long> stageAllocatedBytes, SortedMap<KernelKey, Kernel> kernels,
                       Layer totals, PassPartition partition, List<IdleGap> gaps, Long deviceBusyNanos,
                       Long clockErrorBoundNanos) {

    /**
     * One layer's numbers in one pass; see {@link PassAttributor} for the definitions. {@code allocatedBytes} is
     * null when the layer's spans carried no allocation numbers.
     */
    record Layer(long hostNanos, long selfHostNanos, long syncWaitNanos, long launchNanos, boolean launchClamped,
                 Long deviceNanos, Long launchDelayNanos, Long allocatedBytes) {
    }

    /** Launches of one kernel name in a layer, and their summed device time. */
    record Kernel(long count, long deviceNanos) {
    }

    record StageKey(int layer, Stage stage) implements Comparable<StageKey> {
        private static final Comparator<StageKey> ORDER = Comparator.comparingInt(StageKey::layer)
                .thenComparing(StageKey::stage);

        @Override
        public int compareTo(StageKey o) {
            return ORDER.compare(this, o);
        }
    }

    record KernelKey(int layer, String kernel) implements Comparable<KernelKey> {
        private static final Comparator<KernelKey> ORDER = Comparator.comparingInt(KernelKey::layer)
                .thenComparing(KernelKey::kernel);

        @Override
        public int compareTo(KernelKey o) {
            return ORDER.compare(this, o);
        }
    }
}
