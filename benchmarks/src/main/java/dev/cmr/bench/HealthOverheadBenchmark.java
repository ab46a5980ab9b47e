package dev.cmr.bench;

import dev.cmr.monitor.CmrPerformanceMonitor;
import dev.cmr.monitor.MonitoringConfig;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Does health evaluation and alerting touch the record path? {@code recordCapture} as in {@link RecordBenchmark},
 * with the monitor's background work at 100 Hz: the collector closes an interval every 10 ms and, with
 * {@code realTime}, the health check (and the alert manager it feeds) runs every 10 ms on the same thread.
 *
 * <p>Only public API that every version of the monitor has is used (config keys are parsed by every version), so
 * the same source builds against a library without health and alerts and against one with them; run both jars and
 * compare rows of the same {@code realTime}. In a library without health, {@code enable_real_time} has no effect.
 * Resource sampling, a separate feature and not part of health, is switched off where the library knows the key.
 *
 * <p>With 2 recording threads on a 2-core machine, any background work takes CPU from the recorders, so the
 * {@code _t2} rows show CPU sharing as well as the record path; the 1-thread rows isolate the record path.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 4, time = 1)
@Fork(2)
@Threads(1)
public class HealthOverheadBenchmark {
    private static final int STATES_CAPTURED = 8;
    private static final int STATES_STORED = 6;

    @State(Scope.Benchmark)
    public static class Monitor {
        @Param({"false", "true"})
        boolean realTime;

        CmrPerformanceMonitor monitor;

        @Setup(Level.Trial)
        public void setUp() {
            String common = "\"max_layers\": " + Inputs.LAYERS
                    + ", \"metric_collection_interval\": 0.01, \"health_check_interval\": 0.01"
                    + ", \"alert_channels\": [\"callback\"], \"enable_real_time\": " + realTime;
            MonitoringConfig config;
            try {
                // Resource sampling is not part of health: keep its sampler thread out of the comparison.
                config = MonitoringConfig.fromJson("{" + common + ", \"enable_resource_sampling\": false}");
            } catch (IllegalArgumentException libraryBeforeResourceSampling) {
                config = MonitoringConfig.fromJson("{" + common + "}");
            }
            monitor = new CmrPerformanceMonitor(config);
            monitor.getStats();
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            if (monitor.getStats().totalCaptures() == 0) {
                throw new IllegalStateException("monitor counted no captures");
            }
            monitor.close();
        }
    }

    private static void record(Monitor s, RecordBenchmark.Events e) {
        int i = e.next();
        s.monitor.recordCapture(e.layers[i], STATES_CAPTURED, STATES_STORED, e.nanos[i]);
    }

    @Benchmark
    public void recordCapture(Monitor s, RecordBenchmark.Events e) {
        record(s, e);
    }

    @Benchmark
    @Threads(2)
    public void recordCapture_t2(Monitor s, RecordBenchmark.Events e) {
        record(s, e);
    }
}
