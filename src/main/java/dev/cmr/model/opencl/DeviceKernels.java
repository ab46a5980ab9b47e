package dev.cmr.model.opencl;

import static org.bytedeco.opencl.global.OpenCL.CL_MEM_COPY_HOST_PTR;
import static org.bytedeco.opencl.global.OpenCL.CL_MEM_READ_WRITE;
import static org.bytedeco.opencl.global.OpenCL.CL_PROGRAM_BUILD_LOG;
import static org.bytedeco.opencl.global.OpenCL.CL_QUEUE_PROFILING_ENABLE;
import static org.bytedeco.opencl.global.OpenCL.CL_QUEUE_PROPERTIES;
import static org.bytedeco.opencl.global.OpenCL.clBuildProgram;
import static org.bytedeco.opencl.global.OpenCL.clCreateBuffer;
import static org.bytedeco.opencl.global.OpenCL.clCreateCommandQueue;
import static org.bytedeco.opencl.global.OpenCL.clCreateCommandQueueWithProperties;
import static org.bytedeco.opencl.global.OpenCL.clCreateContext;
import static org.bytedeco.opencl.global.OpenCL.clCreateProgramWithSource;
import static org.bytedeco.opencl.global.OpenCL.clEnqueueReadBuffer;
import static org.bytedeco.opencl.global.OpenCL.clEnqueueWriteBuffer;
import static org.bytedeco.opencl.global.OpenCL.clFinish;
import static org.bytedeco.opencl.global.OpenCL.clGetProgramBuildInfo;
import static org.bytedeco.opencl.global.OpenCL.clReleaseCommandQueue;
import static org.bytedeco.opencl.global.OpenCL.clReleaseContext;
import static org.bytedeco.opencl.global.OpenCL.clReleaseProgram;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.javacpp.SizeTPointer;
import org.bytedeco.opencl.Pfn_notify_BytePointer_Pointer_long_Pointer;
import org.bytedeco.opencl._cl_command_queue;
import org.bytedeco.opencl._cl_context;
import org.bytedeco.opencl._cl_program;

/**
 * The GPT-2 kernels ({@code .cl} resources next to this class) on one OpenCL device: a context, one in-order
 * command queue created with {@code CL_QUEUE_PROFILING_ENABLE}, the built program, and one Java method per kernel.
 * These are the model's building blocks; they are public so that each kernel can be tested against its Java
 * counterpart.
 *
 * <p>Contract:
 * <ol>
 *   <li>Construction builds the program (about a second on PoCL) and launches every kernel once, with the
 *       work-group sizes real launches use, then waits: the JIT of a first launch never lands in a profile.</li>
 *   <li>Kernel methods only enqueue and return (non-blocking). {@link #read} and {@link #write} block only when
 *       asked to; {@link #finish()} blocks until the queue is empty.</li>
 *   <li>Matrices are row-major; sizes are in elements. Not thread-safe: one thread enqueues at a time.</li>
 * </ol>
 */
public final class DeviceKernels implements AutoCloseable {
    /** Where the JDK keeps its signal-chaining library, as a person would write it. */
    static final String JSIG_HINT = "$JAVA_HOME/lib/libjsig.so";
    private static final String[] SOURCES = {"common.cl", "matmul.cl", "layernorm.cl", "elementwise.cl",
        "attention.cl"};

    private final OpenClDevice device;
    private final _cl_context context;
    private final _cl_command_queue queue;
    private final _cl_program program;
    /** Work-group size of the 1-D kernels, and the tile side of the matrix products. */
    private final int wg;
    private final int tile;
    private final ClKernel matmulBiasBlock;
    private final ClKernel matmulBiasRows;
    private final ClKernel matmulNt;
    private final ClKernel matmulNtRows;
    private final ClKernel layerNorm;
    private final ClKernel embed;
    private final ClKernel gelu;
    private final ClKernel addInPlace;
    private final ClKernel kvStore;
    private final ClKernel attention;
    private final ClKernel attentionReceived;
    private final List<ClKernel> kernels = new ArrayList<>();
    private final ClBuffer noProbs;
    private boolean closed;

    public DeviceKernels(OpenClDevice device) {
        this.device = device;
        long max = device.maxWorkGroupSize();
        this.wg = (int) Math.min(64, Long.highestOneBit(max));
        this.tile = max >= 256 ? 16 : max >= 64 ? 8 : 4;
        IntPointer status = new IntPointer(1);
        PointerPointer<Pointer> devices = new PointerPointer<>(1).put(0, device.handle());
        this.context = Cl.checked(clCreateContext(null, 1, devices, (Pfn_notify_BytePointer_Pointer_long_Pointer) null,
                null, status), status, "clCreateContext");
        this.queue = profilingQueue(context, device, status);
        try {
            this.program = build(context, device, "-DWG=" + wg + " -DTILE=" + tile + " -cl-mad-enable");
        } catch (RuntimeException e) {
            clReleaseCommandQueue(queue);
            clReleaseContext(context);
            throw e;
        }
        matmulBiasBlock = kernel("matmul_bias_block");
        matmulBiasRows = kernel("matmul_bias_rows");
        matmulNt = kernel("matmul_nt");
        matmulNtRows = kernel("matmul_nt_rows");
        layerNorm = kernel("layer_norm");
        embed = kernel("embed");
        gelu = kernel("gelu");
        addInPlace = kernel("add_in_place");
        kvStore = kernel("kv_store");
        attention = kernel("attention");
        attentionReceived = kernel("attention_received");
        noProbs = buffer(1);
        warmUp();
    }

    private static _cl_command_queue profilingQueue(_cl_context context, OpenClDevice device, IntPointer status) {
        LongPointer properties = new LongPointer(CL_QUEUE_PROPERTIES, CL_QUEUE_PROFILING_ENABLE, 0L);
        _cl_command_queue q = clCreateCommandQueueWithProperties(context, device.handle(), properties, status);
        if (status.get() == 0 && q != null) {
            return q;
        }
        // An OpenCL 1.x platform has only the older call.
        return Cl.checked(clCreateCommandQueue(context, device.handle(), CL_QUEUE_PROFILING_ENABLE, status), status,
                "clCreateCommandQueue(CL_QUEUE_PROFILING_ENABLE)");
    }

    /**
     * Builds the kernels. PoCL compiles with an LLVM inside this process, and LLVM's SIGSEGV handler deletes the
     * files clang is writing; the JVM raises SIGSEGV on purpose in any of its threads (safepoint polls, implicit
     * null checks), so without the JDK's {@code libjsig.so} preloaded a build can fail with "unable to rename
     * temporary ..." although the source is fine. The error then says so.
     */
    private static _cl_program build(_cl_context context, OpenClDevice device, String options) {
        String[] sources = new String[SOURCES.length];
        for (int i = 0; i < SOURCES.length; i++) {
            sources[i] = resource(SOURCES[i]);
        }
        IntPointer status = new IntPointer(1);
        _cl_program p = Cl.checked(clCreateProgramWithSource(context, sources.length, new PointerPointer<>(sources),
                null, status), status, "clCreateProgramWithSource");
        PointerPointer<Pointer> devices = new PointerPointer<>(1).put(0, device.handle());
        int built = clBuildProgram(p, 1, devices, new BytePointer(options), null, null);
        if (built != 0) {
            SizeTPointer size = new SizeTPointer(1);
            clGetProgramBuildInfo(p, device.handle(), CL_PROGRAM_BUILD_LOG, 0, null, size);
            BytePointer log = new BytePointer(Math.max(1, size.get()));
            clGetProgramBuildInfo(p, device.handle(), CL_PROGRAM_BUILD_LOG, log.capacity(), log, null);
            clReleaseProgram(p);
            String text = log.getString();
            throw new IllegalStateException("clBuildProgram failed: " + Cl.name(built) + " (" + built + ")"
                    + (lostTemporaryFiles(text) ? ": the OpenCL compiler lost its temporary files to a signal the "
                    + "JVM raised; run the JVM with LD_PRELOAD=" + JSIG_HINT : "") + "\n" + text);
        }
        return p;
    }

    /** Whether a build log is the compiler losing its own files, not a fault in the source. */
    static boolean lostTemporaryFiles(String buildLog) {
        return buildLog.contains("unable to rename temporary") || buildLog.contains("No such file or directory");
    }

    private static String resource(String name) {
        try (InputStream in = DeviceKernels.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("kernel source " + name + " is missing from the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("reading kernel source " + name, e);
        }
    }

    private ClKernel kernel(String name) {
        ClKernel k = new ClKernel(program, name);
        kernels.add(k);
        return k;
    }

    /** First launch of every kernel, at its real work-group size, then a wait: pays the JIT here. */
    private void warmUp() {
        int h = 2 * tile + 3; // not a multiple of the tile, so guarded loads run too
        int heads = 1;
        int ctx = 4;
        try (ClBuffer x = upload(new float[2 * h]); ClBuffer y = upload(new float[2 * h]);
             ClBuffer w = upload(new float[h * 3 * h]); ClBuffer bias = upload(new float[3 * h]);
             ClBuffer qkv = upload(new float[2 * 3 * h]); ClBuffer kv = upload(new float[heads * ctx * h]);
             ClBuffer kv2 = upload(new float[heads * ctx * h]); ClBuffer probs = upload(new float[heads * 2 * ctx]);
             ClBuffer tokens = buffer(2)) {
            write(tokens, new IntPointer(0, 1), 2, true);
            embed(tokens, w, w, x, 2, h, 0);
            layerNorm(x, y, 2, h, bias, bias, 1e-5f);
            matmulBias(y, w, bias, qkv, 2, 3 * h, h); // fewer rows than a tile: the one-row kernel
            kvStore(qkv, kv, kv2, 2, 0, h, h, ctx);
            attention(qkv, kv, kv2, x, probs, 2, 0, h, heads, ctx, 1f);
            attentionReceived(probs, y, 2, 0, heads, ctx);
            gelu(x, 2 * h);
            addInPlace(x, y, 2 * h);
            matmulNt(x, w, qkv, 1, 3, h);
            finish();
        }
        // The blocked and tiled products, with a whole tile of rows.
        int rows = tile;
        try (ClBuffer a = upload(new float[rows * 3]); ClBuffer b = upload(new float[3 * 5]);
             ClBuffer bias = upload(new float[5]); ClBuffer c = buffer(rows * 5)) {
            matmulBias(a, b, bias, c, rows, 5, 3);
            matmulNt(a, b, c, rows, 5, 3);
            finish();
        }
    }

    // ---- buffers and transfers ----

    /** An uninitialized device buffer of {@code elements} 32-bit elements. */
    public ClBuffer buffer(long elements) {
        if (elements < 1) {
            throw new IllegalArgumentException("elements must be >= 1, was " + elements);
        }
        IntPointer status = new IntPointer(1);
        return new ClBuffer(Cl.checked(clCreateBuffer(context, CL_MEM_READ_WRITE, 4 * elements, null, status), status,
                "clCreateBuffer(" + 4 * elements + " bytes)"), elements);
    }

    /** A device buffer holding a copy of {@code values} (copied before this returns). */
    public ClBuffer upload(float[] values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("values must not be empty");
        }
        try (FloatPointer host = new FloatPointer(values)) {
            IntPointer status = new IntPointer(1);
            return new ClBuffer(Cl.checked(clCreateBuffer(context, CL_MEM_READ_WRITE | CL_MEM_COPY_HOST_PTR,
                    4L * values.length, host, status), status, "clCreateBuffer(copy " + values.length + " floats)"),
                    values.length);
        }
    }

    /** The first {@code n} floats of {@code buffer}, after all enqueued work (blocks). */
    public float[] download(ClBuffer buffer, int n) {
        try (FloatPointer host = new FloatPointer(n)) {
            read(buffer, host, n, true);
            float[] out = new float[n];
            host.get(out);
            return out;
        }
    }

    /**
     * Copies the first {@code elements} of {@code src} into {@code dst}. Blocking: returns when the copy (and all
     * work before it) is done. Non-blocking: {@code dst} is filled once the queue gets there.
     */
    public void read(ClBuffer src, Pointer dst, long elements, boolean blocking) {
        checkRange(src, elements);
        Cl.check(clEnqueueReadBuffer(queue, src.mem(), blocking ? 1 : 0, 0, 4 * elements, dst, 0,
                (PointerPointer<?>) null, (PointerPointer<?>) null), "clEnqueueReadBuffer");
    }

    /**
     * Copies {@code elements} from {@code src} into the start of {@code dst}. Non-blocking: {@code src} must stay
     * unchanged until the queue has passed the copy.
     */
    public void write(ClBuffer dst, Pointer src, long elements, boolean blocking) {
        checkRange(dst, elements);
        Cl.check(clEnqueueWriteBuffer(queue, dst.mem(), blocking ? 1 : 0, 0, 4 * elements, src, 0,
                (PointerPointer<?>) null, (PointerPointer<?>) null), "clEnqueueWriteBuffer");
    }

    private static void checkRange(ClBuffer b, long elements) {
        if (elements < 1 || elements > b.elements()) {
            throw new IllegalArgumentException("elements must be in [1, " + b.elements() + "], was " + elements);
        }
    }

    /** Blocks until every enqueued command is done. */
    public void finish() {
        Cl.check(clFinish(queue), "clFinish");
    }

    // ---- kernels (enqueue only) ----

    /**
     * {@code c[m x n] = a[m x k] b[k x n] + bias[n]}: one row per work-item when there are fewer rows than a tile
     * (a decoding step), else blocks of 8 rows per work-item. Measured on PoCL (demo MLP shapes): one row 0.2-0.8 ms
     * against 4-7 ms for 16 x 16 tiles; at 32 rows, 8-row blocks 1.8 ms against 4.8 ms for tiles.
     */
    public void matmulBias(ClBuffer a, ClBuffer b, ClBuffer bias, ClBuffer c, int m, int n, int k) {
        ClKernel kernel = m < tile ? matmulBiasRows : matmulBiasBlock;
        kernel.arg(0, a).arg(1, b).arg(2, bias).arg(3, c).arg(4, m).arg(5, n).arg(6, k)
                .launch(queue, groups(n, wg), m < tile ? m : groups(m, 8), wg, 1);
    }

    /** {@code c[m x n] = a[m x k] b[n x k]^T}; few rows go to an untiled kernel, as in {@link #matmulBias}. */
    public void matmulNt(ClBuffer a, ClBuffer b, ClBuffer c, int m, int n, int k) {
        if (m < tile) {
            matmulNtRows.arg(0, a).arg(1, b).arg(2, c).arg(3, m).arg(4, n).arg(5, k)
                    .launch(queue, groups(n, wg), m, wg, 1);
        } else {
            matmulNt.arg(0, a).arg(1, b).arg(2, c).arg(3, m).arg(4, n).arg(5, k)
                    .launch(queue, groups(n, tile), groups(m, tile), tile, tile);
        }
    }

    /** Rows from which matrix products use their blocked or tiled kernel; fewer take the one-row kernels. */
    public int tileRows() {
        return tile;
    }

    /** Layer norm of each of {@code rows} rows of {@code x} into {@code out}. */
    public void layerNorm(ClBuffer x, ClBuffer out, int rows, int width, ClBuffer gamma, ClBuffer beta, float eps) {
        layerNorm.arg(0, x).arg(1, out).arg(2, gamma).arg(3, beta).arg(4, width).arg(5, eps).launch(queue, rows, wg);
    }

    /** {@code x[i] = wte[tokens[i]] + wpe[past + i]} for {@code rows} rows of width {@code h}. */
    public void embed(ClBuffer tokens, ClBuffer wte, ClBuffer wpe, ClBuffer x, int rows, int h, int past) {
        int n = rows * h;
        embed.arg(0, tokens).arg(1, wte).arg(2, wpe).arg(3, x).arg(4, h).arg(5, past).arg(6, n)
                .launch(queue, groups(n, wg), wg);
    }

    /** GELU (tanh form) in place over the first {@code n} elements. */
    public void gelu(ClBuffer x, int n) {
        gelu.arg(0, x).arg(1, n).launch(queue, groups(n, wg), wg);
    }

    /** {@code x += y} over the first {@code n} elements. */
    public void addInPlace(ClBuffer x, ClBuffer y, int n) {
        addInPlace.arg(0, x).arg(1, y).arg(2, n).launch(queue, groups(n, wg), wg);
    }

    /** Appends the keys and values in {@code qkv} ({@code [t][3h]}) to a layer's cache at positions from past. */
    public void kvStore(ClBuffer qkv, ClBuffer keys, ClBuffer values, int t, int past, int h, int headSize, int ctx) {
        int n = t * h;
        kvStore.arg(0, qkv).arg(1, keys).arg(2, values).arg(3, t).arg(4, past).arg(5, h).arg(6, headSize)
                .arg(7, ctx).launch(queue, groups(n, wg), wg);
    }

    /**
     * Causal softmax attention of the {@code t} queries in {@code qkv} over cached positions
     * {@code 0 .. past + i} into {@code out} ({@code [t][h]}); the probabilities go to {@code probs}
     * ({@code [heads][t][ctx]}) unless it is null.
     */
    public void attention(ClBuffer qkv, ClBuffer keys, ClBuffer values, ClBuffer out, ClBuffer probs, int t,
                          int past, int h, int heads, int ctx, float scale) {
        attention.arg(0, qkv).arg(1, keys).arg(2, values).arg(3, out).arg(4, probs == null ? noProbs : probs)
                .arg(5, probs == null ? 0 : 1).localArg(6, 4L * ctx).arg(7, t).arg(8, past).arg(9, h)
                .arg(10, h / heads).arg(11, ctx).arg(12, scale).launch(queue, t, heads, wg, 1);
    }

    /** Per position of the pass, the attention it received, from {@link #attention}'s probabilities. */
    public void attentionReceived(ClBuffer probs, ClBuffer received, int t, int past, int heads, int ctx) {
        attentionReceived.arg(0, probs).arg(1, received).arg(2, t).arg(3, past).arg(4, heads).arg(5, ctx)
                .launch(queue, groups(t, wg), wg);
    }

    private static long groups(long n, long size) {
        return (n + size - 1) / size;
    }

    // ---- identity ----

    public OpenClDevice device() {
        return device;
    }

    /** The raw {@code cl_command_queue} handle, for binding a device timeline to this queue. */
    public long queueHandle() {
        return queue.address();
    }

    /** Releases the kernels, program, queue and context (after finishing the queue). Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        clFinish(queue);
        noProbs.close();
        kernels.forEach(ClKernel::close);
        clReleaseProgram(program);
        clReleaseCommandQueue(queue);
        clReleaseContext(context);
    }
}
