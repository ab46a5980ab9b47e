package dev.cmr.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.cmr.monitor.profile.ExecutionProfile;
import dev.cmr.monitor.profile.HostSpan;
import dev.cmr.monitor.profile.LayerProfile;
import dev.cmr.monitor.profile.PassDurations;
import dev.cmr.monitor.profile.PassTrace;
import dev.cmr.monitor.profile.ProfiledPass;
import dev.cmr.monitor.profile.StageProfile;
import dev.cmr.monitor.profile.SyncWaitSpan;
import dev.cmr.monitor.profile.Verdict;
import dev.cmr.monitor.record.AllocatedBytes;
import dev.cmr.monitor.record.Stage;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The span forms of the record API inside and outside profiled blocks. */
class ProfileSpansTest {
    private static final long US = 1_000;
    private static final long MS = 1_000_000;
    private static final long T = 5_000 * MS;
    /** No collector tick during a test, no sampler thread. */
    private static final MonitoringConfig QUIET = MonitoringConfig.builder().metricCollectionInterval(3600)
            .enableResourceSampling(false).build();

    private final AtomicLong nanos = new AtomicLong(T);
    private CmrPerformanceMonitor monitor = monitor(QUIET);
    private final long me = Thread.currentThread().getId();

    private CmrPerformanceMonitor monitor(MonitoringConfig config) {
        return new CmrPerformanceMonitor(config, Clock.systemUTC(), nanos::get);
    }

    private static MonitoringConfig.Builder quiet() {
        return MonitoringConfig.builder().metricCollectionInterval(3600).enableResourceSampling(false);
    }

    @AfterEach
    void close() {
        monitor.close();
    }

    private List<ProfiledPass> passes(String name) {
        return MonitorInternals.profiledPasses(monitor, name);
    }

    private PassTrace onlyTrace(String name) {
        List<ProfiledPass> passes = passes(name);
        assertThat(passes).hasSize(1);
        assertThat(passes.get(0)).isInstanceOf(PassTrace.class);
        return (PassTrace) passes.get(0);
    }

    @Test
    void spansLandInTheBlockAsAPassTraceWithTheirExactTimestamps() {
        monitor.enableProfiling();
        try (ProfileBlock block = monitor.profileExecution("forward")) {
            monitor.recordSyncWaitSpan(0, T + 20, T + 50);
            monitor.recordCaptureSpan(0, 4, 2, T + 60, T + 80);
            monitor.recordRetrievalSpan(0, 5, 3, true, T + 80, T + 90);
            monitor.recordReconstructionSpan(0, 3, 0.5, T + 90, T + 100);
            monitor.recordLayerSpan(0, T + 10, T + 110);
            nanos.set(T + 200);
        }

        PassTrace pass = onlyTrace("forward");
        assertThat(pass.startNanos()).isEqualTo(T);
        assertThat(pass.endNanos()).isEqualTo(T + 200);
        assertThat(pass.hostSpans()).containsExactly(
                new HostSpan(0, Stage.CAPTURE, T + 60, T + 80, me),
                new HostSpan(0, Stage.RETRIEVAL, T + 80, T + 90, me),
                new HostSpan(0, Stage.RECONSTRUCTION, T + 90, T + 100, me),
                new HostSpan(0, Stage.LAYER, T + 10, T + 110, me));
        assertThat(pass.syncWaits()).containsExactly(new SyncWaitSpan(0, T + 20, T + 50));
        assertThat(pass.deviceSpans()).isEmpty();
        assertThat(pass.deviceDurations()).isEmpty();
        assertThat(monitor.getProfileResults().execution("forward").droppedSpans()).isZero();
    }

    @Test
    void spanFormsRecordExactlyWhatTheDurationFormsRecord() {
        try (CmrPerformanceMonitor durations = monitor(QUIET)) {
            monitor.enableProfiling();
            try (ProfileBlock block = monitor.profileExecution("forward")) {
                monitor.recordLayerSpan(1, T, T + 7 * US);
                monitor.recordSyncWaitSpan(1, T, T + 2 * US);
                monitor.recordCaptureSpan(1, 9, 4, T, T + 3 * US);
                monitor.recordRetrievalSpan(1, 6, 2, true, T, T + 5 * US);
                monitor.recordReconstructionSpan(1, 2, 0.25, T, T + 11 * US);
                monitor.layerRecorder(2).recordSpan(T, T + 13 * US);
                monitor.syncWaitRecorder(2).recordSpan(T, T + US);
                monitor.captureRecorder(2).recordSpan(3, 3, T, T + 2 * US);
                monitor.retrievalRecorder(2).recordSpan(4, 1, false, T, T + 4 * US);
                monitor.reconstructionRecorder(2).recordSpan(1, Double.NaN, T, T + 6 * US);
            }
            durations.recordLayer(1, 7 * US);
            durations.recordSyncWait(1, 2 * US);
            durations.recordCapture(1, 9, 4, 3 * US);
            durations.recordRetrieval(1, 6, 2, true, 5 * US);
            durations.recordReconstruction(1, 2, 11 * US, 0.25);
            durations.layerRecorder(2).record(13 * US);
            durations.syncWaitRecorder(2).record(US);
            durations.captureRecorder(2).record(3, 3, 2 * US);
            durations.retrievalRecorder(2).record(4, 1, false, 4 * US);
            durations.reconstructionRecorder(2).record(1, 6 * US);

            MonitorStats spans = monitor.getStats();
            MonitorStats plain = durations.getStats();
            for (Stage stage : List.of(Stage.LAYER, Stage.SYNC_WAIT, Stage.CAPTURE, Stage.RETRIEVAL,
                    Stage.RECONSTRUCTION)) {
                assertThat(spans.timing(stage).perLayer()).as(stage.key())
                        .isEqualTo(plain.timing(stage).perLayer()).isNotEmpty();
            }
            assertThat(spans.statesCapturedPerLayer()).isEqualTo(plain.statesCapturedPerLayer());
            assertThat(spans.statesStoredPerLayer()).isEqualTo(plain.statesStoredPerLayer());
            assertThat(spans.retrieval()).isEqualTo(plain.retrieval());
            assertThat(spans.efficiency()).isEqualTo(plain.efficiency());
            assertThat(onlyTrace("forward").hostSpans()).hasSize(8);
            assertThat(onlyTrace("forward").syncWaits()).hasSize(2);
        }
    }

    @Test
    void withNoBlockOpenSpansAreNotKeptButStatsAreRecorded() {
        monitor.recordLayerSpan(0, T, T + MS);              // profiling off
        monitor.enableProfiling();
        monitor.recordLayerSpan(0, T, T + MS);              // on, but no block open
        monitor.layerRecorder(0).recordSpan(T, T + MS);
        try (ProfileBlock offBlock = monitor.profileExecution("forward")) {
            monitor.recordCapture(0, 1, 1, US);             // a block without spans
        }
        monitor.disableProfiling();
        try (ProfileBlock noOp = monitor.profileExecution("forward")) {
            assertThat(noOp).isSameAs(ProfileBlock.NO_OP);
            monitor.recordLayerSpan(0, T, T + MS);          // the no-op block keeps nothing
        }

        assertThat(monitor.getStats().timing(Stage.LAYER).overall().count()).isEqualTo(4);
        assertThat(passes("forward")).singleElement().isInstanceOf(PassDurations.class);
        assertThat(((PassDurations) passes("forward").get(0)).layers().get(0).hostNanos()).isZero();
    }

    @Test
    void nestedBlocksShareTheThreadsBufferAndEachHoldsTheSpansRecordedWhileItWasOpen() {
        monitor.enableProfiling();
        try (ProfileBlock outer = monitor.profileExecution("outer")) {
            monitor.recordLayerSpan(0, T + 1, T + 2);
            try (ProfileBlock inner = monitor.profileExecution("inner")) {
                monitor.recordLayerSpan(1, T + 3, T + 4);
            }
            monitor.recordLayerSpan(2, T + 5, T + 6);
        }
        try (ProfileBlock next = monitor.profileExecution("next")) {
            monitor.recordLayerSpan(3, T + 7, T + 8);
        }

        assertThat(onlyTrace("inner").hostSpans()).extracting(HostSpan::layer).containsExactly(1);
        assertThat(onlyTrace("outer").hostSpans()).extracting(HostSpan::layer).containsExactly(0, 1, 2);
        assertThat(onlyTrace("next").hostSpans()).as("the outermost close cleared the buffer")
                .extracting(HostSpan::layer).containsExactly(3);
    }

    @Test
    void blocksOnSeveralThreadsAtOnceEachSeeOnlyTheirOwnThreadsSpans() throws Exception {
        monitor.enableProfiling();
        int threads = 4;
        CyclicBarrier allOpen = new CyclicBarrier(threads);
        CyclicBarrier allRecorded = new CyclicBarrier(threads);
        List<Thread> started = new ArrayList<>();
        long[] ids = new long[threads];
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < threads; t++) {
            int layer = t;
            Thread thread = new Thread(() -> {
                try (ProfileBlock block = monitor.profileExecution("worker")) {
                    allOpen.await();
                    for (int i = 0; i < 100; i++) {
                        monitor.recordLayerSpan(layer, T + i * 10L, T + i * 10L + layer + 1);
                    }
                    allRecorded.await();
                } catch (Exception e) {
                    failures.add(e);
                }
            });
            ids[t] = thread.getId();
            started.add(thread);
            thread.start();
        }
        for (Thread thread : started) {
            thread.join();
        }

        assertThat(failures).isEmpty();
        List<ProfiledPass> passes = passes("worker");
        assertThat(passes).hasSize(threads);
        for (ProfiledPass pass : passes) {
            List<HostSpan> spans = ((PassTrace) pass).hostSpans();
            assertThat(spans).hasSize(100);
            int layer = spans.get(0).layer();
            assertThat(spans).allSatisfy(s -> {
                assertThat(s.layer()).isEqualTo(layer);
                assertThat(s.threadId()).isEqualTo(ids[layer]);
                assertThat(s.lengthNanos()).isEqualTo(layer + 1);
            });
        }
        assertThat(passes).extracting(p -> ((PassTrace) p).hostSpans().get(0).layer())
                .containsExactlyInAnyOrder(0, 1, 2, 3);
    }

    @Test
    void spansBeyondTheBufferAreDroppedCountedAndNeverGrowTheHeap() {
        monitor.close();
        monitor = monitor(quiet().maxProfileSpans(8).build());
        monitor.enableProfiling();
        long allocated;
        try (ProfileBlock block = monitor.profileExecution("forward")) {
            monitor.recordLayerSpan(0, T, T + 1);          // the thread's first records allocate its counts
            long before = AllocatedBytes.currentThread();
            for (int i = 1; i < 200_000; i++) {
                monitor.recordLayerSpan(0, T + i, T + i + 1);
            }
            allocated = AllocatedBytes.currentThread() - before;
        }

        PassTrace pass = onlyTrace("forward");
        assertThat(pass.hostSpans()).hasSize(8);
        assertThat(pass.hostSpans().get(7).startNanos()).isEqualTo(T + 7);
        assertThat(monitor.getProfileResults().execution("forward").droppedSpans()).isEqualTo(200_000 - 8);
        assertThat(monitor.getStats().timing(Stage.LAYER).overall().count()).as("stats keep every span")
                .isEqualTo(200_000);
        assertThat(allocated).as("bytes allocated by 200 000 span records").isLessThan(16 * 1024);
    }

    @Test
    void aSpanThatEndsBeforeItStartsIsRejectedAndCountedInEveryForm() {
        monitor.enableProfiling();
        try (ProfileBlock block = monitor.profileExecution("forward")) {
            monitor.recordLayerSpan(0, T + 10, T + 9);
            monitor.recordSyncWaitSpan(0, T + 10, T + 9);
            monitor.recordCaptureSpan(0, 1, 1, T + 10, T + 9);
            monitor.recordRetrievalSpan(0, 1, 1, false, T + 10, T + 9);
            monitor.recordReconstructionSpan(0, 1, 0.5, T + 10, T + 9);
            monitor.layerRecorder(0).recordSpan(T + 10, T + 9);
            monitor.recordLayerSpan(0, Long.MIN_VALUE, Long.MAX_VALUE); // longer than a long holds
        }

        MonitorStats stats = monitor.getStats();
        assertThat(stats.rejectedRecords()).containsEntry("negative_duration", 7L);
        assertThat(stats.timing(Stage.LAYER).overall().count()).isZero();
        assertThat(passes("forward")).singleElement().isInstanceOf(PassDurations.class);
    }

    @Test
    void publicApiAcceptanceThroughTheSpanFormsGivesSyncDeviceAndHostBoundLayers() {
        monitor.enableProfiling();
        try (ProfileBlock block = monitor.profileExecution("forward")) {
            monitor.recordSyncWaitSpan(0, T + 100 * US, T + 900 * US);
            monitor.recordLayerSpan(0, T, T + MS);
            monitor.recordLayerSpan(1, T + MS, T + 2 * MS);
            monitor.recordDeviceTime(1, 5 * MS);
            monitor.recordLayerSpan(2, T + 2 * MS, T + 4 * MS);
            monitor.recordDeviceTime(2, 100 * US);
            nanos.set(T + 4 * MS);
        }

        assertThat(onlyTrace("forward").deviceDurations()).containsOnly(
                Map.entry(0, 0L), Map.entry(1, 5 * MS), Map.entry(2, 100 * US));
        ExecutionProfile forward = monitor.getProfileResults().execution("forward");
        assertThat(forward.wallNanos()).isEqualTo(4.0 * MS);
        LayerProfile sync = forward.layer(0);
        assertThat(sync.verdict()).isEqualTo(Verdict.SYNC_BOUND);
        assertThat(sync.hostNanos()).isEqualTo(1.0 * MS);
        assertThat(sync.syncWaitNanos()).isEqualTo(800.0 * US);
        assertThat(sync.launchNanos()).isEqualTo(200.0 * US);
        assertThat(sync.deviceNanos()).isEqualTo(0.0);
        LayerProfile device = forward.layer(1);
        assertThat(device.verdict()).isEqualTo(Verdict.DEVICE_BOUND);
        assertThat(device.hostNanos()).isEqualTo(1.0 * MS);
        assertThat(device.deviceNanos()).isEqualTo(5.0 * MS);
        LayerProfile host = forward.layer(2);
        assertThat(host.verdict()).isEqualTo(Verdict.HOST_BOUND);
        assertThat(host.hostNanos()).isEqualTo(2.0 * MS);
        assertThat(host.deviceNanos()).isEqualTo(100.0 * US);
        assertThat(host.reason()).contains("launch 2.000 ms > device 100.00 us");
        assertThat(forward.partition()).as("device durations without timestamps give no partition").isNull();
    }

    @Test
    void withProfileMemoryALayerThatAllocatesAMebibyteShowsAMebibyte() {
        monitor.close();
        monitor = monitor(quiet().profileMemory(true).build());
        monitor.enableProfiling();
        warmSlots();
        // Tolerance: record calls on warm slots allocate nothing; what else the thread allocates between the reads is
        // a few objects at most (the arrays' own headers are 16 bytes).
        long tolerance = 16 * 1024;
        try (ProfileBlock block = monitor.profileExecution("forward")) {
            long start = System.nanoTime();
            keep(new byte[1 << 20]);
            long captureStart = System.nanoTime();
            keep(new byte[256 << 10]);
            long captureEnd = System.nanoTime();
            monitor.recordCaptureSpan(0, 1, 1, captureStart, captureEnd);
            monitor.recordLayerSpan(0, start, System.nanoTime());
            long quiet = System.nanoTime();
            monitor.recordLayerSpan(1, quiet, System.nanoTime());
        }

        ExecutionProfile forward = monitor.getProfileResults().execution("forward");
        assertThat(forward.layer(0).allocatedBytes()).as("layer 0, its capture included")
                .isCloseTo((1 << 20) + (256 << 10), within((double) tolerance));
        StageProfile capture = forward.stages().get(0);
        assertThat(capture.stage()).isEqualTo(Stage.CAPTURE);
        assertThat(capture.allocatedBytes()).as("the capture's predecessor is the block's open: it counts the "
                + "layer's mebibyte before it too").isCloseTo((1 << 20) + (256 << 10), within((double) tolerance));
        assertThat(forward.layer(1).allocatedBytes()).isLessThan((double) tolerance);
    }

    @Test
    void aStageRightAfterAnotherSpanCountsOnlyItsOwnAllocation() {
        monitor.close();
        monitor = monitor(quiet().profileMemory(true).build());
        monitor.enableProfiling();
        warmSlots();
        long tolerance = 16 * 1024;
        try (ProfileBlock block = monitor.profileExecution("forward")) {
            long start = System.nanoTime();
            keep(new byte[1 << 20]);
            long waited = System.nanoTime();
            monitor.recordSyncWaitSpan(0, start, waited);   // ends where the capture starts
            keep(new byte[256 << 10]);
            long captured = System.nanoTime();
            monitor.recordCaptureSpan(0, 1, 1, waited, captured);
            monitor.recordLayerSpan(0, start, captured);
        }

        ExecutionProfile forward = monitor.getProfileResults().execution("forward");
        assertThat(forward.stages().get(0).allocatedBytes()).isCloseTo(256 << 10, within((double) tolerance));
        assertThat(forward.layer(0).allocatedBytes()).isCloseTo((1 << 20) + (256 << 10),
                within((double) tolerance));
    }

    @Test
    void withoutProfileMemoryAllocatedBytesAreNull() {
        monitor.enableProfiling();
        try (ProfileBlock block = monitor.profileExecution("forward")) {
            long start = System.nanoTime();
            keep(new byte[1 << 20]);
            monitor.recordCaptureSpan(0, 1, 1, start, System.nanoTime());
            monitor.recordLayerSpan(0, start, System.nanoTime());
        }

        ExecutionProfile forward = monitor.getProfileResults().execution("forward");
        assertThat(forward.layer(0).allocatedBytes()).isNull();
        assertThat(forward.stages().get(0).allocatedBytes()).isNull();
        assertThat(onlyTrace("forward").hostSpans()).allSatisfy(s -> assertThat(s.allocatedBytes()).isNull());
        assertThat(monitor.getProfileResults().toJson()).contains("\"allocated_bytes\" : null");
    }

    /**
     * The first record of a (stage, layer) on a thread allocates that slot's histogram counts (18 KB), which the span
     * then counts: record each slot the tests use once before their blocks.
     */
    private void warmSlots() {
        for (int layer = 0; layer < 2; layer++) {
            monitor.recordLayer(layer, US);
            monitor.recordSyncWait(layer, US);
            monitor.recordCapture(layer, 1, 1, US);
        }
    }

    private static volatile Object sink;

    private static void keep(Object o) {
        sink = o;
    }
}
