package dev.cmr.model;

import dev.cmr.model.hooks.HiddenStates;
import dev.cmr.model.hooks.HookEvent;
import dev.cmr.model.hooks.HookKind;
import dev.cmr.model.hooks.HookManager;
import dev.cmr.model.memory.LayeredMemoryBuffer;
import dev.cmr.model.memory.LayeredStateReconstructor;
import dev.cmr.model.memory.MemoryEntry;
import dev.cmr.model.memory.MemoryRetriever;
import dev.cmr.model.memory.RelevanceScorer;
import dev.cmr.model.memory.ScoringMethod;
import dev.cmr.monitor.CmrPerformanceMonitor;
import dev.cmr.monitor.record.CaptureRecorder;
import dev.cmr.monitor.record.DurationRecorder;
import dev.cmr.monitor.record.EvictionRecorder;
import dev.cmr.monitor.record.ReconstructionRecorder;
import dev.cmr.monitor.record.RetrievalRecorder;
import java.util.ArrayList;
import java.util.List;

/**
 * A GPT-2 decoder with Contextual Memory Reweaving: after each target layer the pass's hidden states are scored
 * and the relevant ones stored in the layered memory buffer; at each intervention layer memories are retrieved for
 * the pass (query: the mean hidden state of its positions) and rewoven into its hidden states.
 *
 * <p>Monitoring: {@link #attach(CmrPerformanceMonitor)} binds one recorder per (stage, layer) and reports forward
 * time, per-layer time, captures (captured vs stored), evictions, retrievals, reconstructions (with quality),
 * buffer gauges and errors; on a device backend also each layer's sync wait (host time blocked reading hidden states
 * back, or writing them) as reported by the backend. Every event is recorded as a span (its start and end clock
 * reads), so a profiled block around a pass gets the pass's timeline; adjacent events share one clock read.
 * Detached, no clock is read for monitoring. While the monitor is profiling, a device backend with a timeline is
 * asked to mark every kernel (read once per pass); attached to a CPU backend, the model declares it to the monitor
 * ({@link CmrPerformanceMonitor#declareCpuBackend}), so that profiles say there is no device.
 *
 * <p>Errors: a throwing hook is isolated by the {@link HookManager}; an exception in a CMR stage is reported
 * (monitor and ERROR hooks) and the pass goes on without that stage's effect.
 *
 * <p>Not thread-safe: one pass at a time.
 */
public final class FullCmrModel implements AutoCloseable {
    private final Gpt2Backend model;
    private final CmrConfig config;
    private final LayeredMemoryBuffer buffer;
    private final RelevanceScorer scorer;
    private final MemoryRetriever retriever;
    private final LayeredStateReconstructor reconstructor;
    private final HookManager hooks = new HookManager();
    private final boolean[] captureAt;
    private final boolean[] interveneAt;
    private final Pass pass = new Pass();
    private volatile boolean memoryEnabled = true;
    private volatile boolean reconstructionEnabled = true;
    private volatile Attached attached;

    /** Runs on {@code model}'s backend (CPU or device); closing this model closes it. */
    public FullCmrModel(Gpt2Backend model, CmrConfig config) {
        config.checkAgainst(model.config());
        this.model = model;
        this.config = config;
        this.buffer = new LayeredMemoryBuffer(config.memory());
        this.scorer = new RelevanceScorer(config.memory());
        this.retriever = new MemoryRetriever(buffer, config.memory());
        this.reconstructor = new LayeredStateReconstructor(config.memory());
        int layers = model.config().layers();
        captureAt = new boolean[layers];
        interveneAt = new boolean[layers];
        config.targetLayers().forEach(l -> captureAt[l] = true);
        config.interventionLayers().forEach(l -> interveneAt[l] = true);
    }

    // ---- monitoring ----

    /**
     * Reports every stage to {@code monitor} from now on, and registers the buffer and the hook manager as its
     * gauges (hook failures reach the monitor as errors of {@code hook:<name>}).
     *
     * @throws IllegalArgumentException if the monitor's max_layers is below the model's layer count
     */
    public void attach(CmrPerformanceMonitor monitor) {
        int layers = model.config().layers();
        if (monitor.config().maxLayers() < layers) {
            throw new IllegalArgumentException("monitor max_layers (" + monitor.config().maxLayers()
                    + ") must be at least the model's n_layer (" + layers + ")");
        }
        detach(); // a model reports to one monitor at a time
        attached = new Attached(monitor, layers);
        monitor.declareCpuBackend(model.runsOnCpu());
        monitor.setBufferGauge(buffer);
        monitor.setHookGauge(hooks);
        hooks.setErrorSink(monitor::recordError);
    }

    /** Stops reporting; the monitor keeps what it has. */
    public void detach() {
        Attached a = attached;
        attached = null;
        hooks.setErrorSink(null);
        if (a != null) {
            a.monitor.setBufferGauge(null);
            a.monitor.setHookGauge(null);
        }
    }

    /** The monitor's handles, bound once per layer so that the pass calls them directly. */
    private static final class Attached {
        final CmrPerformanceMonitor monitor;
        final CaptureRecorder[] capture;
        final EvictionRecorder[] eviction;
        final RetrievalRecorder[] retrieval;
        final ReconstructionRecorder[] reconstruction;
        final DurationRecorder[] layer;
        final DurationRecorder[] syncWait;

        Attached(CmrPerformanceMonitor monitor, int layers) {
            this.monitor = monitor;
            capture = new CaptureRecorder[layers];
            eviction = new EvictionRecorder[layers];
            retrieval = new RetrievalRecorder[layers];
            reconstruction = new ReconstructionRecorder[layers];
            layer = new DurationRecorder[layers];
            syncWait = new DurationRecorder[layers];
            for (int l = 0; l < layers; l++) {
                capture[l] = monitor.captureRecorder(l);
                eviction[l] = monitor.evictionRecorder(l);
                retrieval[l] = monitor.retrievalRecorder(l);
                reconstruction[l] = monitor.reconstructionRecorder(l);
                layer[l] = monitor.layerRecorder(l);
                syncWait[l] = monitor.syncWaitRecorder(l);
            }
        }
    }

    // ---- running ----

    /** One forward pass over a new sequence; returns logits {@code [position][vocab]}. */
    public float[][] forward(int[] tokenIds) {
        try (KvCache cache = model.newCache()) {
            return forward(tokenIds, cache);
        }
    }

    /** One forward pass over the next positions of {@code cache}'s sequence. */
    public float[][] forward(int[] tokenIds, KvCache cache) {
        Attached a = attached;
        long start = a == null ? 0 : System.nanoTime();
        if (hooks.has(HookKind.PRE_PROCESSING)) {
            hooks.fire(HookEvent.input(tokenIds));
        }
        pass.monitor = a;
        float[][] logits = model.forward(tokenIds, cache, pass);
        if (hooks.has(HookKind.POST_PROCESSING)) {
            hooks.fire(HookEvent.output(tokenIds, logits));
        }
        if (a != null) {
            a.monitor.recordForward(System.nanoTime() - start);
        }
        return logits;
    }

    /** Generates after {@code prompt} in a new sequence, each step a monitored forward pass. */
    public int[] generate(int[] prompt, int maxNewTokens, TokenSampler sampler, int stopToken) {
        try (KvCache cache = model.newCache()) {
            return Generation.run(tokens -> forward(tokens, cache), cache, prompt, maxNewTokens, sampler, stopToken);
        }
    }

    /** The per-block work of a pass: timing, capture, retrieval and reconstruction, hooks. */
    private final class Pass implements BlockListener {
        Attached monitor;
        long layerStart;
        // The switches, read once per layer: wantsAttention and afterBlock must agree even if a switch flips between.
        boolean captureNow;
        boolean reweaveNow;

        @Override
        public void beforeBlock(int layer) {
            captureNow = captureAt[layer] && memoryEnabled;
            reweaveNow = interveneAt[layer] && reconstructionEnabled;
            if (monitor != null) {
                layerStart = System.nanoTime();
            }
            if (hooks.has(HookKind.LAYER_ENTER)) {
                hooks.fire(HookEvent.layer(HookKind.LAYER_ENTER, layer, null, null));
            }
        }

        @Override
        public boolean wantsAttention(int layer) {
            return captureNow && scorer.method() != ScoringMethod.VARIANCE_BASED;
        }

        @Override
        public boolean wantsHiddenStates(int layer) {
            return captureNow || reweaveNow || hooks.has(HookKind.LAYER_EXIT);
        }

        @Override
        public boolean wantsSyncWaits() {
            return monitor != null;
        }

        @Override
        public boolean wantsKernelMarks() {
            Attached m = monitor;
            return m != null && m.monitor.isProfiling();
        }

        @Override
        public void syncWait(int layer, long startNanos, long endNanos) {
            Attached m = monitor;
            if (m != null) {
                m.syncWait[layer].recordSpan(startNanos, endNanos);
            }
        }

        @Override
        public void afterBlock(int layer, HiddenStates hidden, float[] attentionReceived) {
            Attached m = monitor;
            long now = m == null ? 0 : System.nanoTime();
            if (captureNow) {
                now = capture(m, layer, hidden, attentionReceived, now);
            }
            if (reweaveNow) {
                now = reweave(m, layer, hidden, now);
            }
            if (hooks.has(HookKind.LAYER_EXIT)) {
                hooks.fire(HookEvent.layer(HookKind.LAYER_EXIT, layer, hidden, null));
                now = m == null ? 0 : System.nanoTime();
            }
            if (m != null) {
                m.layer[layer].recordSpan(layerStart, now);
            }
        }

        /** Scores the pass's states and stores the relevant ones; returns the clock after the stage. */
        private long capture(Attached m, int layer, HiddenStates hidden, float[] attention, long start) {
            try {
                float[][] states = hidden.toArray();
                float[] scores = scorer.score(states, attention);
                int stored = 0;
                int evicted = 0;
                List<MemoryEntry> storedEntries = hooks.has(HookKind.CAPTURE) ? new ArrayList<>() : null;
                for (int t = 0; t < states.length; t++) {
                    if (scorer.isRelevant(scores[t])) {
                        LayeredMemoryBuffer.StoreOutcome outcome = buffer.store(layer, states[t], scores[t]);
                        evicted += outcome.evicted();
                        if (outcome.stored()) {
                            stored++;
                            if (storedEntries != null) {
                                storedEntries.add(buffer.get(outcome.entryId()));
                            }
                        }
                    }
                }
                long end = start;
                if (m != null) {
                    end = System.nanoTime();
                    m.capture[layer].recordSpan(states.length, stored, start, end);
                    if (evicted > 0) {
                        m.eviction[layer].record(evicted);
                    }
                }
                if (storedEntries != null) {
                    hooks.fire(HookEvent.layer(HookKind.CAPTURE, layer, hidden, storedEntries));
                    end = m == null ? 0 : System.nanoTime();
                }
                return end;
            } catch (RuntimeException e) {
                return failed("capture", layer, e, m);
            }
        }

        /** Retrieves memories for the pass and reweaves them; returns the clock after the stages. */
        private long reweave(Attached m, int layer, HiddenStates hidden, long start) {
            try {
                float[][] states = hidden.toArray();
                MemoryRetriever.RetrievalResult found = retriever.retrieve(layer, meanRow(states));
                long retrieved = start;
                if (m != null) {
                    retrieved = System.nanoTime();
                    m.retrieval[layer].recordSpan(found.candidates(), found.entries().size(), found.cacheHit(),
                            found.quality(), start, retrieved);
                }
                if (hooks.has(HookKind.RETRIEVAL)) {
                    hooks.fire(HookEvent.layer(HookKind.RETRIEVAL, layer, hidden, found.entries()));
                    retrieved = m == null ? 0 : System.nanoTime();
                }
                if (found.entries().isEmpty()) {
                    return retrieved;
                }
                LayeredStateReconstructor.ReconstructionResult rewoven =
                        reconstructor.reconstruct(layer, states, found.entries());
                hidden.setAll(rewoven.states());
                long end = retrieved;
                if (m != null) {
                    end = System.nanoTime();
                    m.reconstruction[layer].recordSpan(found.entries().size(), rewoven.quality(), retrieved, end);
                }
                if (hooks.has(HookKind.RECONSTRUCTION)) {
                    hooks.fire(HookEvent.layer(HookKind.RECONSTRUCTION, layer, hidden, found.entries()));
                    end = m == null ? 0 : System.nanoTime();
                }
                return end;
            } catch (RuntimeException e) {
                return failed("reconstruction", layer, e, m);
            }
        }

        private long failed(String component, int layer, RuntimeException e, Attached m) {
            if (m != null) {
                m.monitor.recordError(component, e);
            }
            if (hooks.has(HookKind.ERROR)) {
                hooks.fire(new HookEvent(HookKind.ERROR, layer, null, null, null, null, e, component));
            }
            return m == null ? 0 : System.nanoTime();
        }
    }

    private static float[] meanRow(float[][] states) {
        int h = states[0].length;
        float[] mean = new float[h];
        for (float[] row : states) {
            for (int j = 0; j < h; j++) {
                mean[j] += row[j];
            }
        }
        for (int j = 0; j < h; j++) {
            mean[j] /= states.length;
        }
        return mean;
    }

    // ---- switches and parts ----

    public void setMemoryEnabled(boolean enabled) {
        memoryEnabled = enabled;
    }

    public void setReconstructionEnabled(boolean enabled) {
        reconstructionEnabled = enabled;
    }

    public boolean memoryEnabled() {
        return memoryEnabled;
    }

    public boolean reconstructionEnabled() {
        return reconstructionEnabled;
    }

    public HookManager hooks() {
        return hooks;
    }

    public LayeredMemoryBuffer buffer() {
        return buffer;
    }

    public MemoryRetriever retriever() {
        return retriever;
    }

    public Gpt2Backend model() {
        return model;
    }

    public CmrConfig config() {
        return config;
    }

    public KvCache newCache() {
        return model.newCache();
    }

    /** Closes the transformer's backend (its native host or device memory). */
    @Override
    public void close() {
        detach();
        model.close();
    }
}
