package dev.cmr.monitor.resources;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResourceTrailTest {
    private static Map<String, ResourceSample> poll(long t, double cpu) {
        return Map.of("host", new ResourceSample("host", t, Map.of("cpu_percent", cpu)),
                "jvm", new ResourceSample("jvm", t, Map.of("heap_used_bytes", cpu * 10)));
    }

    private static List<Long> times(List<double[]> pairs) {
        return pairs.stream().map(p -> (long) p[0]).toList();
    }

    @Test
    void aWindowGetsItsPollsAndTheOneBeforeAndAfterIt() {
        ResourceTrail trail = new ResourceTrail(16);
        for (int i = 1; i <= 6; i++) {
            trail.add(poll(i * 100L, i));
        }

        Map<String, List<double[]>> window = trail.between(250, 420);

        assertThat(window).containsOnlyKeys("host.cpu_percent", "jvm.heap_used_bytes");
        assertThat(times(window.get("host.cpu_percent"))).containsExactly(200L, 300L, 400L, 500L);
        assertThat(window.get("jvm.heap_used_bytes").get(1)[1]).isEqualTo(30.0);
    }

    @Test
    void aWindowBetweenTwoPollsStillGetsTheValuesAroundIt() {
        ResourceTrail trail = new ResourceTrail(16);
        trail.add(poll(1_000, 1));
        trail.add(poll(2_000, 2));

        assertThat(times(trail.between(1_200, 1_300).get("host.cpu_percent"))).containsExactly(1_000L, 2_000L);
    }

    @Test
    void onlyTheLastCapacityPollsAreKept() {
        ResourceTrail trail = new ResourceTrail(4);
        for (int i = 1; i <= 10; i++) {
            trail.add(poll(i * 100L, i));
        }

        assertThat(times(trail.between(0, Long.MAX_VALUE).get("host.cpu_percent")))
                .containsExactly(700L, 800L, 900L, 1_000L);
    }

    @Test
    void anEmptyTrailGivesNoCurves() {
        assertThat(new ResourceTrail(4).between(0, 10)).isEmpty();
    }

    @Test
    void thePollerKeepsItsPollsForProfiledWindows() {
        ResourcePollerTest.CountingSampler counting = new ResourcePollerTest.CountingSampler("counting");
        try (ResourcePoller poller = new ResourcePoller(1_000_000_000_000L, List.of(counting))) {
            dev.cmr.testing.Await.until(java.time.Duration.ofSeconds(20), () -> !counting.timestamps.isEmpty());
            long t = counting.timestamps.get(0);
            poller.poll(t + 10);

            assertThat(times(poller.samplesBetween(t, t + 10).get("counting.polls_count")))
                    .containsExactly(t, t + 10);
        }
    }
}
