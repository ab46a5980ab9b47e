package dev.cmr.monitor.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cmr.monitor.device.DeviceMarkBatch;
import dev.cmr.monitor.device.KernelMarkTag;
import dev.cmr.monitor.device.LayerMarkTag;
import dev.cmr.monitor.profile.Backend;
import dev.cmr.monitor.profile.DeviceSpan;
import dev.cmr.monitor.profile.ExecutionTrace;
import dev.cmr.monitor.profile.LayerDurations;
import dev.cmr.monitor.profile.PassDurations;
import dev.cmr.monitor.profile.PassTrace;
import dev.cmr.monitor.profile.ProfiledPass;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Device marks reach profiled passes: pairing into spans, the window each span goes to, bounds and the backend. */
class ProfileDeviceSpansTest {
    private static final int MATMUL = KernelMarkTag.kernelId("test_matmul");
    private static final int GELU = KernelMarkTag.kernelId("test_gelu");

    private final ProfileSessions sessions = new ProfileSessions();
    private final DeviceMarkBatch batch = new DeviceMarkBatch(64);

    private static PassTrace window(long start, long end) {
        return new PassTrace(start, end, List.of(), List.of(), List.of(), 0);
    }

    /** A mark enqueued (queued) at {@code queued} that the device reached at {@code device}. */
    private void mark(long tag, long device, long queued) {
        batch.add(tag, device, queued);
    }

    private void offer(long errorBound) {
        batch.errorBoundNanos(errorBound);
        sessions.offerMarks(batch);
        batch.clear();
    }

    private List<ProfiledPass> passes() {
        return sessions.traces().get(0).passes();
    }

    @Test
    void startEndAndKernelMarksBecomeWholeLayerAndKernelSpansOfThePassTheyWereEnqueuedIn() {
        sessions.enable();
        sessions.add("forward", sessions.session(), window(1_000, 2_000));
        sessions.add("forward", sessions.session(), window(3_000, 4_000));
        // pass 7, layer 2, inside the first window: start, two kernels, end
        mark(LayerMarkTag.start(7, 2), 1_500, 1_100);
        mark(KernelMarkTag.of(7, 2, MATMUL, 0), 1_800, 1_200);
        offer(40); // the layer's marks arrive in two drains
        mark(KernelMarkTag.of(7, 2, GELU, 1), 1_850, 1_300);
        mark(LayerMarkTag.end(7, 2), 1_850, 1_310);
        // pass 8, layer 0, enqueued in the second window
        mark(LayerMarkTag.start(8, 0), 3_500, 3_100);
        mark(LayerMarkTag.end(8, 0), 3_900, 3_200);
        offer(70);

        List<ProfiledPass> passes = passes();
        PassTrace first = (PassTrace) passes.get(0);
        assertThat(first.deviceSpans()).containsExactlyInAnyOrder(
                new DeviceSpan(0, 2, null, 1_100, 1_500, 1_850),
                new DeviceSpan(0, 2, "test_matmul", 1_100, 1_500, 1_800),
                new DeviceSpan(0, 2, "test_gelu", 1_200, 1_800, 1_850));
        assertThat(first.clockErrorBoundNanos()).as("the largest bound of the batches its marks came in").isEqualTo(70);
        PassTrace second = (PassTrace) passes.get(1);
        assertThat(second.deviceSpans()).containsExactly(new DeviceSpan(0, 0, null, 3_100, 3_500, 3_900));
        assertThat(second.clockErrorBoundNanos()).isEqualTo(70);
    }

    @Test
    void aSpanStartedOutsideEveryWindowGoesNowhereAndDurationPassesStayAsTheyAre() {
        sessions.enable();
        PassDurations durations = new PassDurations(500, Map.of(0, LayerDurations.of(500, 0, null)));
        sessions.add("forward", sessions.session(), window(1_000, 2_000));
        sessions.add("forward", sessions.session(), durations);
        mark(LayerMarkTag.start(1, 0), 2_100, 2_001); // enqueued just after the window closed
        mark(LayerMarkTag.end(1, 0), 2_300, 2_050);
        offer(10);

        assertThat(((PassTrace) passes().get(0)).deviceSpans()).isEmpty();
        assertThat(passes().get(1)).isSameAs(durations);
    }

    @Test
    void aKernelAfterADroppedMarkGetsNoSpanBecauseItWouldCoverTwoKernels() {
        sessions.enable();
        sessions.add("forward", sessions.session(), window(0, 10_000));
        mark(LayerMarkTag.start(3, 1), 100, 10);
        mark(KernelMarkTag.of(3, 1, MATMUL, 0), 200, 20);
        // ordinal 1 was dropped (event pool full)
        mark(KernelMarkTag.of(3, 1, MATMUL, 2), 400, 40);
        mark(KernelMarkTag.of(3, 1, GELU, 3), 450, 50);
        mark(LayerMarkTag.end(3, 1), 450, 60);
        offer(0);

        assertThat(((PassTrace) passes().get(0)).deviceSpans()).containsExactlyInAnyOrder(
                new DeviceSpan(0, 1, null, 10, 100, 450),
                new DeviceSpan(0, 1, "test_matmul", 10, 100, 200),
                new DeviceSpan(0, 1, "test_gelu", 40, 400, 450));
    }

    @Test
    void unpairedAndInvertedMarksGiveNoSpans() {
        sessions.enable();
        sessions.add("forward", sessions.session(), window(0, 10_000));
        mark(LayerMarkTag.end(1, 0), 500, 50); // its start never came
        mark(LayerMarkTag.start(2, 0), 900, 60); // its end never came
        mark(LayerMarkTag.start(3, 0), 700, 70);
        mark(LayerMarkTag.end(3, 0), 650, 80); // the clock mapping stepped back
        mark(KernelMarkTag.of(4, 0, GELU, 0), 300, 90); // no start mark before it
        offer(0);

        assertThat(((PassTrace) passes().get(0)).deviceSpans()).isEmpty();
    }

    @Test
    void afterProfilingIsTurnedOffOnlyMarksEnqueuedBeforeAreKept() {
        sessions.enable();
        sessions.add("forward", sessions.session(), window(0, Long.MAX_VALUE));
        long before = System.nanoTime();
        sessions.disable();
        long after = System.nanoTime() + 1;
        mark(LayerMarkTag.start(1, 0), before + 10, before);
        mark(LayerMarkTag.end(1, 0), before + 20, before);
        mark(LayerMarkTag.start(2, 0), after + 10, after);
        mark(LayerMarkTag.end(2, 0), after + 20, after);
        offer(0);

        assertThat(((PassTrace) passes().get(0)).deviceSpans()).extracting(DeviceSpan::startNanos)
                .containsExactly(before + 10);
    }

    @Test
    void beyondTheBoundTheOldestMarksAreDroppedAndCountedAndANewSessionForgetsThem() {
        ProfileSessions small = new ProfileSessions(10, 4);
        small.enable();
        small.add("forward", small.session(), window(0, 10_000));
        for (int pass = 0; pass < 3; pass++) {
            batch.add(LayerMarkTag.start(pass, 0), 100 * pass + 10, 100 * pass);
            batch.add(LayerMarkTag.end(pass, 0), 100 * pass + 20, 100 * pass + 1);
        }
        small.offerMarks(batch);

        assertThat(small.droppedDeviceMarks()).isEqualTo(2);
        assertThat(((PassTrace) small.traces().get(0).passes().get(0)).deviceSpans())
                .extracting(DeviceSpan::startNanos).containsExactly(110L, 210L); // pass 0's marks were the oldest
        small.reset();
        assertThat(small.droppedDeviceMarks()).isZero();
        small.add("forward", small.session(), window(0, 10_000));
        assertThat(((PassTrace) small.traces().get(0).passes().get(0)).deviceSpans()).isEmpty();
    }

    @Test
    void theBackendIsTheMarksTimelineElseTheAttachedOneElseADeclaredCpuElseNone() {
        sessions.enable();
        sessions.add("forward", sessions.session(), window(0, 10));
        assertThat(backend()).isEqualTo(Backend.NONE);
        sessions.declareCpuBackend(true);
        assertThat(backend()).isEqualTo(Backend.CPU);
        sessions.timelineAttached("scripted");
        assertThat(backend()).as("a timeline of no known backend").isEqualTo(Backend.CPU);
        sessions.timelineAttached("opencl");
        assertThat(backend()).isEqualTo(Backend.OPENCL);
        mark(LayerMarkTag.start(1, 0), 5, 1);
        offer(0);
        sessions.timelineAttached(null);
        assertThat(backend()).as("the session kept opencl marks").isEqualTo(Backend.OPENCL);
        sessions.timelineAttached("cuda");
        assertThat(backend()).isEqualTo(Backend.OPENCL);
        sessions.reset();
        sessions.add("forward", sessions.session(), window(0, 10));
        assertThat(backend()).isEqualTo(Backend.CUDA);
    }

    private Backend backend() {
        List<ExecutionTrace> traces = sessions.traces();
        return traces.get(0).backend();
    }
}
