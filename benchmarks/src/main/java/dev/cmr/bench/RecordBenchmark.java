package dev.cmr.bench;

import dev.cmr.monitor.CmrPerformanceMonitor;
import dev.cmr.monitor.MonitorStats;
import dev.cmr.monitor.MonitoringConfig;
import dev.cmr.monitor.record.CaptureRecorder;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Histogram;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Recorder;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Cost of recording one capture event (layer, states captured 8, states stored 6, duration), side by side for the
 * monitor and for the usual alternatives. Every variant has a 1-thread method and a {@code _t2} method with
 * {@code @Threads(2)} in which both threads record into the same shared structure; run them in one invocation
 * ({@code java -jar target/benchmarks.jar RecordBenchmark ...}) and do not pass {@code -t}, which would override both.
 *
 * <p>Inputs come from {@link Events}, a per-thread state holding pre-generated layers (uniform in 0..31) and
 * durations (log-uniform in 1 µs..2 ms); each call takes the next pair, so the measured methods allocate nothing
 * themselves: any {@code gc.alloc.rate.norm} above zero belongs to the code under test.
 *
 * <p>Shared structures live in {@code @State(Scope.Benchmark)} classes, one per variant, so a fork only builds
 * what its benchmark uses. Each benchmark method runs in its own forks; three forks by default, because on this
 * (virtual, 2-core) machine the fork-to-fork spread of a few nanoseconds is larger than the spread within a fork.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 4, time = 1)
@Fork(3)
@Threads(1)
public class RecordBenchmark {
    static final int STATES_CAPTURED = 8;
    static final int STATES_STORED = 6;

    /** The next event of the calling thread: a pre-generated layer and duration. */
    @State(Scope.Thread)
    public static class Events {
        int[] layers;
        long[] nanos;
        int index;

        @Setup(Level.Trial)
        public void setUp() {
            long seed = Inputs.nextSeed();
            layers = Inputs.layers(seed);
            nanos = Inputs.nanos(seed);
        }

        /** Advances to the next event and returns its index into {@link #layers} and {@link #nanos}. */
        int next() {
            int i = (index + 1) & Inputs.MASK;
            index = i;
            return i;
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Shared state of each variant
    // ---------------------------------------------------------------------------------------------------------

    /** The library: one monitor (with its collector thread running, as in production) and 32 pre-bound handles. */
    @State(Scope.Benchmark)
    public static class Cmr {
        CmrPerformanceMonitor monitor;
        CaptureRecorder[] handles;

        @Setup(Level.Trial)
        public void setUp() {
            monitor = new CmrPerformanceMonitor(MonitoringConfig.builder().maxLayers(Inputs.LAYERS).build());
            handles = new CaptureRecorder[Inputs.LAYERS];
            for (int layer = 0; layer < Inputs.LAYERS; layer++) {
                handles[layer] = monitor.captureRecorder(layer);
            }
            // The first getStats() of a JVM allocates for one-time initialization (up to 12 MB, class
            // initialization included); do it here so that the teardown's getStats() below does not add it to the
            // last measured iteration's gc.alloc.rate.norm.
            monitor.getStats();
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            // Sanity check printed with the fork's output: records must be counted, none rejected.
            MonitorStats stats = monitor.getStats();
            System.out.println("[cmr] totalCaptures=" + stats.totalCaptures() + " rejected=" + stats.rejectedRecords());
            if (stats.totalCaptures() == 0) {
                throw new IllegalStateException("monitor counted no captures");
            }
            monitor.close();
        }
    }

    /**
     * The floor for exact per-layer counts: each thread adds into a long[] of its own (count, sum of nanoseconds,
     * states captured, states stored per layer) with plain stores, plus one shared {@link LongAdder} for the total.
     * The per-thread arrays are registered so that a reader could find them (it would read them racily: plain
     * stores give no ordering, which is why this is a floor, not a design).
     */
    @State(Scope.Benchmark)
    public static class Floor {
        static final int WIDTH = 4;
        final List<long[]> registered = new CopyOnWriteArrayList<>();
        final ThreadLocal<long[]> local = ThreadLocal.withInitial(() -> {
            long[] counters = new long[Inputs.LAYERS * WIDTH];
            registered.add(counters);
            return counters;
        });
        final LongAdder total = new LongAdder();

        @TearDown(Level.Trial)
        public void tearDown() {
            long count = 0;
            for (long[] counters : registered) {
                for (int layer = 0; layer < Inputs.LAYERS; layer++) {
                    count += counters[layer * WIDTH];
                }
            }
            System.out.println("[idealFloor] perLayerCountSum=" + count + " total=" + total.sum());
        }
    }

    /** One shared HdrHistogram {@link Recorder} per layer (1 ns .. 2^36-1 ns, 2 significant digits). */
    @State(Scope.Benchmark)
    public static class HdrRecorders {
        final Recorder[] recorders = new Recorder[Inputs.LAYERS];

        @Setup(Level.Trial)
        public void setUp() {
            for (int layer = 0; layer < Inputs.LAYERS; layer++) {
                recorders[layer] = new Recorder(1, HIGHEST_NANOS, 2);
            }
        }
    }

    /** Same range as the library's histograms: 1 ns .. 2^36-1 ns (about 68.7 s). */
    static final long HIGHEST_NANOS = (1L << 36) - 1;

    /** One plain HdrHistogram {@link org.HdrHistogram.Histogram} per layer and thread (not readable concurrently). */
    @State(Scope.Benchmark)
    public static class HdrPerThread {
        final ThreadLocal<org.HdrHistogram.Histogram[]> local = ThreadLocal.withInitial(() -> {
            org.HdrHistogram.Histogram[] histograms = new org.HdrHistogram.Histogram[Inputs.LAYERS];
            for (int layer = 0; layer < Inputs.LAYERS; layer++) {
                histograms[layer] = new org.HdrHistogram.Histogram(1, HIGHEST_NANOS, 2);
            }
            return histograms;
        });
    }

    /** Micrometer's SimpleMeterRegistry (cumulative) with one pre-registered Timer per layer. */
    @State(Scope.Benchmark)
    public static class Micrometer {
        SimpleMeterRegistry registry;
        Timer[] timers;

        @Setup(Level.Trial)
        public void setUp() {
            registry = new SimpleMeterRegistry();
            timers = new Timer[Inputs.LAYERS];
            for (int layer = 0; layer < Inputs.LAYERS; layer++) {
                timers[layer] = Timer.builder("cmr.capture").tag("layer", Integer.toString(layer)).register(registry);
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            long count = 0;
            for (Timer t : timers) {
                count += t.count();
            }
            System.out.println("[micrometer] count=" + count);
            registry.close();
        }
    }

    /**
     * prometheus-metrics-core: a classic-only histogram with label "layer" and exponential buckets from 1 µs to
     * about 4.2 s (factor 2, 23 buckets), exemplars off; the 32 label values are bound once and kept in an array.
     */
    @State(Scope.Benchmark)
    public static class Prometheus {
        Histogram histogram;
        DistributionDataPoint[] layers;

        @Setup(Level.Trial)
        public void setUp() {
            histogram = Histogram.builder()
                    .name("cmr_capture_seconds")
                    .help("capture duration")
                    .unit(io.prometheus.metrics.model.snapshots.Unit.SECONDS)
                    .labelNames("layer")
                    .classicOnly()
                    .classicExponentialUpperBounds(1e-6, 2, 23)
                    .withoutExemplars()
                    .build();
            layers = new DistributionDataPoint[Inputs.LAYERS];
            for (int layer = 0; layer < Inputs.LAYERS; layer++) {
                layers[layer] = histogram.labelValues(Integer.toString(layer));
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            long count = 0;
            for (DistributionDataPoint p : layers) {
                count += p.getCount();
            }
            System.out.println("[prometheus] count=" + count);
        }
    }

    /**
     * A port of the seed's Python design: one lock guarding a list of capture times (boxed seconds), a
     * layer -> states stored map and a total counter. To keep the heap bounded the list is cleared whenever it
     * holds {@link #MAX_TIMES} entries (the seed never clears it and grows without bound).
     */
    @State(Scope.Benchmark)
    public static class NaiveSeed {
        static final int MAX_TIMES = 10_000_000;
        final NaiveSeedMonitor monitor = new NaiveSeedMonitor();

        @TearDown(Level.Trial)
        public void tearDown() {
            System.out.println("[naiveSeedPort] totalCaptures=" + monitor.totalCaptures());
        }
    }

    static final class NaiveSeedMonitor {
        private final List<Double> captureTimes = new ArrayList<>();
        private final Map<Integer, Integer> statesStoredPerLayer = new HashMap<>();
        private long totalCaptures;

        synchronized void recordCapture(int layerIdx, int statesStored, double captureSeconds) {
            captureTimes.add(captureSeconds);
            statesStoredPerLayer.merge(layerIdx, statesStored, Integer::sum);
            totalCaptures++;
            if (captureTimes.size() >= NaiveSeed.MAX_TIMES) {
                captureTimes.clear();
            }
        }

        synchronized long totalCaptures() {
            return totalCaptures;
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Bodies, shared by the 1-thread and 2-thread methods
    // ---------------------------------------------------------------------------------------------------------

    private static void doBaseline(Events e, Blackhole bh) {
        int i = e.next();
        bh.consume(e.layers[i]);
        bh.consume(e.nanos[i]);
    }

    private static void doCmrMonitor(Cmr s, Events e) {
        int i = e.next();
        s.monitor.recordCapture(e.layers[i], STATES_CAPTURED, STATES_STORED, e.nanos[i]);
    }

    private static void doCmrHandle(Cmr s, Events e) {
        int i = e.next();
        s.handles[e.layers[i]].record(STATES_CAPTURED, STATES_STORED, e.nanos[i]);
    }

    private static void doIdealFloor(Floor s, Events e) {
        int i = e.next();
        long nanos = e.nanos[i];
        long[] c = s.local.get();
        int base = e.layers[i] * Floor.WIDTH;
        c[base]++;
        c[base + 1] += nanos;
        c[base + 2] += STATES_CAPTURED;
        c[base + 3] += STATES_STORED;
        s.total.increment();
    }

    private static void doHdrRecorder(HdrRecorders s, Events e) {
        int i = e.next();
        s.recorders[e.layers[i]].recordValue(e.nanos[i]);
    }

    private static void doHdrPerThread(HdrPerThread s, Events e) {
        int i = e.next();
        s.local.get()[e.layers[i]].recordValue(e.nanos[i]);
    }

    private static void doMicrometer(Micrometer s, Events e) {
        int i = e.next();
        s.timers[e.layers[i]].record(e.nanos[i], TimeUnit.NANOSECONDS);
    }

    private static void doPrometheus(Prometheus s, Events e) {
        int i = e.next();
        s.layers[e.layers[i]].observe(e.nanos[i] * 1e-9);
    }

    private static void doNaive(NaiveSeed s, Events e) {
        int i = e.next();
        s.monitor.recordCapture(e.layers[i], STATES_STORED, e.nanos[i] * 1e-9);
    }

    // ---------------------------------------------------------------------------------------------------------
    // 1 thread
    // ---------------------------------------------------------------------------------------------------------

    /** Reading the next pre-generated event only: the harness's own share of every other result. */
    @Benchmark
    public void baseline(Events e, Blackhole bh) {
        doBaseline(e, bh);
    }

    @Benchmark
    public void cmrMonitor(Cmr s, Events e) {
        doCmrMonitor(s, e);
    }

    @Benchmark
    public void cmrHandle(Cmr s, Events e) {
        doCmrHandle(s, e);
    }

    @Benchmark
    public void idealFloor(Floor s, Events e) {
        doIdealFloor(s, e);
    }

    @Benchmark
    public void hdrRecorder(HdrRecorders s, Events e) {
        doHdrRecorder(s, e);
    }

    @Benchmark
    public void hdrPerThreadHistogram(HdrPerThread s, Events e) {
        doHdrPerThread(s, e);
    }

    @Benchmark
    public void micrometerTimer(Micrometer s, Events e) {
        doMicrometer(s, e);
    }

    @Benchmark
    public void prometheusHistogram(Prometheus s, Events e) {
        doPrometheus(s, e);
    }

    @Benchmark
    public void naiveSeedPort(NaiveSeed s, Events e) {
        doNaive(s, e);
    }

    // ---------------------------------------------------------------------------------------------------------
    // 2 threads recording into the same shared structure (the machine has 2 cores)
    // ---------------------------------------------------------------------------------------------------------

    @Benchmark
    @Threads(2)
    public void baseline_t2(Events e, Blackhole bh) {
        doBaseline(e, bh);
    }

    @Benchmark
    @Threads(2)
    public void cmrMonitor_t2(Cmr s, Events e) {
        doCmrMonitor(s, e);
    }

    @Benchmark
    @Threads(2)
    public void cmrHandle_t2(Cmr s, Events e) {
        doCmrHandle(s, e);
    }

    @Benchmark
    @Threads(2)
    public void idealFloor_t2(Floor s, Events e) {
        doIdealFloor(s, e);
    }

    @Benchmark
    @Threads(2)
    public void hdrRecorder_t2(HdrRecorders s, Events e) {
        doHdrRecorder(s, e);
    }

    @Benchmark
    @Threads(2)
    public void hdrPerThreadHistogram_t2(HdrPerThread s, Events e) {
        doHdrPerThread(s, e);
    }

    @Benchmark
    @Threads(2)
    public void micrometerTimer_t2(Micrometer s, Events e) {
        doMicrometer(s, e);
    }

    @Benchmark
    @Threads(2)
    public void prometheusHistogram_t2(Prometheus s, Events e) {
        doPrometheus(s, e);
    }

    @Benchmark
    @Threads(2)
    public void naiveSeedPort_t2(NaiveSeed s, Events e) {
        doNaive(s, e);
    }
}
