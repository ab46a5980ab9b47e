package dev.cmr.monitor.profile;

import static dev.cmr.monitor.profile.Formats.duration;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The bottlenecks.md report of a profile: per execution (block name), in the order of {@link ProfileResults}:
 * <ol>
 *   <li>a heading with the block name, then passes, backend, mean wall time per pass and the pass verdict with its
 *       reason; when no layer carries device time, a sentence saying that all times are host times and why;</li>
 *   <li>"Bottlenecks": every layer, ranked by the time its verdict's cause costs per pass
 *       ({@link BottleneckAdvice#costNanos}: sync wait, device, launch, or host time when throttled; ties by layer),
 *       each with its verdict, that cost, the largest stage self time where stages were recorded, the
 *       recommendation of {@link BottleneckAdvice} and the verdict's reason;</li>
 *   <li>a key_averages-style table per layer (— where a number is null), then per kernel and per stage where the
 *       execution has any;</li>
 *   <li>the mean partition of a pass with the device busy ratio, the idle gaps by kind with their threshold, and a
 *       warning when spans were dropped, each where the profile has it.</li>
 * </ol>
 * All times are means per pass in the units of {@link Formats#duration}. A pure function of the results: writes no
 * file. Lines end with {@code \n}.
 */
public final class BottleneckReport {
    /** The cell of a number that was not measured (no device, no enqueue timestamps). */
    static final String NONE = "—";

    private BottleneckReport() {
    }

    /** The report as Markdown. */
    public static String markdown(ProfileResults results) {
        StringBuilder out = new StringBuilder("# Bottlenecks\n\nTimes are means per pass.\n");
        if (results.executions().isEmpty()) {
            out.append("\nNo blocks were profiled.\n");
        }
        results.executions().forEach(execution -> execution(out, execution));
        return out.toString();
    }

    private static void execution(StringBuilder out, ExecutionProfile e) {
        out.append("\n## ").append(e.name()).append("\n\n")
                .append(e.passes()).append(e.passes() == 1 ? " pass" : " passes")
                .append(", backend ").append(e.backend().key())
                .append(", mean wall time ").append(duration(e.wallNanos())).append(" per pass.\n")
                .append("Verdict: ").append(e.verdict()).append(": ").append(e.reason()).append(".\n");
        if (e.layers().stream().allMatch(l -> l.deviceNanos() == null)) {
            out.append("\nAll times are host times: no device time was recorded for this block (backend ")
                    .append(e.backend().key()).append(").\n");
        }
        bottlenecks(out, e);
        tables(out, e);
        timeline(out, e);
    }

    private static void bottlenecks(StringBuilder out, ExecutionProfile e) {
        out.append("\n### Bottlenecks\n\n");
        if (e.layers().isEmpty()) {
            out.append("No layers were recorded.\n");
            return;
        }
        List<LayerProfile> ranked = ranked(e);
        for (int i = 0; i < ranked.size(); i++) {
            LayerProfile l = ranked.get(i);
            out.append(i + 1).append(". **").append(l.verdict()).append("**: ").append(line(e, l))
                    .append(". Why: ").append(l.reason()).append(".\n");
        }
    }

    /**
     * The {@code limit} costliest bottlenecks of {@code e}, one line each as the report ranks them: the verdict, the
     * time its cause costs per pass, the largest stage and the recommendation.
     */
    public static List<String> top(ExecutionProfile e, int limit) {
        return ranked(e).stream().limit(limit).map(l -> l.verdict() + ": " + line(e, l)).toList();
    }

    private static List<LayerProfile> ranked(ExecutionProfile e) {
        return e.layers().stream()
                .sorted(Comparator.comparingDouble((LayerProfile l) -> -BottleneckAdvice.of(l.verdict()).costNanos(l))
                        .thenComparingInt(LayerProfile::layer))
                .toList();
    }

    private static String line(ExecutionProfile e, LayerProfile l) {
        BottleneckAdvice advice = BottleneckAdvice.of(l.verdict());
        return advice.cause(l) + largestStage(e, l.layer()) + ": " + advice.recommendation();
    }

    /** {@code ; largest stage: capture, 1.900 ms} for the layer's stage with the largest self time, if it is > 0. */
    private static String largestStage(ExecutionProfile e, int layer) {
        return e.stages().stream()
                .filter(s -> s.layer() == layer && s.selfNanos() > 0)
                .max(Comparator.comparingDouble(StageProfile::selfNanos))
                .map(s -> "; largest stage: " + s.stage().key() + ", " + duration(s.selfNanos()))
                .orElse("");
    }

    private static void tables(StringBuilder out, ExecutionProfile e) {
        if (!e.layers().isEmpty()) {
            MarkdownTable layers = new MarkdownTable("layer", "host", "self host", "launch", "sync wait", "device",
                    "launch delay", "verdict");
            e.layers().forEach(l -> layers.row(Integer.toString(l.layer()), duration(l.hostNanos()),
                    duration(l.selfHostNanos()), duration(l.launchNanos()), duration(l.syncWaitNanos()),
                    orNone(l.deviceNanos()), orNone(l.launchDelayNanos()), l.verdict().name()));
            out.append("\n### Layers\n\n").append(layers.render());
        }
        if (!e.kernels().isEmpty()) {
            MarkdownTable kernels = new MarkdownTable("layer", "kernel", "count per pass", "device");
            e.kernels().forEach(k -> kernels.row(Integer.toString(k.layer()), k.kernel(),
                    perPass(k.count(), e.passes()), duration(k.deviceNanos())));
            out.append("\n### Kernels\n\n").append(kernels.render());
        }
        if (!e.stages().isEmpty()) {
            MarkdownTable stages = new MarkdownTable("layer", "stage", "self time");
            e.stages().forEach(s -> stages.row(Integer.toString(s.layer()), s.stage().key(),
                    duration(s.selfNanos())));
            out.append("\n### Stages\n\n").append(stages.render());
        }
    }

    private static void timeline(StringBuilder out, ExecutionProfile e) {
        MeanPartition p = e.partition();
        IdleGaps g = e.gaps();
        if (p == null && g == null && e.droppedSpans() == 0) {
            return;
        }
        out.append("\n### Timeline\n\n");
        if (p != null) {
            out.append("Wall time ").append(duration(p.wallNanos())).append(" per pass: host-only ")
                    .append(share(p.hostOnlyNanos(), p.wallNanos())).append(", device-only ")
                    .append(share(p.deviceOnlyNanos(), p.wallNanos())).append(", overlap ")
                    .append(share(p.overlapNanos(), p.wallNanos())).append(", idle ")
                    .append(share(p.idleNanos(), p.wallNanos())).append("; device busy ratio ")
                    .append(e.deviceBusyRatio() == null ? NONE : percent(e.deviceBusyRatio()))
                    .append(" (union of device spans over wall time); NVML utilization over the same window ")
                    .append(e.nvmlUtilization() == null ? NONE + " (no NVML sampler)" : percent(e.nvmlUtilization()))
                    .append(".\n");
        }
        if (g != null) {
            out.append(p == null ? "" : "\n").append("Idle gaps on the device queues over all passes (threshold ")
                    .append(g.thresholdNanos()).append(" ns): host_wait ").append(gaps(g.hostWait()))
                    .append(", kernel_wait ").append(gaps(g.kernelWait())).append(", other ")
                    .append(gaps(g.other())).append(".\n");
        }
        if (e.droppedSpans() > 0) {
            out.append(p == null && g == null ? "" : "\n").append("**Warning:** ").append(e.droppedSpans())
                    .append(" spans were dropped because the profiling buffers were full (max_profile_spans); "
                            + "the numbers above miss them.\n");
        }
    }

    private static String orNone(Double nanos) {
        return nanos == null ? NONE : duration(nanos);
    }

    /** Launches per pass: a whole number when it is one, else two decimals. */
    private static String perPass(long count, int passes) {
        if (passes == 0 || count % passes == 0) {
            return Long.toString(passes == 0 ? count : count / passes);
        }
        return String.format(Locale.ROOT, "%.2f", (double) count / passes);
    }

    private static String share(double part, double whole) {
        return whole > 0 ? percent(part / whole) : NONE;
    }

    private static String percent(double ratio) {
        return String.format(Locale.ROOT, "%.1f%%", 100 * ratio);
    }

    private static String gaps(IdleGaps.Total total) {
        return total.count() + " (" + duration((double) total.totalNanos()) + ")";
    }
}
