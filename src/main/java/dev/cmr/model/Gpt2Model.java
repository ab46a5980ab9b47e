package dev.cmr.model;

import dev.cmr.model.cpu.Blas;
import dev.cmr.model.cpu.NativeArray;
import dev.cmr.model.hooks.HiddenStates;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A GPT-2 decoder in float32 on the CPU: token and position embeddings; per block layer norm, causal multi-head
 * self-attention, residual, layer norm, MLP with GELU (tanh approximation), residual; a final layer norm and an LM
 * head tied to the token embeddings. Matrix products go through OpenBLAS; weights and activations live in native
 * memory ({@link NativeArray}).
 *
 * <p>Not thread-safe: one forward pass at a time per model (it reuses its workspace). {@link #close()} frees the
 * native memory.
 */
public final class Gpt2Model implements Gpt2Backend {
    private final Gpt2Config config;
    private final NativeArray wte;
    private final NativeArray wpe;
    private final List<NativeBlock> blocks = new ArrayList<>();
    private final NativeArray lnFGamma;
    private final NativeArray lnFBeta;
    private Workspace workspace;
    private boolean closed;

    private record NativeBlock(NativeArray ln1Gamma, NativeArray ln1Beta, NativeArray attnW, NativeArray attnB,
                               NativeArray projW, NativeArray projB, NativeArray ln2Gamma, NativeArray ln2Beta,
                               NativeArray fcW, NativeArray fcB, NativeArray mlpProjW, NativeArray mlpProjB) {
        static NativeBlock of(Gpt2Weights.Block b) {
            return new NativeBlock(NativeArray.of(b.ln1Gamma()), NativeArray.of(b.ln1Beta()), NativeArray.of(b.attnW()),
                    NativeArray.of(b.attnB()), NativeArray.of(b.projW()), NativeArray.of(b.projB()),
                    NativeArray.of(b.ln2Gamma()), NativeArray.of(b.ln2Beta()), NativeArray.of(b.fcW()),
                    NativeArray.of(b.fcB()), NativeArray.of(b.mlpProjW()), NativeArray.of(b.mlpProjB()));
        }

        void close() {
            for (NativeArray a : List.of(ln1Gamma, ln1Beta, attnW, attnB, projW, projB, ln2Gamma, ln2Beta, fcW, fcB,
                    mlpProjW, mlpProjB)) {
                a.close();
            }
        }
    }

    public Gpt2Model(Gpt2Weights weights) {
        this.config = weights.config();
        this.wte = NativeArray.of(weights.wte());
        this.wpe = NativeArray.of(weights.wpe());
        for (Gpt2Weights.Block b : weights.blocks()) {
            blocks.add(NativeBlock.of(b));
        }
        this.lnFGamma = NativeArray.of(weights.lnFGamma());
        this.lnFBeta = NativeArray.of(weights.lnFBeta());
    }

    /** A model with GPT-2's initialization drawn from {@code seed} (see {@link SeededInit}). */
    public static Gpt2Model seeded(Gpt2Config config, long seed) {
        return new Gpt2Model(SeededInit.weights(config, seed));
    }

    /** Reads {@code config.json} and {@code model.safetensors} from {@code dir} (Hugging Face GPT-2 layout). */
    public static Gpt2Model load(Path dir) {
        return new Gpt2Model(Gpt2Checkpoint.load(dir));
    }

    @Override
    public Gpt2Config config() {
        return config;
    }

    @Override
    public String description() {
        return "cpu (Java + OpenBLAS)";
    }

    @Override
    public boolean runsOnCpu() {
        return true;
    }

    @Override
    public KvCache newCache() {
        return new HostKvCache(config);
    }

    @Override
    public float[][] forward(int[] tokenIds, KvCache kvCache, BlockListener listener) {
        if (closed) {
            throw new IllegalStateException("model is closed");
        }
        if (!(kvCache instanceof HostKvCache cache)) {
            throw new IllegalArgumentException("cache was made by another backend, not by this CPU model");
        }
        int t = tokenIds.length;
        int past = cache.length();
        config.checkTokens(tokenIds, past);
        Workspace w = workspace(t);
        int h = config.hiddenSize();
        FloatBuffer x = w.x.view();
        FloatBuffer te = wte.view();
        FloatBuffer pe = wpe.view();
        for (int i = 0; i < t; i++) {
            int tokenRow = tokenIds[i] * h;
            int posRow = (past + i) * h;
            for (int j = 0; j < h; j++) {
                x.put(i * h + j, te.get(tokenRow + j) + pe.get(posRow + j));
            }
        }
        for (int layer = 0; layer < blocks.size(); layer++) {
            listener.beforeBlock(layer);
            boolean wantsAttention = listener.wantsAttention(layer);
            float[] received = block(layer, t, past, cache, w, wantsAttention);
            listener.afterBlock(layer, HiddenStates.over(x, t, h, past), received);
        }
        cache.advance(t);
        Kernels.layerNorm(x, w.a.view(), t, h, lnFGamma.view(), lnFBeta.view(), (float) config.layerNormEpsilon());
        int v = config.vocabSize();
        Blas.sgemm(false, true, t, v, h, 1f, w.a, 0, h, wte, 0, h, 0f, w.logits, 0, v);
        float[][] out = new float[t][];
        for (int i = 0; i < t; i++) {
            out[i] = w.logits.copyOut(i * v, v);
        }
        return out;
    }

    /** One block over {@code t} new positions; returns attention received per new position if asked. */
    private float[] block(int layer, int t, int past, HostKvCache cache, Workspace w, boolean wantsAttention) {
        NativeBlock b = blocks.get(layer);
        int h = config.hiddenSize();
        int heads = config.heads();
        int d = config.headSize();
        int ctx = config.contextLength();
        int total = past + t;
        float eps = (float) config.layerNormEpsilon();
        FloatBuffer x = w.x.view();

        // Attention: qkv = LN1(x) W_attn + b_attn
        Kernels.layerNorm(x, w.a.view(), t, h, b.ln1Gamma.view(), b.ln1Beta.view(), eps);
        Kernels.fillRows(w.qkv.view(), t, 3 * h, b.attnB.view());
        Blas.sgemm(false, false, t, 3 * h, h, 1f, w.a, 0, h, b.attnW, 0, 3 * h, 1f, w.qkv, 0, 3 * h);

        FloatBuffer qkv = w.qkv.view();
        FloatBuffer keys = cache.keys[layer].view();
        FloatBuffer values = cache.values[layer].view();
        float[] received = wantsAttention ? new float[t] : null;
        float scale = (float) (1.0 / Math.sqrt(d));
        for (int head = 0; head < heads; head++) {
            int headBase = head * ctx * d;
            FloatBuffer q = w.q.view();
            for (int i = 0; i < t; i++) {
                int row = i * 3 * h + head * d;
                int cacheRow = headBase + (past + i) * d;
                for (int j = 0; j < d; j++) {
                    q.put(i * d + j, qkv.get(row + j));
                    keys.put(cacheRow + j, qkv.get(row + h + j));
                    values.put(cacheRow + j, qkv.get(row + 2 * h + j));
                }
            }
            // scores[t x total] = scale * q K^T, then the causal softmax: query i sees keys 0 .. past + i.
            Blas.sgemm(false, true, t, total, d, scale, w.q, 0, d, cache.keys[layer], headBase, d, 0f, w.scores, 0,
                    total);
            Kernels.causalSoftmax(w.scores.view(), t, total, past);
            if (received != null) {
                FloatBuffer p = w.scores.view();
                for (int i = 0; i < t; i++) {
                    for (int j = past; j <= past + i; j++) {
                        received[j - past] += p.get(i * total + j);
                    }
                }
            }
            Blas.sgemm(false, false, t, d, total, 1f, w.scores, 0, total, cache.values[layer], headBase, d, 0f,
                    w.headOut, 0, d);
            FloatBuffer headOut = w.headOut.view();
            FloatBuffer attnOut = w.attnOut.view();
            for (int i = 0; i < t; i++) {
                for (int j = 0; j < d; j++) {
                    attnOut.put(i * h + head * d + j, headOut.get(i * d + j));
                }
            }
        }
        if (received != null) {
            // Position j of this pass can be seen by the queries j .. t-1 of this pass, in every head.
            for (int j = 0; j < t; j++) {
                received[j] /= (float) heads * (t - j);
            }
        }
        Kernels.fillRows(w.tmp.view(), t, h, b.projB.view());
        Blas.sgemm(false, false, t, h, h, 1f, w.attnOut, 0, h, b.projW, 0, h, 1f, w.tmp, 0, h);
        Kernels.addInPlace(x, w.tmp.view(), t * h);

        // MLP: x += GELU(LN2(x) W_fc + b_fc) W_proj + b_proj
        Kernels.layerNorm(x, w.a.view(), t, h, b.ln2Gamma.view(), b.ln2Beta.view(), eps);
        int inner = config.innerSize();
        Kernels.fillRows(w.fc.view(), t, inner, b.fcB.view());
        Blas.sgemm(false, false, t, inner, h, 1f, w.a, 0, h, b.fcW, 0, inner, 1f, w.fc, 0, inner);
        Kernels.gelu(w.fc.view(), t * inner);
        Kernels.fillRows(w.tmp.view(), t, h, b.mlpProjB.view());
        Blas.sgemm(false, false, t, h, inner, 1f, w.fc, 0, inner, b.mlpProjW, 0, h, 1f, w.tmp, 0, h);
        Kernels.addInPlace(x, w.tmp.view(), t * h);
        return received;
    }

    /**
     * Floating-point operations of a pass over {@code t} new positions after {@code past} cached ones (matrix
     * products only, counting a multiply-add as two).
     */
    public long flops(int t, int past) {
        long h = config.hiddenSize();
        long total = past + t;
        long perLayer = 2L * t * h * 3 * h + 2L * t * h * h + 2L * 2 * t * h * 4 * h + 2L * 2 * t * total * h;
        return config.layers() * perLayer + 2L * t * h * config.vocabSize();
    }

    private Workspace workspace(int t) {
        if (workspace == null || workspace.rows < t) {
            if (workspace != null) {
                workspace.close();
            }
            workspace = new Workspace(config, Math.max(t, 16));
        }
        return workspace;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (workspace != null) {
            workspace.close();
        }
        wte.close();
        wpe.close();
        lnFGamma.close();
        lnFBeta.close();
        blocks.forEach(NativeBlock::close);
    }

    /** Activation buffers for up to {@code rows} positions per pass. */
    private static final class Workspace {
        final int rows;
        final NativeArray x, a, qkv, q, scores, headOut, attnOut, tmp, fc, logits;

        Workspace(Gpt2Config c, int rows) {
            this.rows = rows;
            int h = c.hiddenSize();
            x = new NativeArray(rows * h);
            a = new NativeArray(rows * h);
            qkv = new NativeArray(rows * 3 * h);
            q = new NativeArray(rows * c.headSize());
            scores = new NativeArray(rows * c.contextLength());
            headOut = new NativeArray(rows * c.headSize());
            attnOut = new NativeArray(rows * h);
            tmp = new NativeArray(rows * h);
            fc = new NativeArray(rows * c.innerSize());
            logits = new NativeArray(rows * c.vocabSize());
        }

        void close() {
            for (NativeArray n : new NativeArray[] {x, a, qkv, q, scores, headOut, attnOut, tmp, fc, logits}) {
                n.close();
            }
        }
    }
}
