package dev.cmr.bench;

import dev.cmr.model.BlockListener;
import dev.cmr.model.CmrConfig;
import dev.cmr.model.FullCmrModel;
import dev.cmr.model.Gpt2Config;
import dev.cmr.model.Gpt2Model;
import dev.cmr.model.KvCache;
import dev.cmr.model.cpu.Blas;
import dev.cmr.model.cpu.NativeArray;
import dev.cmr.model.memory.MemoryConfig;
import dev.cmr.monitor.CmrPerformanceMonitor;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The reference runtime's speed, in one invocation: OpenBLAS sgemm at the model's largest GEMM shape and at a
 * square 512 shape (the floor the forward pass is built on), one forward pass of the demo model over 32 tokens,
 * and the same pass of the CMR model detached and attached to a monitor (the monitoring overhead).
 *
 * <p>GFLOP/s = {@link #SGEMM_MLP_FLOPS}, {@link #SGEMM_SQUARE_FLOPS} or {@code Gpt2Model.flops(32, 0)} (printed at
 * setup) divided by the time per op. The CMR variants do the same transformer work plus capture, retrieval and
 * reconstruction; attached and detached run the same inputs from the same state, so their difference is the
 * monitor's cost.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2)
@State(Scope.Thread)
public class ForwardBenchmark {
    static final int TOKENS = 32;
    /** 2 * m * n * k for the MLP up-projection of 32 positions: 32 x 256 times 256 x 1024. */
    static final long SGEMM_MLP_FLOPS = 2L * TOKENS * 1024 * 256;
    static final long SGEMM_SQUARE_FLOPS = 2L * 512 * 512 * 512;

    private NativeArray a;
    private NativeArray b;
    private NativeArray c;
    private NativeArray sa;
    private NativeArray sb;
    private NativeArray sc;
    private Gpt2Model model;
    private KvCache cache;
    private FullCmrModel detached;
    private FullCmrModel attached;
    private CmrPerformanceMonitor monitor;
    private int[][] inputs;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        a = filled(TOKENS * 256);
        b = filled(256 * 1024);
        c = new NativeArray(TOKENS * 1024);
        sa = filled(512 * 512);
        sb = filled(512 * 512);
        sc = new NativeArray(512 * 512);
        Gpt2Config config = Gpt2Config.demo();
        model = Gpt2Model.seeded(config, 42);
        cache = model.newCache();
        MemoryConfig memory = MemoryConfig.builder().maxEntriesPerLayer(48).maxTotalEntries(160)
                .relevanceThreshold(0.55).build();
        CmrConfig cmr = new CmrConfig(Set.of(1, 3), Set.of(4, 5), memory);
        detached = new FullCmrModel(Gpt2Model.seeded(config, 42), cmr);
        attached = new FullCmrModel(Gpt2Model.seeded(config, 42), cmr);
        monitor = new CmrPerformanceMonitor();
        attached.attach(monitor);
        SplittableRandom random = new SplittableRandom(7);
        inputs = new int[64][TOKENS];
        for (int[] input : inputs) {
            for (int i = 0; i < TOKENS; i++) {
                input[i] = random.nextInt(256);
            }
        }
        System.out.printf("%n[forward] flops per pass of %d tokens: %d; sgemm flops: mlp %d, square %d%n", TOKENS,
                model.flops(TOKENS, 0), SGEMM_MLP_FLOPS, SGEMM_SQUARE_FLOPS);
    }

    private static NativeArray filled(int n) {
        SplittableRandom r = new SplittableRandom(n);
        NativeArray x = new NativeArray(n);
        for (int i = 0; i < n; i++) {
            x.set(i, (float) r.nextGaussian());
        }
        return x;
    }

    private int[] input() {
        next = (next + 1) & 63;
        return inputs[next];
    }

    @Benchmark
    public NativeArray sgemmMlpShape() {
        Blas.sgemm(false, false, TOKENS, 1024, 256, 1f, a, 0, 256, b, 0, 1024, 0f, c, 0, 1024);
        return c;
    }

    @Benchmark
    public NativeArray sgemmSquare512() {
        Blas.sgemm(false, false, 512, 512, 512, 1f, sa, 0, 512, sb, 0, 512, 0f, sc, 0, 512);
        return sc;
    }

    @Benchmark
    public float[][] gpt2Forward() {
        cache.clear();
        return model.forward(input(), cache, BlockListener.NONE);
    }

    @Benchmark
    public float[][] cmrForwardDetached() {
        return detached.forward(input());
    }

    @Benchmark
    public float[][] cmrForwardAttached() {
        return attached.forward(input());
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        System.out.printf("%n[forward] attached monitor saw %d forward passes, %d captures%n",
                monitor.getStats().totalForwards(), monitor.getStats().totalCaptures());
        monitor.close();
        attached.close();
        detached.close();
        cache.close();
        model.close();
        for (NativeArray x : new NativeArray[] {a, b, c, sa, sb, sc}) {
            x.close();
        }
    }
}
