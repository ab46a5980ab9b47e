package dev.cmr.bench;

import dev.cmr.model.BlockListener;
import dev.cmr.model.Gpt2Backend;
import dev.cmr.model.Gpt2Config;
import dev.cmr.model.Gpt2Model;
import dev.cmr.model.Gpt2Weights;
import dev.cmr.model.KvCache;
import dev.cmr.model.SeededInit;
import dev.cmr.model.opencl.OpenClDevice;
import dev.cmr.model.opencl.OpenClGpt2Model;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The demo model's forward pass on each backend, same weights, in one invocation: 32 new tokens (the demo's chunk)
 * and 1 new token (a decoding step), each from an empty cache. The OpenCL time includes the blocking read of the
 * logits at the end of the pass, i.e. all device work of the pass. On this machine the OpenCL device is PoCL on the
 * same 2 CPU cores, so this compares two CPU code paths, not a CPU with a GPU.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1)
@State(Scope.Thread)
public class BackendForwardBenchmark {
    @Param({"cpu", "opencl"})
    public String backend;

    private Gpt2Backend model;
    private KvCache cache;
    private int[][] inputs;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        Gpt2Weights weights = SeededInit.weights(Gpt2Config.demo(), 42);
        if (backend.equals("opencl")) {
            model = new OpenClGpt2Model(weights, OpenClDevice.first()); // throws with the reason if none
        } else {
            model = new Gpt2Model(weights);
        }
        cache = model.newCache();
        SplittableRandom random = new SplittableRandom(7);
        inputs = new int[64][32];
        for (int[] input : inputs) {
            for (int i = 0; i < input.length; i++) {
                input[i] = random.nextInt(256);
            }
        }
        System.out.printf("%n[backend-forward] backend: %s%n", model.description());
    }

    private int[] input() {
        next = (next + 1) & 63;
        return inputs[next];
    }

    @Benchmark
    public float[][] forward32Tokens() {
        cache.clear();
        return model.forward(input(), cache, BlockListener.NONE);
    }

    @Benchmark
    public float[][] forward1Token() {
        cache.clear();
        int[] one = {input()[0]};
        return model.forward(one, cache, BlockListener.NONE);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        cache.close();
        model.close();
    }
}
