package dev.cmr.bench;

import dev.cmr.monitor.CmrPerformanceMonitor;
import dev.cmr.monitor.MonitoringConfig;
import dev.cmr.monitor.record.DurationRecorder;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cost of recording one layer (block) time, the plain duration form, one thread, with the inputs of
 * {@link RecordBenchmark} (pre-generated layers and durations): {@code layerMonitor} through
 * {@code monitor.recordLayer(layer, nanos)}, {@code layerHandle} through 32 pre-bound {@link DurationRecorder}s.
 * With {@code RecordBenchmark.cmrMonitor} and {@code cmrHandle} it is the plain record path that a profiler must
 * leave unchanged while profiling is off. Only API that the monitor has had since its pre-bound handles is used, so
 * the same source builds against two library versions and the jars can be run alternately.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 4, time = 1)
@Fork(3)
@Threads(1)
public class LayerRecordBenchmark {
    /** One monitor (collector running, as in production) and its 32 pre-bound layer-time handles. */
    @State(Scope.Benchmark)
    public static class Layers {
        CmrPerformanceMonitor monitor;
        DurationRecorder[] handles;

        @Setup(Level.Trial)
        public void setUp() {
            monitor = new CmrPerformanceMonitor(MonitoringConfig.builder().maxLayers(Inputs.LAYERS).build());
            handles = new DurationRecorder[Inputs.LAYERS];
            for (int layer = 0; layer < Inputs.LAYERS; layer++) {
                handles[layer] = monitor.layerRecorder(layer);
            }
            monitor.getStats(); // one-time initialization, out of the measured iterations
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            monitor.close();
        }
    }

    @Benchmark
    public void layerMonitor(Layers s, RecordBenchmark.Events e) {
        int i = e.next();
        s.monitor.recordLayer(e.layers[i], e.nanos[i]);
    }

    @Benchmark
    public void layerHandle(Layers s, RecordBenchmark.Events e) {
        int i = e.next();
        s.handles[e.layers[i]].record(e.nanos[i]);
    }
}
