package dev.cmr.model.opencl;

import dev.cmr.model.BlockListener;
import dev.cmr.model.Gpt2Backend;
import dev.cmr.model.Gpt2Config;
import dev.cmr.model.Gpt2Weights;
import dev.cmr.model.KvCache;
import dev.cmr.model.SeededInit;
import dev.cmr.model.hooks.HiddenStates;
import dev.cmr.monitor.device.DeviceTimeline;
import dev.cmr.monitor.device.KernelMarkTag;
import dev.cmr.monitor.device.LayerMarkTag;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;

/**
 * The GPT-2 decoder of {@link dev.cmr.model.Gpt2Model}, run as OpenCL kernels on one device: the same function of
 * the same weights (to float rounding). Weights are uploaded once; activations and the KV cache stay on the device.
 *
 * <p>Per pass: token ids go to the device, every layer's kernels are enqueued without waiting, and the host waits
 * only (a) where the {@link BlockListener} wants a layer's hidden states or attention (CMR capture and
 * intervention): a blocking read, timed on the host and reported as that layer's sync wait when the listener asks
 * for sync waits; hidden states the listener changed are written back without waiting; and (b) for the logits at
 * the end. Other layers never leave the device.
 *
 * <p>Device marks: with a {@link DeviceTimeline} set, each layer's kernels sit between a start and an end mark
 * ({@link LayerMarkTag}, pass numbers counting from 0 per model) on this model's queue, which is created with
 * profiling enabled; {@link #queueHandle()} is its raw handle. The capture read comes after the end mark, so a
 * layer's device time is its compute. When the listener {@linkplain BlockListener#wantsKernelMarks() wants kernel
 * marks} (the CMR model does while its monitor profiles), each kernel of a layer is also followed by a
 * {@link KernelMarkTag} mark naming it ({@code layer_norm}, {@code matmul}, {@code kv_store}, {@code attention},
 * {@code attention_received}, {@code gelu}, {@code add}), so a kernel's device time is its mark's device time minus
 * the previous mark's. A block has 11 kernels (12 with attention wanted), so a profiled pass of {@code L} layers
 * enqueues {@code 13 L} to {@code 14 L} marks (84 for the demo's 6 layers), all of which may be in flight at once:
 * size the timeline's event pool ({@code JournalSettings.poolSize}) above that, or marks are dropped and counted.
 *
 * <p>Construction builds the program and launches every kernel once, so passes never pay the JIT. Not thread-safe:
 * one pass at a time; {@link #setDeviceTimeline} may be called from another thread between passes.
 */
public final class OpenClGpt2Model implements Gpt2Backend {
    private final Gpt2Config config;
    private final DeviceKernels cl;
    private final boolean ownsKernels;
    private final ClBuffer wte;
    private final ClBuffer wpe;
    private final ClBuffer lnFGamma;
    private final ClBuffer lnFBeta;
    private static final int LAYER_NORM = KernelMarkTag.kernelId("layer_norm");
    private static final int MATMUL = KernelMarkTag.kernelId("matmul");
    private static final int KV_STORE = KernelMarkTag.kernelId("kv_store");
    private static final int ATTENTION = KernelMarkTag.kernelId("attention");
    private static final int ATTENTION_RECEIVED = KernelMarkTag.kernelId("attention_received");
    private static final int GELU = KernelMarkTag.kernelId("gelu");
    private static final int ADD = KernelMarkTag.kernelId("add");

    private final List<DeviceBlock> blocks = new ArrayList<>();
    private volatile DeviceTimeline timeline;
    // Kernel marks of the block being enqueued: the timeline (null: none), pass, layer and next ordinal.
    private DeviceTimeline kernelMarks;
    private long kernelPass;
    private int kernelLayer;
    private int kernelOrdinal;
    private Workspace workspace;
    private long passes;
    private boolean closed;

    private record DeviceBlock(ClBuffer ln1Gamma, ClBuffer ln1Beta, ClBuffer attnW, ClBuffer attnB, ClBuffer projW,
                               ClBuffer projB, ClBuffer ln2Gamma, ClBuffer ln2Beta, ClBuffer fcW, ClBuffer fcB,
                               ClBuffer mlpProjW, ClBuffer mlpProjB) {
        static DeviceBlock of(DeviceKernels cl, Gpt2Weights.Block b) {
            return new DeviceBlock(cl.upload(b.ln1Gamma()), cl.upload(b.ln1Beta()), cl.upload(b.attnW()),
                    cl.upload(b.attnB()), cl.upload(b.projW()), cl.upload(b.projB()), cl.upload(b.ln2Gamma()),
                    cl.upload(b.ln2Beta()), cl.upload(b.fcW()), cl.upload(b.fcB()), cl.upload(b.mlpProjW()),
                    cl.upload(b.mlpProjB()));
        }

        void close() {
            for (ClBuffer b : List.of(ln1Gamma, ln1Beta, attnW, attnB, projW, projB, ln2Gamma, ln2Beta, fcW, fcB,
                    mlpProjW, mlpProjB)) {
                b.close();
            }
        }
    }

    /** On {@code device}, with its own context, profiling queue and built kernels. */
    public OpenClGpt2Model(Gpt2Weights weights, OpenClDevice device) {
        this(weights, new DeviceKernels(device), true);
    }

    /** On kernels already built (their queue is shared; closing this model leaves them open). */
    public OpenClGpt2Model(Gpt2Weights weights, DeviceKernels kernels) {
        this(weights, kernels, false);
    }

    private OpenClGpt2Model(Gpt2Weights weights, DeviceKernels kernels, boolean ownsKernels) {
        this.config = weights.config();
        this.cl = kernels;
        this.ownsKernels = ownsKernels;
        this.wte = cl.upload(weights.wte());
        this.wpe = cl.upload(weights.wpe());
        for (Gpt2Weights.Block b : weights.blocks()) {
            blocks.add(DeviceBlock.of(cl, b));
        }
        this.lnFGamma = cl.upload(weights.lnFGamma());
        this.lnFBeta = cl.upload(weights.lnFBeta());
    }

    /** A model with GPT-2's initialization drawn from {@code seed}, on {@code device}. */
    public static OpenClGpt2Model seeded(Gpt2Config config, long seed, OpenClDevice device) {
        return new OpenClGpt2Model(SeededInit.weights(config, seed), device);
    }

    @Override
    public Gpt2Config config() {
        return config;
    }

    @Override
    public String description() {
        return "opencl: " + cl.device();
    }

    /** The raw {@code cl_command_queue} (profiling enabled) every kernel of this model is enqueued on. */
    public long queueHandle() {
        return cl.queueHandle();
    }

    /** Marks every layer's start and end on {@code timeline} from the next pass on; null: no marks. */
    public void setDeviceTimeline(DeviceTimeline timeline) {
        this.timeline = timeline;
    }

    @Override
    public KvCache newCache() {
        checkOpen();
        return new OpenClKvCache(this, cl, config);
    }

    @Override
    public float[][] forward(int[] tokenIds, KvCache kvCache, BlockListener listener) {
        checkOpen();
        if (!(kvCache instanceof OpenClKvCache cache) || cache.owner != this) {
            throw new IllegalArgumentException("cache was made by another backend, not by this OpenCL model");
        }
        int t = tokenIds.length;
        int past = cache.length();
        config.checkTokens(tokenIds, past);
        Workspace w = workspace(t);
        int h = config.hiddenSize();
        DeviceTimeline marks = timeline;
        long queue = cl.queueHandle();
        long pass = passes++;
        boolean timeSync = listener.wantsSyncWaits();
        kernelMarks = marks != null && listener.wantsKernelMarks() ? marks : null;
        kernelPass = pass;

        // Not blocking: the host tokens stay untouched until the next pass, and this one ends with a blocking read.
        w.hostTokens.put(tokenIds, 0, t);
        cl.write(w.tokens, w.hostTokens, t, false);
        cl.embed(w.tokens, wte, wpe, w.x, t, h, past);
        for (int layer = 0; layer < blocks.size(); layer++) {
            listener.beforeBlock(layer);
            boolean wantsAttention = listener.wantsAttention(layer);
            boolean wantsHidden = listener.wantsHiddenStates(layer);
            if (marks != null) {
                marks.mark(queue, LayerMarkTag.start(pass, layer));
            }
            kernelLayer = layer;
            kernelOrdinal = 0;
            block(layer, t, past, cache, w, wantsAttention);
            if (marks != null) {
                marks.mark(queue, LayerMarkTag.end(pass, layer));
            }
            if (!wantsHidden && !wantsAttention) {
                listener.afterBlock(layer, null, null);
                continue;
            }
            long start = timeSync ? System.nanoTime() : 0;
            if (wantsAttention) {
                cl.read(w.received, w.hostReceived, t, false); // done once the blocking read below returns
            }
            cl.read(w.x, w.hostX, (long) t * h, true);
            if (timeSync) {
                listener.syncWait(layer, start, System.nanoTime());
            }
            float[] received = null;
            if (wantsAttention) {
                received = new float[t];
                w.hostReceivedView.get(0, received);
            }
            HiddenStates hidden = HiddenStates.over(w.hostXView, t, h, past);
            listener.afterBlock(layer, hidden, received);
            if (hidden.modified()) {
                // Not blocking: the queue is in order, so the next read into hostX runs after this write, and
                // nothing else touches hostX before then.
                cl.write(w.x, w.hostX, (long) t * h, false);
            }
        }
        cache.appended(t);
        int v = config.vocabSize();
        cl.layerNorm(w.x, w.a, t, h, lnFGamma, lnFBeta, (float) config.layerNormEpsilon());
        cl.matmulNt(w.a, wte, w.logits, t, v, h);
        cl.read(w.logits, w.hostLogits, (long) t * v, true);
        float[][] out = new float[t][v];
        for (int i = 0; i < t; i++) {
            w.hostLogitsView.get(i * v, out[i]);
        }
        return out;
    }

    /** Enqueues one block over {@code t} new positions; the attention received lands in {@code w.received}. */
    private void block(int layer, int t, int past, OpenClKvCache cache, Workspace w, boolean wantsAttention) {
        DeviceBlock b = blocks.get(layer);
        int h = config.hiddenSize();
        int heads = config.heads();
        int d = config.headSize();
        int ctx = config.contextLength();
        int inner = config.innerSize();
        float eps = (float) config.layerNormEpsilon();
        float scale = (float) (1.0 / Math.sqrt(d));

        cl.layerNorm(w.x, w.a, t, h, b.ln1Gamma, b.ln1Beta, eps);
        kernelMark(LAYER_NORM);
        cl.matmulBias(w.a, b.attnW, b.attnB, w.qkv, t, 3 * h, h);
        kernelMark(MATMUL);
        cl.kvStore(w.qkv, cache.keys[layer], cache.values[layer], t, past, h, d, ctx);
        kernelMark(KV_STORE);
        ClBuffer probs = wantsAttention ? w.probs(cl, config) : null;
        cl.attention(w.qkv, cache.keys[layer], cache.values[layer], w.attnOut, probs, t, past, h, heads, ctx, scale);
        kernelMark(ATTENTION);
        if (wantsAttention) {
            cl.attentionReceived(probs, w.received, t, past, heads, ctx);
            kernelMark(ATTENTION_RECEIVED);
        }
        cl.matmulBias(w.attnOut, b.projW, b.projB, w.tmp, t, h, h);
        kernelMark(MATMUL);
        cl.addInPlace(w.x, w.tmp, t * h);
        kernelMark(ADD);

        cl.layerNorm(w.x, w.a, t, h, b.ln2Gamma, b.ln2Beta, eps);
        kernelMark(LAYER_NORM);
        cl.matmulBias(w.a, b.fcW, b.fcB, w.fc, t, inner, h);
        kernelMark(MATMUL);
        cl.gelu(w.fc, t * inner);
        kernelMark(GELU);
        cl.matmulBias(w.fc, b.mlpProjW, b.mlpProjB, w.tmp, t, h, inner);
        kernelMark(MATMUL);
        cl.addInPlace(w.x, w.tmp, t * h);
        kernelMark(ADD);
    }

    /** Marks the end of the kernel just enqueued when this pass takes kernel marks; else does nothing. */
    private void kernelMark(int kernelId) {
        DeviceTimeline marks = kernelMarks;
        if (marks != null) {
            marks.mark(cl.queueHandle(), KernelMarkTag.of(kernelPass, kernelLayer, kernelId, kernelOrdinal++));
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("model is closed");
        }
    }

    private Workspace workspace(int t) {
        if (workspace == null || workspace.rows < t) {
            if (workspace != null) {
                cl.finish(); // nothing may still use the old buffers
                workspace.close();
            }
            workspace = new Workspace(cl, config, Math.max(t, 16));
        }
        return workspace;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        cl.finish();
        if (workspace != null) {
            workspace.close();
        }
        wte.close();
        wpe.close();
        lnFGamma.close();
        lnFBeta.close();
        blocks.forEach(DeviceBlock::close);
        if (ownsKernels) {
            cl.close();
        }
    }

    /** Device activations for up to {@code rows} positions per pass, and their host landing areas. */
    private static final class Workspace {
        final int rows;
        final ClBuffer x, a, qkv, attnOut, tmp, fc, logits, tokens, received;
        ClBuffer probs; // [heads][rows][ctx], only once a listener asks for attention
        final FloatPointer hostX, hostReceived, hostLogits;
        final FloatBuffer hostXView, hostReceivedView, hostLogitsView;
        final IntPointer hostTokens;

        Workspace(DeviceKernels cl, Gpt2Config c, int rows) {
            this.rows = rows;
            int h = c.hiddenSize();
            x = cl.buffer((long) rows * h);
            a = cl.buffer((long) rows * h);
            qkv = cl.buffer((long) rows * 3 * h);
            attnOut = cl.buffer((long) rows * h);
            tmp = cl.buffer((long) rows * h);
            fc = cl.buffer((long) rows * c.innerSize());
            logits = cl.buffer((long) rows * c.vocabSize());
            tokens = cl.buffer(rows);
            received = cl.buffer(rows);
            hostX = new FloatPointer((long) rows * h);
            hostReceived = new FloatPointer(rows);
            hostLogits = new FloatPointer((long) rows * c.vocabSize());
            hostXView = hostX.asBuffer();
            hostReceivedView = hostReceived.asBuffer();
            hostLogitsView = hostLogits.asBuffer();
            hostTokens = new IntPointer(rows);
        }

        ClBuffer probs(DeviceKernels cl, Gpt2Config c) {
            if (probs == null) {
                probs = cl.buffer((long) c.heads() * rows * c.contextLength());
            }
            return probs;
        }

        void close() {
            for (ClBuffer b : new ClBuffer[] {x, a, qkv, attnOut, tmp, fc, logits, tokens, received}) {
                b.close();
            }
            if (probs != null) {
                probs.close();
            }
            hostX.close();
            hostReceived.close();
            hostLogits.close();
            hostTokens.close();
        }
    }
}
