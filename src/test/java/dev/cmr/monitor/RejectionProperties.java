package dev.cmr.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cmr.monitor.record.RejectReason;
import dev.cmr.monitor.record.Stage;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Random mixed streams of valid and invalid records: accepted ones are counted exactly, the rest by reason. */
class RejectionProperties {
    private static final int LAYERS = 8;

    /** One record call; kind 0 capture, 1 reconstruction, 2 retrieval, 3 eviction, 4 forward. */
    record Event(int kind, int layer, int a, int b, long nanos, double quality, boolean hit) {
        /** The reason the record path must give, in its documented order, or null if it must accept the event. */
        RejectReason expectedReason() {
            if (kind != 4 && (layer < 0 || layer >= LAYERS)) {
                return RejectReason.LAYER_OUT_OF_RANGE;
            }
            return switch (kind) {
                case 0 -> nanos < 0 ? RejectReason.NEGATIVE_DURATION : (a < 0 || b < 0) ? RejectReason.NEGATIVE_COUNT
                        : b > a ? RejectReason.INCONSISTENT_COUNTS : null;
                case 1 -> nanos < 0 ? RejectReason.NEGATIVE_DURATION : a < 0 ? RejectReason.NEGATIVE_COUNT
                        : (quality < 0 || quality > 1) ? RejectReason.INVALID_QUALITY : null;
                case 2 -> nanos < 0 ? RejectReason.NEGATIVE_DURATION : (a < 0 || b < 0) ? RejectReason.NEGATIVE_COUNT
                        : b > a ? RejectReason.INCONSISTENT_COUNTS : null;
                case 3 -> a < 0 ? RejectReason.NEGATIVE_COUNT : null;
                default -> nanos < 0 ? RejectReason.NEGATIVE_DURATION : null;
            };
        }

        void recordInto(CmrPerformanceMonitor m) {
            switch (kind) {
                case 0 -> m.recordCapture(layer, a, b, nanos);
                case 1 -> m.recordReconstruction(layer, a, nanos, quality);
                case 2 -> m.recordRetrieval(layer, a, b, hit, nanos);
                case 3 -> m.recordEviction(layer, a);
                default -> m.recordForward(nanos);
            }
        }
    }

    @Provide
    Arbitrary<List<Event>> streams() {
        return events().list().ofMaxSize(300);
    }

    private Arbitrary<Event> events() {
        Arbitrary<Integer> kind = Arbitraries.integers().between(0, 4);
        Arbitrary<Integer> layer = Arbitraries.integers().between(-3, LAYERS + 3);
        Arbitrary<Integer> count = Arbitraries.integers().between(-2, 20);
        Arbitrary<Long> nanos = Arbitraries.longs().between(-1_000, 100_000_000);
        Arbitrary<Double> quality = Arbitraries.doubles().between(-0.5, 1.5);
        return Combinators.combine(kind, layer, count, count, nanos, quality, Arbitraries.of(true, false))
                .as(Event::new);
    }

    @Property(tries = 300)
    void acceptedRecordsAreCountedExactlyAndTheRestByReason(@ForAll("streams") List<Event> events) {
        MonitoringConfig config = MonitoringConfig.builder().maxLayers(LAYERS).build();
        try (CmrPerformanceMonitor monitor = new CmrPerformanceMonitor(config)) {
            Map<RejectReason, Long> rejected = new EnumMap<>(RejectReason.class);
            long captures = 0, stored = 0, reconstructions = 0, retrievals = 0, evicted = 0, forwards = 0;
            long forwardNanos = 0;
            for (Event e : events) {
                e.recordInto(monitor);
                RejectReason reason = e.expectedReason();
                if (reason != null) {
                    rejected.merge(reason, 1L, Long::sum);
                    continue;
                }
                switch (e.kind()) {
                    case 0 -> {
                        captures++;
                        stored += e.b();
                    }
                    case 1 -> reconstructions++;
                    case 2 -> retrievals++;
                    case 3 -> evicted += e.a();
                    default -> {
                        forwards++;
                        forwardNanos += e.nanos();
                    }
                }
            }

            MonitorStats stats = monitor.getStats();
            for (RejectReason reason : RejectReason.values()) {
                assertThat(stats.rejectedRecords().get(reason.key()))
                        .as(reason.key()).isEqualTo(rejected.getOrDefault(reason, 0L));
            }
            assertThat(stats.totalCaptures()).isEqualTo(captures);
            assertThat(stats.statesStoredPerLayer().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(stored);
            assertThat(stats.totalReconstructions()).isEqualTo(reconstructions);
            assertThat(stats.retrieval().totalRetrievals()).isEqualTo(retrievals);
            assertThat(stats.buffer().evictionCount()).isEqualTo(evicted);
            assertThat(stats.totalForwards()).isEqualTo(forwards);
            assertThat(stats.timing(Stage.FORWARD).overall().totalNanos()).isEqualTo(forwardNanos);
        }
    }

    @Example
    void eachKindOfBadInputIsRejectedAndCountedWithoutThrowing() {
        try (CmrPerformanceMonitor monitor = new CmrPerformanceMonitor()) {
            monitor.recordCapture(-1, 1, 1_000L);
            monitor.recordCapture(32, 1, 1_000L);
            monitor.recordCapture(0, 1, -5L);
            monitor.recordCapture(0, 1, -0.5);
            monitor.recordForward(Double.NaN);
            monitor.recordReconstruction(0, -1, 1_000L);
            monitor.recordEviction(0, -3);
            monitor.recordRetrieval(0, 2, 5, false, 1_000L);
            monitor.recordReconstruction(0, 1, 1_000L, 1.5);

            Map<String, Long> rejected = monitor.getStats().rejectedRecords();
            assertThat(rejected).containsExactly(
                    Map.entry("layer_out_of_range", 2L),
                    Map.entry("negative_duration", 3L),
                    Map.entry("negative_count", 2L),
                    Map.entry("inconsistent_counts", 1L),
                    Map.entry("invalid_quality", 1L));
            assertThat(monitor.getStats().totalCaptures()).isZero();
        }
    }
}
