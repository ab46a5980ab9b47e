package dev.cmr.monitor.health;

import static dev.cmr.monitor.health.HealthComponent.DEVICE;
import static dev.cmr.monitor.health.HealthComponent.HOOKS;
import static dev.cmr.monitor.health.HealthComponent.HOST;
import static dev.cmr.monitor.health.HealthComponent.MEMORY_BUFFER;
import static dev.cmr.monitor.health.HealthComponent.RECONSTRUCTION;
import static dev.cmr.monitor.health.HealthComponent.RETRIEVAL_SYSTEM;

import dev.cmr.monitor.record.Stage;
import dev.cmr.monitor.store.StageInterval;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Judges each component from a {@link HealthSample} and the {@link ActivityWindow} over the same span. A pure
 * function of its inputs: no clock, no state, no I/O, so every verdict can be reproduced from the numbers in its
 * details.
 *
 * <table>
 *   <caption>What decides each component (t = a configured threshold; see {@link HealthPolicy})</caption>
 *   <tr><th>component</th><th>checks (YELLOW / RED)</th><th>NO_DATA when</th></tr>
 *   <tr><td>memory_buffer</td><td>evictions_per_insert &gt; 0.1 / 0.5; capture_efficiency &lt; low_efficiency /
 *       half of it; utilization &ge; 0.95 (never RED); capture error_rate; capture p99 and degradation</td>
 *       <td>no capture in the window and no buffer gauge</td></tr>
 *   <tr><td>retrieval_system</td><td>cache_hit_rate &lt; low_efficiency (never RED); error_rate; retrieval p99
 *       and degradation</td><td>no retrieval in the window</td></tr>
 *   <tr><td>reconstruction</td><td>quality &lt; low_efficiency / half of it; error_rate; reconstruction p99 and
 *       degradation</td><td>no reconstruction and no quality sample</td></tr>
 *   <tr><td>hooks</td><td>error_rate (per hook call with a hook source, else per forward pass); overhead_share of
 *       forward time &gt; 0.10 / 0.25</td><td>no forward pass, hook call or hook error in the window</td></tr>
 *   <tr><td>device</td><td>memory_utilization &gt; 0.90 / 0.97; throttled (never RED); mark_loss_rate (lost
 *       device marks) &gt; high_error_rate / twice it; device p99 and degradation</td><td>no device reading and no device time recorded</td></tr>
 *   <tr><td>host</td><td>cpu_utilization &gt; 0.90 / 0.98; memory_utilization &gt; 0.90 / 0.97</td>
 *       <td>no host reading</td></tr>
 * </table>
 *
 * Latency: {@code <stage>_p99_seconds} (the window's upper bound) &gt; high_latency / twice it. Error rates: errors
 * per operation &gt; high_error_rate / twice it (1.0 when there were errors but no operation). Degradation:
 * {@code <stage>_p99_vs_baseline}, the median interval p99 of the recent window over that of the baseline window,
 * &gt; degradation_ratio / twice it, judged only with {@value HealthPolicy#MIN_DEGRADATION_SAMPLES} records and
 * {@value HealthPolicy#MIN_DEGRADATION_INTERVALS} intervals with records in each window.
 */
public final class HealthEvaluator {
    /** The keys of {@link HealthComponent}, in report order. */
    public static final List<String> COMPONENTS = HealthComponent.keys();

    private final HealthPolicy policy;

    public HealthEvaluator(HealthPolicy policy) {
        this.policy = policy;
    }

    public HealthPolicy policy() {
        return policy;
    }

    /**
     * The health component an error belongs to, from the component name it was recorded under, or null for errors
     * that only count towards the system error rate. Names starting with {@code hook} (the runtime reports
     * {@code hook:<name>}) are hook errors.
     */
    public static String componentOfError(String recordedComponent) {
        if (recordedComponent == null) {
            return null;
        }
        String c = recordedComponent.toLowerCase(java.util.Locale.ROOT);
        if (c.startsWith("hook")) {
            return HOOKS.key();
        }
        if (c.startsWith("capture") || c.startsWith("memory_buffer") || c.startsWith("buffer")
                || c.startsWith("eviction")) {
            return MEMORY_BUFFER.key();
        }
        if (c.startsWith("retrieval")) {
            return RETRIEVAL_SYSTEM.key();
        }
        if (c.startsWith("reconstruction")) {
            return RECONSTRUCTION.key();
        }
        if (c.startsWith("device")) {
            return DEVICE.key();
        }
        if (c.startsWith("host")) {
            return HOST.key();
        }
        return null;
    }

    public HealthReport evaluate(HealthSample sample, ActivityWindow activity) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        List<ComponentHealth> components = List.of(
                memoryBuffer(sample, activity, metrics),
                retrieval(sample, activity, metrics),
                reconstruction(sample, activity, metrics),
                hooks(activity, metrics),
                device(sample, activity),
                host(sample));
        Map<String, Object> system = system(sample, metrics);
        List<String> withoutData = components.stream().filter(c -> c.status() == HealthStatus.NO_DATA)
                .map(ComponentHealth::name).toList();
        system.put("components_without_data", withoutData);
        return HealthReport.of(sample.epochMillis(), components, metrics, system);
    }

    // ---- components ----

    private ComponentHealth memoryBuffer(HealthSample s, ActivityWindow a, Map<String, Double> metrics) {
        IntervalWindow w = s.recent();
        List<HealthCheck> checks = new ArrayList<>();
        Map<String, Object> facts = windowFacts(w);
        facts.put("states_captured", w.statesCaptured());
        facts.put("inserts", w.statesStored());
        facts.put("evictions", w.evictions());
        if (w.statesStored() > 0) {
            double perInsert = (double) w.evictions() / w.statesStored();
            checks.add(HealthCheck.higherIsWorse("evictions_per_insert", perInsert,
                    HealthPolicy.EVICTIONS_PER_INSERT_YELLOW, HealthPolicy.EVICTIONS_PER_INSERT_RED));
            metrics.put("memory_buffer.evictions_per_insert", perInsert);
            metrics.put("memory_buffer.storage_efficiency",
                    Math.max(0.0, (double) (w.statesStored() - w.evictions()) / w.statesStored()));
        }
        if (w.statesCaptured() > 0) {
            double efficiency = (double) w.statesStored() / w.statesCaptured();
            checks.add(HealthCheck.lowerIsWorse("capture_efficiency", efficiency, policy.lowEfficiency(),
                    policy.lowEfficiency() / 2));
            metrics.put("memory_buffer.capture_efficiency", efficiency);
        }
        double utilization = w.latestBufferUtilization();
        if (!Double.isNaN(utilization)) {
            facts.put("buffer_entries", w.latestBufferEntries());
            checks.add(HealthCheck.higherIsWorse("utilization", utilization,
                    HealthPolicy.BUFFER_UTILIZATION_YELLOW, null));
            metrics.put("memory_buffer.utilization", utilization);
        }
        errorRate(checks, facts, a.errorsOf(MEMORY_BUFFER.key()), a.captures(), "captures");
        latency(checks, facts, Stage.CAPTURE, s);
        return component(MEMORY_BUFFER, checks, facts, "no capture and no buffer gauge in the window");
    }

    private ComponentHealth retrieval(HealthSample s, ActivityWindow a, Map<String, Double> metrics) {
        IntervalWindow w = s.recent();
        List<HealthCheck> checks = new ArrayList<>();
        Map<String, Object> facts = windowFacts(w);
        long retrievals = w.stage(Stage.RETRIEVAL).count();
        facts.put("retrievals", retrievals);
        facts.put("cache_hits", w.cacheHits());
        if (retrievals > 0) {
            double hitRate = (double) w.cacheHits() / retrievals;
            checks.add(HealthCheck.lowerIsWorse("cache_hit_rate", hitRate, policy.lowEfficiency(), null));
            metrics.put("retrieval_system.cache_hit_rate", hitRate);
        }
        errorRate(checks, facts, a.errorsOf(RETRIEVAL_SYSTEM.key()), a.retrievals(), "retrievals");
        latency(checks, facts, Stage.RETRIEVAL, s);
        return component(RETRIEVAL_SYSTEM, checks, facts, "no retrieval in the window");
    }

    private ComponentHealth reconstruction(HealthSample s, ActivityWindow a, Map<String, Double> metrics) {
        List<HealthCheck> checks = new ArrayList<>();
        Map<String, Object> facts = windowFacts(s.recent());
        facts.put("reconstructions", s.recent().stage(Stage.RECONSTRUCTION).count());
        Double quality = s.reconstructionQuality();
        if (quality != null) {
            double q = Math.max(0.0, Math.min(1.0, quality));
            checks.add(HealthCheck.lowerIsWorse("quality", q, policy.lowEfficiency(), policy.lowEfficiency() / 2));
            facts.put("quality_scope", "since reset");
            metrics.put("reconstruction.quality", q);
        }
        errorRate(checks, facts, a.errorsOf(RECONSTRUCTION.key()), a.reconstructions(), "reconstructions");
        latency(checks, facts, Stage.RECONSTRUCTION, s);
        return component(RECONSTRUCTION, checks, facts, "no reconstruction in the window");
    }

    private ComponentHealth hooks(ActivityWindow a, Map<String, Double> metrics) {
        List<HealthCheck> checks = new ArrayList<>();
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("window_seconds", a.windowMillis() / 1e3);
        long errors = a.errorsOf(HOOKS.key());
        facts.put("hook_errors", errors);
        facts.put("forward_passes", a.forwards());
        if (a.hookCalls() != null) {
            facts.put("hook_calls", a.hookCalls());
        }
        boolean perCall = a.hookCalls() != null && a.hookCalls() > 0;
        HealthCheck rate = errorRate(checks, facts, errors, perCall ? a.hookCalls() : a.forwards(),
                perCall ? "hook_calls" : "forward_passes");
        if (rate != null) {
            metrics.put("hooks.error_rate", rate.value());
        }
        if (a.hookOverheadNanos() != null && a.forwardNanos() > 0) {
            facts.put("hook_overhead_seconds", a.hookOverheadNanos() / 1e9);
            facts.put("forward_seconds", a.forwardNanos() / 1e9);
            checks.add(HealthCheck.higherIsWorse("overhead_share",
                    Math.min(1.0, (double) a.hookOverheadNanos() / a.forwardNanos()),
                    HealthPolicy.HOOK_OVERHEAD_YELLOW, HealthPolicy.HOOK_OVERHEAD_RED));
        }
        return component(HOOKS, checks, facts, "no forward pass, hook call or hook error in the window");
    }

    private ComponentHealth device(HealthSample s, ActivityWindow a) {
        List<HealthCheck> checks = new ArrayList<>();
        Map<String, Object> facts = windowFacts(s.recent());
        DeviceReading d = s.device();
        if (d != null && d.memoryUtilization() != null) {
            checks.add(HealthCheck.higherIsWorse("memory_utilization", d.memoryUtilization(),
                    HealthPolicy.MEMORY_YELLOW, HealthPolicy.MEMORY_RED));
        }
        if (d != null && d.throttled() != null) {
            checks.add(HealthCheck.higherIsWorse("throttled", d.throttled() ? 1.0 : 0.0, 0.5, null));
        }
        if (d != null && d.markLossRate() != null) {
            // A lost mark is a device layer time the monitor will never have: judged like an error rate.
            checks.add(HealthCheck.higherIsWorse("mark_loss_rate", d.markLossRate(), policy.highErrorRate(),
                    2 * policy.highErrorRate()));
        }
        long errors = a.errorsOf(DEVICE.key());
        if (errors > 0) {
            facts.put("errors", errors);
            checks.add(HealthCheck.higherIsWorse("error_rate", 1.0, policy.highErrorRate(),
                    2 * policy.highErrorRate()));
        }
        latency(checks, facts, Stage.DEVICE, s);
        return component(DEVICE, checks, facts, "no device reading and no device time recorded");
    }

    private ComponentHealth host(HealthSample s) {
        List<HealthCheck> checks = new ArrayList<>();
        Map<String, Object> facts = new LinkedHashMap<>();
        HostReading h = s.host();
        if (h != null && h.cpuUtilization() != null) {
            checks.add(HealthCheck.higherIsWorse("cpu_utilization", h.cpuUtilization(), HealthPolicy.HOST_CPU_YELLOW,
                    HealthPolicy.HOST_CPU_RED));
        }
        if (h != null && h.memoryUtilization() != null) {
            checks.add(HealthCheck.higherIsWorse("memory_utilization", h.memoryUtilization(),
                    HealthPolicy.MEMORY_YELLOW, HealthPolicy.MEMORY_RED));
        }
        return component(HOST, checks, facts, "no host resource reading");
    }

    // ---- shared checks ----

    /** Adds the stage's p99 check (when it recorded anything) and its degradation check (when judgeable). */
    private void latency(List<HealthCheck> checks, Map<String, Object> facts, Stage stage, HealthSample s) {
        StageInterval recent = s.recent().stage(stage);
        if (recent.count() > 0) {
            checks.add(HealthCheck.higherIsWorse(stage.key() + "_p99_seconds", recent.p99Nanos() / 1e9,
                    policy.highLatencySeconds(), 2 * policy.highLatencySeconds()));
            facts.put(stage.key() + "_count", recent.count());
        }
        HealthCheck degraded = degradation(stage, s, facts);
        if (degraded != null) {
            checks.add(degraded);
        }
    }

    /** Recent over baseline median interval p99 of the stage, or null when either window has too little data. */
    private HealthCheck degradation(Stage stage, HealthSample s, Map<String, Object> facts) {
        IntervalWindow recent = s.recent();
        IntervalWindow baseline = s.baseline();
        if (recent.stage(stage).count() < HealthPolicy.MIN_DEGRADATION_SAMPLES
                || baseline.stage(stage).count() < HealthPolicy.MIN_DEGRADATION_SAMPLES
                || recent.intervalsWith(stage) < HealthPolicy.MIN_DEGRADATION_INTERVALS
                || baseline.intervalsWith(stage) < HealthPolicy.MIN_DEGRADATION_INTERVALS) {
            return null;
        }
        long recentP99 = recent.medianP99Nanos(stage);
        long baselineP99 = baseline.medianP99Nanos(stage);
        if (baselineP99 <= 0) {
            return null;
        }
        facts.put(stage.key() + "_recent_median_p99_seconds", recentP99 / 1e9);
        facts.put(stage.key() + "_baseline_median_p99_seconds", baselineP99 / 1e9);
        facts.put(stage.key() + "_baseline_seconds", baseline.coveredMillis() / 1e3);
        return HealthCheck.higherIsWorse(stage.key() + "_p99_vs_baseline", (double) recentP99 / baselineP99,
                policy.degradationRatio(), 2 * policy.degradationRatio());
    }

    /** Errors per operation; 1.0 when there were errors but no operation; no check when neither happened. */
    private HealthCheck errorRate(List<HealthCheck> checks, Map<String, Object> facts, long errors, long operations,
                                  String per) {
        if (errors == 0 && operations == 0) {
            return null;
        }
        facts.put("errors", errors);
        facts.put("error_rate_per", per);
        double rate = operations == 0 ? 1.0 : Math.min(1.0, (double) errors / operations);
        HealthCheck check = HealthCheck.higherIsWorse("error_rate", rate, policy.highErrorRate(),
                2 * policy.highErrorRate());
        checks.add(check);
        return check;
    }

    private static Map<String, Object> windowFacts(IntervalWindow w) {
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("window_seconds", w.coveredMillis() / 1e3);
        facts.put("intervals", w.intervalCount());
        return facts;
    }

    private static ComponentHealth component(HealthComponent component, List<HealthCheck> checks,
                                             Map<String, Object> facts, String noDataReason) {
        if (checks.isEmpty()) {
            facts.put("reason", noDataReason);
        }
        return ComponentHealth.of(component.key(), checks, facts);
    }

    // ---- system ----

    private Map<String, Object> system(HealthSample s, Map<String, Double> metrics) {
        IntervalWindow w = s.recent();
        Map<String, Object> system = windowFacts(w);
        system.put("baseline_intervals", s.baseline().intervalCount());
        long operations = w.operations();
        system.put("operations", operations);
        system.put("errors", w.errors());
        if (operations > 0 || w.errors() > 0) {
            double rate = operations == 0 ? 1.0 : Math.min(1.0, (double) w.errors() / operations);
            system.put("error_rate", rate);
            metrics.put("system.error_rate", rate);
        }
        Stage worst = null;
        long worstP99 = -1;
        for (Stage stage : Stage.timedStages()) {
            StageInterval st = w.stage(stage);
            if (st.count() > 0 && st.p99Nanos() > worstP99) {
                worst = stage;
                worstP99 = st.p99Nanos();
            }
        }
        if (worst != null) {
            system.put("worst_p99_stage", worst.key());
            system.put("worst_p99_seconds", worstP99 / 1e9);
            metrics.put("system.p99_latency_seconds", worstP99 / 1e9);
        }
        Map<String, Object> forwardFacts = new LinkedHashMap<>();
        HealthCheck forward = degradation(Stage.FORWARD, s, forwardFacts);
        if (forward != null) {
            system.put("forward_p99_vs_baseline", forward.toMap());
            system.putAll(forwardFacts);
        }
        return system;
    }
}
