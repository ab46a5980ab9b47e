package dev.cmr.serve;

import dev.cmr.model.ByteTokenizer;
import dev.cmr.model.TokenSampler;
import dev.cmr.monitor.CmrPerformanceMonitor;
import dev.cmr.monitor.ProfileBlock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Generation behind a bounded queue: {@link #submit} accepts a request when the queue has room, and one worker
 * thread per {@link Generator} takes requests in order and runs them.
 *
 * <ol>
 *   <li>Models are not thread-safe, so each worker owns one generator (a model replica with its own memory buffer
 *       and, on a device, its own queue); no model is ever shared between threads. More workers means more replicas
 *       and more memory, not a lock around one model.</li>
 *   <li>{@link #submit} never blocks: a full queue, or a service that is shutting down, returns null (the HTTP layer
 *       answers 503). It takes a short lock only to order acceptance against {@link #shutdown}.</li>
 *   <li>Each generation runs inside {@code monitor.profileExecution("generate")} on its worker thread, so the
 *       monitor's schedule or an on-demand trigger ({@code profileNextPasses}) profiles live traffic; its forward
 *       passes are recorded by the attached model as any others. A generator that throws fails that request's
 *       future and is counted as an error of {@value #ERROR_COMPONENT}; the worker goes on.</li>
 *   <li>Temperature 0 samples greedily; above 0, among the {@value #TOP_K} highest logits, each request with its own
 *       seed.</li>
 *   <li>{@link #shutdown} stops accepting, lets queued and running requests finish within the grace period, then
 *       cancels what is left (each stops after its current token) and waits for the workers to end.</li>
 * </ol>
 */
public final class InferenceService {
    public static final String BLOCK = "generate";
    public static final String ERROR_COMPONENT = "serve";
    static final int TOP_K = 40;
    private static final long POLL_MILLIS = 50;
    private static final Duration CANCEL_WAIT = Duration.ofSeconds(10);

    private final BlockingQueue<InferenceJob> queue;
    private final CmrPerformanceMonitor monitor;
    private final GenerateRequest.Limits limits;
    private final List<Thread> workers = new ArrayList<>();
    private final Set<InferenceJob> live = ConcurrentHashMap.newKeySet();
    private final AtomicLong seeds = new AtomicLong(0x5EED);
    private final ByteTokenizer tokenizer = new ByteTokenizer();
    private final Object admission = new Object();
    private volatile boolean accepting = true;

    /**
     * Starts one worker thread per generator.
     *
     * @param queueCapacity requests that may wait for a worker; >= 1
     */
    public InferenceService(List<? extends Generator> generators, int queueCapacity, CmrPerformanceMonitor monitor,
                            GenerateRequest.Limits limits) {
        if (generators.isEmpty()) {
            throw new IllegalArgumentException("at least one generator (worker) is needed");
        }
        if (queueCapacity < 1) {
            throw new IllegalArgumentException("queue capacity must be >= 1, was " + queueCapacity);
        }
        this.queue = new ArrayBlockingQueue<>(queueCapacity);
        this.monitor = monitor;
        this.limits = limits;
        for (int i = 0; i < generators.size(); i++) {
            Generator g = generators.get(i);
            Thread t = new Thread(() -> work(g), "cmr-serve-worker-" + i);
            t.setDaemon(true);
            workers.add(t);
        }
        workers.forEach(Thread::start);
    }

    public GenerateRequest.Limits limits() {
        return limits;
    }

    public int workers() {
        return workers.size();
    }

    /** Whether new requests are accepted (false once shutdown began). */
    public boolean isAccepting() {
        return accepting;
    }

    /** Requests waiting for a worker. */
    public int queued() {
        return queue.size();
    }

    /**
     * Accepts {@code request} if the queue has room and the service is not shutting down; never blocks.
     *
     * @param sink gets each token as it is sampled ({@link TokenSink#NONE} when not streaming)
     * @return the job, or null when refused
     */
    public InferenceJob submit(GenerateRequest request, TokenSink sink) {
        InferenceJob job = new InferenceJob(request, sink, System.nanoTime());
        synchronized (admission) {
            if (!accepting) {
                return null;
            }
            live.add(job);
            if (!queue.offer(job)) {
                live.remove(job);
                return null;
            }
        }
        return job;
    }

    /**
     * Stops accepting; waits up to {@code grace} for every accepted request to finish, then cancels the rest and
     * waits for the workers to end.
     *
     * @return true if every request finished within {@code grace}; false if some were cancelled
     * @throws InterruptedException if interrupted while waiting (the workers keep going)
     */
    public boolean shutdown(Duration grace) throws InterruptedException {
        synchronized (admission) {
            accepting = false;
        }
        boolean inTime = joinAll(System.nanoTime() + grace.toNanos());
        if (!inTime) {
            live.forEach(InferenceJob::cancel);
            joinAll(System.nanoTime() + CANCEL_WAIT.toNanos());
        }
        return inTime;
    }

    private boolean joinAll(long deadlineNanos) throws InterruptedException {
        for (Thread t : workers) {
            long left = deadlineNanos - System.nanoTime();
            if (left > 0) {
                TimeUnit.NANOSECONDS.timedJoin(t, left);
            }
            if (t.isAlive()) {
                return false;
            }
        }
        return true;
    }

    private void work(Generator generator) {
        while (true) {
            InferenceJob job;
            try {
                job = queue.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return; // nobody interrupts the workers; if someone does, stop
            }
            if (job == null) {
                if (!accepting && queue.isEmpty()) {
                    return;
                }
                continue;
            }
            try {
                run(generator, job);
            } finally {
                live.remove(job);
            }
        }
    }

    private void run(Generator generator, InferenceJob job) {
        long start = System.nanoTime();
        GenerateRequest request = job.request;
        StreamingSampler sampler = new StreamingSampler(sampler(request.temperature()), job);
        int[] tokens;
        if (job.cancelled()) {
            tokens = new int[0];
            sampler.cancelled = true;
        } else {
            try (ProfileBlock block = monitor.profileExecution(BLOCK)) {
                tokens = generator.generate(request.promptTokens(), request.maxTokens(), sampler);
            } catch (RuntimeException e) {
                monitor.recordError(ERROR_COMPONENT, e);
                job.result.completeExceptionally(e);
                return;
            }
        }
        long end = System.nanoTime();
        String finish = finishReason(tokens, request.maxTokens(), sampler.cancelled);
        if (sampler.cancelled && tokens.length > 0 && tokens[tokens.length - 1] == ByteTokenizer.END_OF_TEXT) {
            tokens = Arrays.copyOf(tokens, tokens.length - 1); // the stop token the sampler returned to cancel
        }
        double generateMillis = (end - start) / 1e6;
        GenerationResult.Timing timing = new GenerationResult.Timing((start - job.acceptedNanos) / 1e6,
                sampler.firstTokenNanos == 0 ? 0 : (sampler.firstTokenNanos - start) / 1e6, generateMillis,
                generateMillis == 0 ? 0 : tokens.length / (generateMillis / 1e3));
        job.result.complete(new GenerationResult(tokenizer.decode(tokens), tokens, finish, timing));
    }

    static String finishReason(int[] tokens, int maxTokens, boolean cancelled) {
        if (cancelled) {
            return GenerationResult.CANCELLED;
        }
        if (tokens.length > 0 && tokens[tokens.length - 1] == ByteTokenizer.END_OF_TEXT) {
            return GenerationResult.STOP;
        }
        return tokens.length >= maxTokens ? GenerationResult.LENGTH : GenerationResult.CONTEXT_LENGTH;
    }

    private TokenSampler sampler(double temperature) {
        return temperature == 0 ? TokenSampler.greedy()
                : TokenSampler.topK(TOP_K, temperature, seeds.getAndIncrement());
    }

    /**
     * Wraps a request's sampler: each sampled token goes to the job's sink at once (the generation loop samples
     * exactly once per generated token), and a cancelled job gets the end-of-text token, which ends the loop.
     */
    private static final class StreamingSampler implements TokenSampler {
        private final TokenSampler sampler;
        private final InferenceJob job;
        long firstTokenNanos;
        boolean cancelled;

        StreamingSampler(TokenSampler sampler, InferenceJob job) {
            this.sampler = sampler;
            this.job = job;
        }

        @Override
        public int next(float[] logits) {
            if (job.cancelled()) {
                cancelled = true;
                return ByteTokenizer.END_OF_TEXT;
            }
            int token = sampler.next(logits);
            if (firstTokenNanos == 0) {
                firstTokenNanos = System.nanoTime();
            }
            job.sink.token(token);
            return token;
        }
    }
}
