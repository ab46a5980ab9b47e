package dev.cmr.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cmr.model.hooks.HookKind;
import dev.cmr.model.memory.MemoryConfig;
import dev.cmr.monitor.CmrPerformanceMonitor;
import dev.cmr.monitor.MonitoringConfig;
import dev.cmr.monitor.health.ComponentHealth;
import dev.cmr.monitor.health.HealthReport;
import dev.cmr.monitor.health.HealthStatus;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Health judged from a real run of the reference runtime, not from made-up intervals. */
class FullCmrModelHealthTest {
    private static final Gpt2Config CONFIG = new Gpt2Config(ByteTokenizer.VOCAB_SIZE, 64, 32, 4, 4, 1e-5);
    /** The collector never fires during the test: it closes the interval itself. */
    private static final MonitoringConfig MANUAL = MonitoringConfig.builder().metricCollectionInterval(3600).build();

    private static FullCmrModel model(MemoryConfig memory) {
        return new FullCmrModel(Gpt2Model.seeded(CONFIG, 11), new CmrConfig(Set.of(0, 2), Set.of(1, 3), memory));
    }

    private static void run(FullCmrModel cmr, int passes) {
        SplittableRandom random = new SplittableRandom(7);
        for (int p = 0; p < passes; p++) {
            int[] tokens = new int[12];
            for (int i = 0; i < tokens.length; i++) {
                tokens[i] = random.nextInt(256);
            }
            cmr.forward(tokens);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> check(ComponentHealth c, String name) {
        return (Map<String, Object>) c.details().get(name);
    }

    @Test
    void aTinyMemoryBufferTurnsMemoryBufferYellowOrRedWithTheEvictionNumbers() {
        MemoryConfig tiny = MemoryConfig.builder().maxEntriesPerLayer(2).maxTotalEntries(3).relevanceThreshold(0.3)
                .build();
        try (FullCmrModel cmr = model(tiny); CmrPerformanceMonitor monitor = new CmrPerformanceMonitor(MANUAL)) {
            cmr.attach(monitor);
            run(cmr, 12);
            monitor.collectInterval();

            HealthReport report = monitor.evaluateHealth();

            ComponentHealth buffer = report.component("memory_buffer");
            assertThat(buffer.status()).isIn(HealthStatus.YELLOW, HealthStatus.RED);
            assertThat(buffer.details()).containsEntry("evictions", cmr.buffer().evictions())
                    .containsEntry("inserts", cmr.buffer().insertions());
            double perInsert = (double) cmr.buffer().evictions() / cmr.buffer().insertions();
            assertThat(check(buffer, "evictions_per_insert")).containsEntry("value", perInsert)
                    .containsEntry("yellow_above", 0.1).containsEntry("red_above", 0.5);
            assertThat(perInsert).isGreaterThan(0.1);
            assertThat(report.metrics()).containsEntry("memory_buffer.evictions_per_insert", perInsert);
            assertThat(report.status()).isIn(HealthStatus.YELLOW, HealthStatus.RED);
        }
    }

    @Test
    void aRoomyBufferKeepsEvictionsGreen() {
        MemoryConfig roomy = MemoryConfig.builder().maxEntriesPerLayer(10_000).maxTotalEntries(20_000)
                .relevanceThreshold(0.3).build();
        try (FullCmrModel cmr = model(roomy); CmrPerformanceMonitor monitor = new CmrPerformanceMonitor(MANUAL)) {
            cmr.attach(monitor);
            run(cmr, 12);
            monitor.collectInterval();

            ComponentHealth buffer = monitor.evaluateHealth().component("memory_buffer");

            assertThat(cmr.buffer().evictions()).isZero();
            assertThat(check(buffer, "evictions_per_insert")).containsEntry("value", 0.0)
                    .containsEntry("status", "GREEN");
        }
    }

    @Test
    void aThrowingHookMakesHooksRedThroughTheErrorRate() {
        MemoryConfig memory = MemoryConfig.builder().maxEntriesPerLayer(64).maxTotalEntries(128)
                .relevanceThreshold(0.3).build();
        try (FullCmrModel cmr = model(memory); CmrPerformanceMonitor monitor = new CmrPerformanceMonitor(MANUAL)) {
            cmr.attach(monitor);
            cmr.hooks().register(HookKind.CAPTURE, "broken", e -> {
                throw new IllegalStateException("hook bug");
            });
            run(cmr, 5);
            monitor.collectInterval();

            ComponentHealth hooks = monitor.evaluateHealth().component("hooks");

            // Two capture layers per pass, so 10 hook errors in 5 passes: the rate per pass is capped at 1.
            assertThat(hooks.status()).isEqualTo(HealthStatus.RED);
            assertThat(hooks.details()).containsEntry("hook_errors", 10L).containsEntry("forward_passes", 5L);
            assertThat(check(hooks, "error_rate")).containsEntry("value", 1.0);
        }
    }
}
