package dev.cmr.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cmr.monitor.profile.ExecutionProfile;
import dev.cmr.monitor.profile.PassTrace;
import dev.cmr.monitor.profile.ResourcePoint;
import dev.cmr.monitor.resources.HostSampler;
import dev.cmr.monitor.resources.JvmSampler;
import dev.cmr.testing.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Which blocks a schedule and an on-demand trigger profile, and the resource curves a profiled window carries. */
class ProfileScheduleAndTriggerTest {
    private static final MonitoringConfig QUIET = MonitoringConfig.builder().metricCollectionInterval(3600)
            .enableResourceSampling(false).build();

    private final List<CmrPerformanceMonitor> monitors = new ArrayList<>();

    private CmrPerformanceMonitor monitor(MonitoringConfig config) {
        CmrPerformanceMonitor m = new CmrPerformanceMonitor(config);
        monitors.add(m);
        return m;
    }

    @AfterEach
    void close() {
        monitors.forEach(CmrPerformanceMonitor::close);
    }

    /** One block of {@code name} with a layer span {@code marker} ns long, so each pass is recognisable. */
    private static boolean block(CmrPerformanceMonitor m, String name, long marker) {
        try (ProfileBlock block = m.profileExecution(name)) {
            long t = System.nanoTime();
            m.recordLayerSpan(0, t, t + marker);
            return !block.isNoOp();
        }
    }

    private static List<Long> layerHosts(CmrPerformanceMonitor m, String name) {
        ExecutionProfile e = m.getProfileResults().execution(name);
        if (e == null) {
            return List.of();
        }
        return java.util.Arrays.stream(e.layer(0).samples().hostNanos().toArray()).boxed().toList();
    }

    @Test
    void aScheduleSkipsWarmsUpAndKeepsItsActiveStepsThenStops() {
        CmrPerformanceMonitor m = monitor(QUIET);
        m.setProfileSchedule(new ProfileSchedule(1, 1, 2, 2));
        m.enableProfiling();
        List<Boolean> profiled = new ArrayList<>();
        for (int step = 1; step <= 10; step++) {
            profiled.add(block(m, "forward", step));
        }

        assertThat(profiled).containsExactly(false, true, true, true, false, true, true, true, false, false);
        assertThat(layerHosts(m, "forward")).as("the active steps, not the warmups").containsExactly(3L, 4L, 7L, 8L);
    }

    @Test
    void aTriggerProfilesTheNextPassesWithProfilingOffAndCompletesWhenTheyClose() throws Exception {
        CmrPerformanceMonitor m = monitor(QUIET);
        assertThat(block(m, "forward", 1)).isFalse();

        CompletableFuture<Void> done = m.profileNextPasses(2);
        assertThat(m.isProfiling()).isTrue();
        assertThat(block(m, "forward", 2)).isTrue();
        assertThat(done).isNotDone();
        assertThat(block(m, "forward", 3)).isTrue();
        done.get(5, TimeUnit.SECONDS);

        assertThat(block(m, "forward", 4)).isFalse();
        assertThat(m.isProfiling()).isFalse();
        assertThat(layerHosts(m, "forward")).containsExactly(2L, 3L);
    }

    @Test
    void aTriggerFiredFromAnotherThreadIsTakenByTheServingThread() throws Exception {
        CmrPerformanceMonitor m = monitor(QUIET);
        CompletableFuture<CompletableFuture<Void>> fired = CompletableFuture.supplyAsync(() -> m.profileNextPasses(3));
        CompletableFuture<Void> done = fired.get(5, TimeUnit.SECONDS);
        int profiled = 0;
        for (int pass = 0; pass < 10; pass++) {
            profiled += block(m, "serve", 5) ? 1 : 0;
        }

        done.get(5, TimeUnit.SECONDS);
        assertThat(profiled).isEqualTo(3);
        assertThat(m.getProfileResults().execution("serve").passes()).isEqualTo(3);
    }

    @Test
    void aTriggerWithProfilingOffStartsAFreshSessionAndWithProfilingOnJoinsTheCurrentOne() throws Exception {
        CmrPerformanceMonitor off = monitor(QUIET);
        off.enableProfiling();
        block(off, "old", 1);
        off.disableProfiling();
        off.profileNextPasses(1);
        block(off, "new", 2);
        assertThat(off.getProfileResults().executions()).extracting(ExecutionProfile::name).containsExactly("new");

        CmrPerformanceMonitor on = monitor(QUIET);
        on.enableProfiling();
        block(on, "old", 1);
        on.profileNextPasses(1).thenRun(() -> { });
        block(on, "new", 2);
        assertThat(on.getProfileResults().executions()).extracting(ExecutionProfile::name)
                .containsExactly("new", "old");
    }

    @Test
    void aTriggerTakesPrecedenceOverASkippingSchedule() {
        CmrPerformanceMonitor m = monitor(QUIET);
        m.setProfileSchedule(new ProfileSchedule(100, 0, 1, 0));
        m.enableProfiling();
        m.profileNextPasses(1);

        assertThat(block(m, "forward", 9)).isTrue();
        assertThat(block(m, "forward", 10)).isFalse();
        assertThat(layerHosts(m, "forward")).containsExactly(9L);
    }

    @Test
    void aProfiledExecutionCarriesTheJvmCurvesBesideItsWindow() throws InterruptedException {
        CmrPerformanceMonitor m = monitor(MonitoringConfig.builder().metricCollectionInterval(3600)
                .resourceSamplingInterval(0.01).build());
        String heap = JvmSampler.NAME + "." + JvmSampler.HEAP_USED_BYTES;
        // The first poll (OSHI's start-up) can take longer than the window; wait until polls come every 10 ms.
        Await.until(Duration.ofSeconds(30), () -> m.getStats().resources().containsKey(heap));
        m.enableProfiling();
        try (ProfileBlock block = m.profileExecution("forward")) {
            long t = System.nanoTime();
            Thread.sleep(80);
            m.recordLayerSpan(0, t, System.nanoTime());
        }
        Await.until(Duration.ofSeconds(30), () -> {
            PassTrace pass = m.getProfileResults().execution("forward").representativePass();
            List<ResourcePoint> points = m.getProfileResults().execution("forward").resources().get(heap);
            return points != null && points.get(points.size() - 1).time() > pass.endNanos();
        });

        ExecutionProfile forward = m.getProfileResults().execution("forward");
        PassTrace pass = forward.representativePass();
        List<ResourcePoint> points = forward.resources().get(heap);
        assertThat(points.stream().filter(p -> p.time() >= pass.startNanos() && p.time() <= pass.endNanos()))
                .as("polls every 10 ms inside an 80 ms window").hasSizeGreaterThanOrEqualTo(3);
        assertThat(points.stream().filter(p -> p.time() < pass.startNanos())).as("the poll just before").hasSize(1);
        assertThat(points.stream().filter(p -> p.time() > pass.endNanos())).as("the poll just after").hasSize(1);
        assertThat(forward.resources()).containsKey(HostSampler.NAME + "." + HostSampler.PROCESS_RSS_BYTES);
    }
}
