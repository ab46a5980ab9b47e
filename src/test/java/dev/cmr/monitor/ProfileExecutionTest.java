package dev.cmr.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.cmr.monitor.profile.ExecutionProfile;
import dev.cmr.monitor.profile.LayerProfile;
import dev.cmr.monitor.profile.PassTrace;
import dev.cmr.monitor.profile.ProfileResults;
import dev.cmr.monitor.profile.Verdict;
import dev.cmr.monitor.record.Stage;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ProfileExecutionTest {
    private static final long US = 1_000;
    private static final long MS = 1_000_000;
    /** No collector tick during a test, no sampler thread. */
    private static final MonitoringConfig QUIET = MonitoringConfig.builder().metricCollectionInterval(3600)
            .enableResourceSampling(false).build();

    private final AtomicLong nanos = new AtomicLong(1_000 * MS);
    private CmrPerformanceMonitor monitor = new CmrPerformanceMonitor(QUIET, Clock.systemUTC(), nanos::get);

    @AfterEach
    void close() {
        monitor.close();
    }

    /** The acceptance, through the public record API alone: layer 0 sync, layer 1 device, layer 2 host. */
    private void acceptanceWorkload() {
        monitor.recordLayer(0, MS);
        monitor.recordSyncWait(0, 800 * US);
        monitor.recordLayer(1, MS);
        monitor.recordDeviceTime(1, 5 * MS);
        monitor.recordLayer(2, 2 * MS);
        monitor.recordDeviceTime(2, 100 * US);
    }

    @Test
    void recordApiAloneGivesSyncDeviceAndHostBoundLayersWithTheirNumbers() {
        monitor.enableProfiling();
        try (ProfileBlock block = monitor.profileExecution("forward")) {
            acceptanceWorkload();
            nanos.addAndGet(4 * MS);
        }

        ExecutionProfile forward = monitor.getProfileResults().execution("forward");
        assertThat(forward.passes()).isEqualTo(1);
        assertAcceptanceVerdictsAndNumbers(forward);
    }

    @Test
    void recordApiSpanFormsGiveTheSameVerdictsAndNumbersWithTimestamps() {
        long t = nanos.get();
        monitor.enableProfiling();
        try (ProfileBlock block = monitor.profileExecution("forward")) {
            monitor.recordSyncWaitSpan(0, t + 100 * US, t + 900 * US);
            monitor.recordLayerSpan(0, t, t + MS);
            monitor.recordLayerSpan(1, t + MS, t + 2 * MS);
            monitor.recordDeviceTime(1, 5 * MS);
            monitor.recordLayerSpan(2, t + 2 * MS, t + 4 * MS);
            monitor.recordDeviceTime(2, 100 * US);
            nanos.addAndGet(4 * MS);
        }

        assertThat(MonitorInternals.profiledPasses(monitor, "forward")).singleElement()
                .isInstanceOfSatisfying(PassTrace.class, pass -> assertThat(pass.deviceDurations())
                        .containsOnly(Map.entry(0, 0L), Map.entry(1, 5 * MS), Map.entry(2, 100 * US)));
        ExecutionProfile forward = monitor.getProfileResults().execution("forward");
        assertAcceptanceVerdictsAndNumbers(forward);
        assertThat(forward.partition()).as("device durations without timestamps give no partition").isNull();
    }

    private static void assertAcceptanceVerdictsAndNumbers(ExecutionProfile forward) {
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
        assertThat(device.syncWaitNanos()).isEqualTo(0.0);
        assertThat(device.deviceNanos()).isEqualTo(5.0 * MS);
        LayerProfile host = forward.layer(2);
        assertThat(host.verdict()).isEqualTo(Verdict.HOST_BOUND);
        assertThat(host.hostNanos()).isEqualTo(2.0 * MS);
        assertThat(host.deviceNanos()).isEqualTo(100.0 * US);
        assertThat(host.reason()).contains("launch 2.000 ms > device 100.00 us");
    }

    @Test
    void theJsonCarriesTheLayersAndReadsBackEqual() {
        monitor.enableProfiling();
        try (ProfileBlock block = monitor.profileExecution("forward")) {
            acceptanceWorkload();
        }

        ProfileResults results = monitor.getProfileResults();
        String json = results.toJson();

        assertThat(json).contains("\"host_ns\"", "\"sync_wait_ns\"", "\"device_ns\"", "\"SYNC_BOUND\"", "\"DEVICE_BOUND\"");
        assertThat(ProfileResults.fromJson(json)).isEqualTo(results);
        assertThat(ProfileResults.fromJson(json).execution("forward").layer(1).deviceNanos()).isEqualTo(5.0 * MS);
    }

    @Test
    void recordsBeforeAndAfterTheBlockAreNotInIt() {
        monitor.enableProfiling();
        monitor.recordLayer(0, 7 * MS);
        monitor.recordDeviceTime(0, 9 * MS);
        try (ProfileBlock block = monitor.profileExecution("forward")) {
            monitor.recordLayer(0, 3 * MS);
        }
        monitor.recordLayer(0, 11 * MS);
        monitor.recordLayer(1, 11 * MS);

        ExecutionProfile forward = monitor.getProfileResults().execution("forward");
        assertThat(forward.layers()).extracting(LayerProfile::layer).containsExactly(0);
        assertThat(forward.layer(0).hostNanos()).isEqualTo(3.0 * MS);
        assertThat(forward.layer(0).deviceNanos()).as("no device record inside the block").isNull();
        assertThat(forward.layer(0).verdict()).isEqualTo(Verdict.HOST_BOUND);
    }

    @Test
    void recordsOfAnotherThreadWhileTheBlockIsOpenAreNotInIt() throws Exception {
        monitor.enableProfiling();
        try (ProfileBlock block = monitor.profileExecution("forward")) {
            monitor.recordLayer(0, MS);
            Thread other = new Thread(() -> {
                monitor.recordLayer(0, 50 * MS);
                monitor.recordSyncWait(0, 50 * MS);
                monitor.recordDeviceTime(1, 50 * MS);
            });
            other.start();
            other.join();
        }

        ExecutionProfile forward = monitor.getProfileResults().execution("forward");
        assertThat(forward.layers()).extracting(LayerProfile::layer).containsExactly(0);
        assertThat(forward.layer(0).hostNanos()).isEqualTo(1.0 * MS);
        assertThat(forward.layer(0).syncWaitNanos()).isEqualTo(0.0);
        assertThat(forward.layer(0).deviceNanos()).isNull();
    }

    @Test
    void eachBlockOfANameIsOnePassAndNumbersAreMeansPerPass() {
        monitor.enableProfiling();
        for (int i = 1; i <= 3; i++) {
            try (ProfileBlock block = monitor.profileExecution("forward")) {
                monitor.recordLayer(0, i * MS);
                monitor.recordCapture(0, 4, 2, i * 100 * US);
                nanos.addAndGet(10 * i * MS);
            }
        }

        ExecutionProfile forward = monitor.getProfileResults().execution("forward");
        assertThat(forward.passes()).isEqualTo(3);
        assertThat(forward.wallNanos()).isEqualTo(20.0 * MS);
        assertThat(forward.layer(0).hostNanos()).isEqualTo(2.0 * MS);
        assertThat(forward.layer(0).samples().hostNanos().toArray()).containsExactly(MS, 2 * MS, 3 * MS);
        assertThat(forward.stages()).singleElement().satisfies(s -> {
            assertThat(s.stage()).isEqualTo(Stage.CAPTURE);
            assertThat(s.layer()).isZero();
            assertThat(s.selfNanos()).isEqualTo(200.0 * US);
        });
    }

    @Test
    void twoNamesOnTwoThreadsAtOnceEachGetTheirOwnRecords() throws Exception {
        monitor.enableProfiling();
        CyclicBarrier bothOpen = new CyclicBarrier(2);
        CyclicBarrier bothRecorded = new CyclicBarrier(2);
        Thread prefill = blockOn("prefill", 0, 2 * MS, bothOpen, bothRecorded);
        Thread decode = blockOn("decode", 1, 3 * MS, bothOpen, bothRecorded);
        prefill.start();
        decode.start();
        prefill.join();
        decode.join();

        ProfileResults results = monitor.getProfileResults();
        assertThat(results.executions()).extracting(ExecutionProfile::name).containsExactly("decode", "prefill");
        assertThat(results.execution("prefill").layers()).extracting(LayerProfile::layer).containsExactly(0);
        assertThat(results.execution("prefill").layer(0).hostNanos()).isEqualTo(2.0 * MS);
        assertThat(results.execution("decode").layers()).extracting(LayerProfile::layer).containsExactly(1);
        assertThat(results.execution("decode").layer(1).hostNanos()).isEqualTo(3.0 * MS);
    }

    /** Opens a block, records, and closes it only once the other thread has recorded too: both blocks overlap. */
    private Thread blockOn(String name, int layer, long layerNanos, CyclicBarrier open, CyclicBarrier recorded) {
        return new Thread(() -> {
            try (ProfileBlock block = monitor.profileExecution(name)) {
                open.await();
                monitor.recordLayer(layer, layerNanos);
                recorded.await();
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
    }

    @Test
    void withProfilingOffTheBlockIsTheSharedNoOpAndNothingIsProfiled() {
        assertThat(monitor.isProfiling()).isFalse();
        ProfileBlock block = monitor.profileExecution("forward");
        monitor.recordLayer(0, MS);
        block.close();

        assertThat(block).isSameAs(ProfileBlock.NO_OP);
        assertThat(block.isNoOp()).isTrue();
        assertThat(monitor.getProfileResults().executions()).isEmpty();
        assertThat(monitor.getProfileResults().toJson()).contains("\"executions\"");
    }

    @Test
    void enableProfilingInTheConfigTurnsItOnAtConstruction() {
        monitor.close();
        monitor = new CmrPerformanceMonitor(MonitoringConfig.builder().metricCollectionInterval(3600)
                .enableResourceSampling(false).enableProfiling(true).build());

        assertThat(monitor.isProfiling()).isTrue();
        try (ProfileBlock block = monitor.profileExecution("forward")) {
            assertThat(block.isNoOp()).isFalse();
            monitor.recordLayer(0, MS);
        }
        assertThat(passesOf("forward")).isEqualTo(1);
    }

    @Test
    void disablingKeepsTheResultsAndReEnablingStartsANewSession() {
        monitor.enableProfiling();
        profileOnePass("forward");
        monitor.disableProfiling();

        assertThat(monitor.isProfiling()).isFalse();
        assertThat(monitor.profileExecution("forward")).isSameAs(ProfileBlock.NO_OP);
        assertThat(passesOf("forward")).isEqualTo(1);

        monitor.enableProfiling();
        monitor.enableProfiling(); // idempotent: does not start yet another session
        assertThat(monitor.getProfileResults().executions()).isEmpty();
        profileOnePass("forward");
        assertThat(passesOf("forward")).isEqualTo(1);
    }

    @Test
    void resetForgetsTheBlocksClosedBeforeItAndAnyBlockOpenAcrossIt() {
        monitor.enableProfiling();
        profileOnePass("forward");
        ProfileBlock acrossReset = monitor.profileExecution("forward");
        monitor.reset();
        acrossReset.close();

        assertThat(monitor.isProfiling()).isTrue();
        assertThat(monitor.getProfileResults().executions()).isEmpty();
        profileOnePass("forward");
        assertThat(passesOf("forward")).isEqualTo(1);
    }

    @Test
    void closingTwiceCountsOnePass() {
        monitor.enableProfiling();
        ProfileBlock block = monitor.profileExecution("forward");
        monitor.recordLayer(0, MS);
        block.close();
        monitor.recordLayer(0, MS);
        block.close();

        assertThat(passesOf("forward")).isEqualTo(1);
        assertThat(monitor.getProfileResults().execution("forward").layer(0).hostNanos()).isEqualTo(1.0 * MS);
    }

    @Test
    void aCloseOnAnotherThreadIsIgnoredAndCountedAndTheOwnerCanStillClose() throws Exception {
        monitor.enableProfiling();
        ProfileBlock block = monitor.profileExecution("forward");
        monitor.recordLayer(0, MS);
        Thread other = new Thread(block::close);
        other.start();
        other.join();

        assertThat(monitor.getProfileResults().executions()).isEmpty();
        assertThat(monitor.getStats().errorsByComponent()).containsEntry(ProfileBlock.MISUSE_COMPONENT,
                java.util.Map.of(ProfileBlock.ClosedOnAnotherThread.class.getName(), 1L));
        block.close();
        assertThat(monitor.getProfileResults().execution("forward").layer(0).hostNanos()).isEqualTo(1.0 * MS);
    }

    @Test
    void oddInputNeverThrowsIntoTheProfiledCode() {
        monitor.enableProfiling();
        assertThatCode(() -> {
            try (ProfileBlock block = monitor.profileExecution(null)) {
                monitor.recordLayer(0, -5);          // rejected by the record path, not in the block
                monitor.recordLayer(-1, MS);         // rejected
                monitor.recordSyncWait(0, 3 * MS);   // sync wait without layer time
                monitor.recordLayer(1, Long.MAX_VALUE);
                nanos.addAndGet(-5 * MS);            // a clock that went back
            }
        }).doesNotThrowAnyException();

        ExecutionProfile unknown = monitor.getProfileResults().execution("unknown");
        assertThat(unknown.passes()).isEqualTo(1);
        assertThat(unknown.wallNanos()).isZero();
        assertThat(unknown.layer(0).verdict()).isEqualTo(Verdict.SYNC_BOUND);
        assertThat(unknown.layer(1).hostNanos()).isEqualTo((double) Long.MAX_VALUE);
        assertThat(monitor.getProfileResults().toJson()).contains("\"unknown\"");
    }

    @Test
    void blankNamesAreUnknownAndNamesBeyondTheBoundAreOther() {
        monitor.enableProfiling();
        profileOnePass(" ");
        for (int i = 0; i < 70; i++) {
            profileOnePass("block-" + i);
        }

        ProfileResults results = monitor.getProfileResults();
        assertThat(results.executions()).hasSize(65);
        assertThat(results.execution("unknown").passes()).isEqualTo(1);
        assertThat(results.execution("block-62").passes()).isEqualTo(1);
        assertThat(results.execution("block-63")).isNull();
        assertThat(results.execution("other").passes()).isEqualTo(7);
    }

    @Test
    void aBlockOpenedWhileProfilingIsOnStillCountsWhenClosedAfterDisabling() {
        monitor.enableProfiling();
        ProfileBlock block = monitor.profileExecution("forward");
        monitor.recordLayer(0, MS);
        monitor.disableProfiling();
        block.close();

        assertThat(passesOf("forward")).isEqualTo(1);
    }

    private int passesOf(String name) {
        return monitor.getProfileResults().execution(name).passes();
    }

    private void profileOnePass(String name) {
        try (ProfileBlock block = monitor.profileExecution(name)) {
            monitor.recordLayer(0, MS);
        }
    }
}
