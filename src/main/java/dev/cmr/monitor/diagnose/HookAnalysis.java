package dev.cmr.monitor.diagnose;

import dev.cmr.monitor.spi.HookOrderProbe;
import dev.cmr.monitor.spi.HookReading;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The {@code hook_analysis} section: per hook its calls, mean and p99 overhead and errors, and the conflicts
 * between hooks.
 *
 * <p>Conflicts:
 * <ul>
 *   <li>{@code same_layer_writes}: two hooks (of any kinds) both wrote to the hidden states of the same layers;
 *       each sees, or overwrites, the other's change.</li>
 *   <li>{@code order_dependent}: the order probe ran two same-kind hooks in both orders and got different states:
 *       their relative priority decides the model's output.</li>
 *   <li>{@code order_probe_failed}: a hook threw on the probe's scratch states; the pair's order is unknown.</li>
 * </ul>
 * A pair the probe found commuting is still a {@code same_layer_writes} conflict (both write) but not an order one.
 *
 * @param available   false when there is no hook gauge
 * @param hooks       per hook, in running order
 * @param conflicts   see above
 * @param orderProbed whether the order probe ran
 * @param probes      the raw probe results (empty when it did not run)
 */
public record HookAnalysis(boolean available, List<HookDiagnosis> hooks, List<HookConflict> conflicts,
                           boolean orderProbed, List<HookOrderProbe> probes) {

    /**
     * One hook. Overheads are null before its first call.
     *
     * @param errorRate errors per call; null before the first call
     */
    public record HookDiagnosis(String name, String kind, int priority, long calls, Double meanOverheadNanos,
                                Long p99OverheadNanos, Long maxOverheadNanos, long errors, Double errorRate,
                                SortedSet<Integer> layersSeen, SortedSet<Integer> layersModified) {
        static HookDiagnosis of(HookReading r) {
            boolean called = r.calls() > 0;
            return new HookDiagnosis(r.name(), r.kind(), r.priority(), r.calls(), r.meanNanos(),
                    called ? r.p99Nanos() : null, called ? r.maxNanos() : null, r.errors(),
                    called ? (double) r.errors() / r.calls() : null, r.layersSeen(), r.layersModified());
        }

        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", name);
            m.put("kind", kind);
            m.put("priority", priority);
            m.put("calls", calls);
            m.put("mean_overhead_ns", meanOverheadNanos);
            m.put("p99_overhead_ns", p99OverheadNanos);
            m.put("max_overhead_ns", maxOverheadNanos);
            m.put("errors", errors);
            m.put("error_rate", errorRate);
            m.put("layers_seen", new ArrayList<>(layersSeen));
            m.put("layers_modified", new ArrayList<>(layersModified));
            return m;
        }
    }

    /** A conflict between two hooks at some layers; {@code detail} carries the numbers. */
    public record HookConflict(String type, String firstHook, String secondHook, SortedSet<Integer> layers,
                               String detail) {
        public static final String SAME_LAYER_WRITES = "same_layer_writes";
        public static final String ORDER_DEPENDENT = "order_dependent";
        public static final String ORDER_PROBE_FAILED = "order_probe_failed";

        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("type", type);
            m.put("hooks", List.of(firstHook, secondHook));
            m.put("layers", new ArrayList<>(layers));
            m.put("detail", detail);
            return m;
        }
    }

    public HookAnalysis {
        hooks = List.copyOf(hooks);
        conflicts = List.copyOf(conflicts);
        probes = List.copyOf(probes);
    }

    static HookAnalysis of(DiagnosticsInput input) {
        if (input.hooks() == null) {
            return new HookAnalysis(false, List.of(), List.of(), false, List.of());
        }
        List<HookDiagnosis> hooks = new ArrayList<>();
        for (HookReading r : input.hooks()) {
            hooks.add(HookDiagnosis.of(r));
        }
        List<HookConflict> conflicts = new ArrayList<>(sameLayerWrites(input.hooks()));
        List<HookOrderProbe> probes = input.orderProbes() == null ? List.of() : input.orderProbes();
        conflicts.addAll(orderConflicts(probes));
        return new HookAnalysis(true, hooks, conflicts, input.orderProbes() != null, probes);
    }

    private static List<HookConflict> sameLayerWrites(List<HookReading> readings) {
        List<HookConflict> out = new ArrayList<>();
        for (int i = 0; i < readings.size(); i++) {
            for (int j = i + 1; j < readings.size(); j++) {
                HookReading a = readings.get(i);
                HookReading b = readings.get(j);
                SortedSet<Integer> common = new TreeSet<>(a.layersModified());
                common.retainAll(b.layersModified());
                if (!common.isEmpty()) {
                    out.add(new HookConflict(HookConflict.SAME_LAYER_WRITES, a.name(), b.name(), common,
                            "hooks '" + a.name() + "' (" + a.kind() + ") and '" + b.name() + "' (" + b.kind()
                                    + ") both write the hidden states of layers " + common));
                }
            }
        }
        return out;
    }

    /** Order probes grouped per pair: one conflict per pair and outcome, listing the layers. */
    private static List<HookConflict> orderConflicts(List<HookOrderProbe> probes) {
        Map<List<String>, SortedSet<Integer>> dependent = new LinkedHashMap<>();
        Map<List<String>, Double> maxDiff = new LinkedHashMap<>();
        Map<List<String>, SortedSet<Integer>> failed = new LinkedHashMap<>();
        Map<List<String>, String> failure = new LinkedHashMap<>();
        for (HookOrderProbe p : probes) {
            List<String> pair = List.of(p.firstHook(), p.secondHook(), p.kind());
            switch (p.outcome()) {
                case ORDER_DEPENDENT -> {
                    dependent.computeIfAbsent(pair, k -> new TreeSet<>()).add(p.layer());
                    maxDiff.merge(pair, p.maxAbsDifference(), Math::max);
                }
                case PROBE_FAILED -> {
                    failed.computeIfAbsent(pair, k -> new TreeSet<>()).add(p.layer());
                    failure.putIfAbsent(pair, p.detail());
                }
                case COMMUTES -> { }
                default -> throw new IllegalStateException("unknown outcome " + p.outcome());
            }
        }
        List<HookConflict> out = new ArrayList<>();
        dependent.forEach((pair, layers) -> out.add(new HookConflict(HookConflict.ORDER_DEPENDENT, pair.get(0),
                pair.get(1), layers, String.format(java.util.Locale.ROOT, "%s hooks '%s' and '%s' give different "
                        + "states at layers %s depending on their order (largest difference %.4g)", pair.get(2),
                pair.get(0), pair.get(1), layers, maxDiff.get(pair)))));
        failed.forEach((pair, layers) -> out.add(new HookConflict(HookConflict.ORDER_PROBE_FAILED, pair.get(0),
                pair.get(1), layers, failure.get(pair))));
        return out;
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        if (!available) {
            m.put("status", "no_data");
            m.put("reason", "no hook gauge attached (attach a model to the monitor)");
            return m;
        }
        m.put("status", hooks.isEmpty() ? "no_data" : "ok");
        if (hooks.isEmpty()) {
            m.put("reason", "no hooks registered");
        }
        List<Object> h = new ArrayList<>();
        hooks.forEach(d -> h.add(d.toMap()));
        m.put("hooks", h);
        List<Object> c = new ArrayList<>();
        conflicts.forEach(d -> c.add(d.toMap()));
        m.put("conflicts", c);
        m.put("order_probe", orderProbed ? "run" : "not_run");
        return m;
    }
}
