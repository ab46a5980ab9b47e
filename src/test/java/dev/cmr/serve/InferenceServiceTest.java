package dev.cmr.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cmr.model.ByteTokenizer;
import dev.cmr.model.FullCmrModel;
import dev.cmr.monitor.CmrPerformanceMonitor;
import dev.cmr.monitor.MonitoringConfig;
import dev.cmr.monitor.profile.ExecutionProfile;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The queue, the workers and shutdown, with gated generators; then the real reference model, recorded and profiled
 * by the monitor.
 */
class InferenceServiceTest {
    private final CmrPerformanceMonitor monitor = new CmrPerformanceMonitor(
            MonitoringConfig.builder().enableAlerts(false).build());
    private InferenceService service;

    @AfterEach
    void stop() throws InterruptedException {
        if (service != null) {
            service.shutdown(Duration.ZERO);
        }
        monitor.close();
    }

    private static GenerateRequest request(String prompt, int maxTokens) {
        return new GenerateRequest(prompt, new ByteTokenizer().encode(prompt), maxTokens, 0, false);
    }

    @Test
    void aFullQueueRefusesWithoutBlockingAndTakesAgainOnceAWorkerIsFree() throws Exception {
        Fakes.GatedGenerator gated = new Fakes.GatedGenerator();
        service = new InferenceService(List.of(gated), 2, monitor, Fakes.LIMITS);

        InferenceJob running = service.submit(request("a", 2), TokenSink.NONE);
        gated.awaitEntered();
        InferenceJob first = service.submit(request("b", 2), TokenSink.NONE);
        InferenceJob second = service.submit(request("c", 2), TokenSink.NONE);
        InferenceJob refused = service.submit(request("d", 2), TokenSink.NONE);

        assertThat(List.of(running, first, second)).doesNotContainNull();
        assertThat(refused).as("one running, two queued: the third waiting request is refused").isNull();
        assertThat(service.isAccepting()).isTrue();
        gated.open();
        assertThat(second.result().get(30, TimeUnit.SECONDS).text()).isEqualTo("ok");
        assertThat(service.submit(request("e", 2), TokenSink.NONE)).isNotNull();
    }

    @Test
    void eachGeneratorIsCalledOnlyFromItsOwnWorkerThread() throws Exception {
        Set<String> pairs = ConcurrentHashMap.newKeySet();
        List<Generator> generators = List.of(recording(pairs, 0), recording(pairs, 1), recording(pairs, 2));
        service = new InferenceService(generators, 64, monitor, Fakes.LIMITS);

        List<InferenceJob> jobs = new java.util.ArrayList<>();
        for (int i = 0; i < 60; i++) {
            jobs.add(service.submit(request("x", 1), TokenSink.NONE));
        }
        for (InferenceJob job : jobs) {
            job.result().get(30, TimeUnit.SECONDS);
        }

        assertThat(pairs).hasSizeLessThanOrEqualTo(3)
                .allSatisfy(p -> assertThat(p).matches("(\\d) on cmr-serve-worker-\\1"));
    }

    private static Generator recording(Set<String> pairs, int index) {
        return (prompt, max, sampler) -> {
            pairs.add(index + " on " + Thread.currentThread().getName());
            return new int[] {sampler.next(new float[ByteTokenizer.VOCAB_SIZE])};
        };
    }

    /** One request running (held at the gate), one queued. */
    private List<InferenceJob> runningAndQueued(Fakes.GatedGenerator gated) throws InterruptedException {
        service = new InferenceService(List.of(gated), 4, monitor, Fakes.LIMITS);
        InferenceJob running = service.submit(request("a", 2), TokenSink.NONE);
        InferenceJob queued = service.submit(request("b", 2), TokenSink.NONE);
        gated.awaitEntered();
        return List.of(running, queued);
    }

    private static void openLater(Fakes.GatedGenerator gated, long millis) {
        new Thread(() -> {
            sleep(millis);
            gated.open();
        }).start();
    }

    @Test
    void shutdownRefusesNewRequestsAndLetsAcceptedOnesFinish() throws Exception {
        Fakes.GatedGenerator gated = new Fakes.GatedGenerator();
        List<InferenceJob> jobs = runningAndQueued(gated);
        InferenceJob running = jobs.get(0);
        InferenceJob queued = jobs.get(1);

        openLater(gated, 200);
        boolean inTime = service.shutdown(Duration.ofSeconds(30));

        assertThat(inTime).isTrue();
        assertThat(service.isAccepting()).isFalse();
        assertThat(service.submit(request("c", 2), TokenSink.NONE)).isNull();
        assertThat(running.result().getNow(null).finishReason()).isEqualTo(GenerationResult.LENGTH);
        assertThat(queued.result().getNow(null).text()).isEqualTo("ok");
    }

    @Test
    void shutdownPastItsGraceCancelsWhatIsLeft() throws Exception {
        Fakes.GatedGenerator gated = new Fakes.GatedGenerator();
        List<InferenceJob> jobs = runningAndQueued(gated);
        InferenceJob running = jobs.get(0);
        InferenceJob queued = jobs.get(1);

        openLater(gated, 300); // after the grace below: the jobs are cancelled by then
        boolean inTime = service.shutdown(Duration.ofMillis(50));

        assertThat(inTime).isFalse();
        GenerationResult r = running.result().getNow(null);
        assertThat(r.finishReason()).isEqualTo(GenerationResult.CANCELLED);
        assertThat(r.tokens()).isEmpty();
        assertThat(queued.result().getNow(null).finishReason()).isEqualTo(GenerationResult.CANCELLED);
    }

    @Test
    void aThrowingModelFailsItsRequestIsCountedAndTheWorkerGoesOn() throws Exception {
        int[] calls = new int[1];
        Generator flaky = (prompt, max, sampler) -> {
            if (calls[0]++ == 0) {
                throw new IllegalStateException("device lost");
            }
            return new int[] {sampler.next(new float[ByteTokenizer.VOCAB_SIZE])};
        };
        service = new InferenceService(List.of(flaky), 4, monitor, Fakes.LIMITS);

        InferenceJob failed = service.submit(request("a", 1), TokenSink.NONE);
        InferenceJob next = service.submit(request("b", 1), TokenSink.NONE);

        assertThat(failed.result()).failsWithin(Duration.ofSeconds(30)).withThrowableThat()
                .withMessageContaining("device lost");
        assertThat(next.result().get(30, TimeUnit.SECONDS).tokens()).hasSize(1);
        assertThat(monitor.getStats().errorsByComponent()).containsKey(InferenceService.ERROR_COMPONENT);
        assertThat(monitor.getStats().totalErrors()).isEqualTo(1);
    }

    @Test
    void theReferenceModelGeneratesStreamsEveryTokenAndAnOnDemandTriggerProfilesTheRequest() throws Exception {
        try (FullCmrModel model = Fakes.referenceModel(); Replicas replicas = Replicas.attach(List.of(model), monitor)) {
            service = new InferenceService(replicas.generators(), 4, monitor, Fakes.LIMITS);
            var profiled = monitor.profileNextPasses(1);
            List<Integer> streamed = new java.util.concurrent.CopyOnWriteArrayList<>();

            GenerationResult r = service.submit(request("Hello", 5), streamed::add).result().get(60, TimeUnit.SECONDS);
            profiled.get(30, TimeUnit.SECONDS);
            service.shutdown(Duration.ofSeconds(30));

            assertThat(r.tokens()).isNotEmpty().hasSizeLessThanOrEqualTo(5);
            assertThat(streamed).containsExactly(java.util.Arrays.stream(r.tokens()).boxed().toArray(Integer[]::new));
            assertThat(r.text()).isEqualTo(new ByteTokenizer().decode(r.tokens()));
            assertThat(r.timing().generateMillis()).isPositive();
            assertThat(monitor.getStats().totalForwards()).as("one pass for the prompt, one per later token")
                    .isEqualTo(r.tokens().length);
            ExecutionProfile generate = monitor.getProfileResults().execution(InferenceService.BLOCK);
            assertThat(generate).isNotNull();
            assertThat(generate.passes()).isEqualTo(1);
            assertThat(monitor.getStats().buffer().totalEntries()).as("the replicas' summed gauge").isNotNull();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
