package dev.cmr.monitor.profile;

import dev.cmr.monitor.profile.PassAttribution.Kernel;
import dev.cmr.monitor.profile.PassAttribution.KernelKey;
import dev.cmr.monitor.profile.PassAttribution.Layer;
import dev.cmr.monitor.profile.PassAttribution.StageKey;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * Turns what a profiled block captured ({@link ExecutionTrace}) into its {@link ExecutionProfile}: each pass is
 * attributed by {@link PassAttributor}, then every number becomes a mean per pass with its per-pass samples, and
 * {@link VerdictRule} decides each layer's verdict on the layer's means and the execution's on the mean pass totals.
 * Which passes a mean runs over:
 * <ul>
 *   <li>host, self host, launch, sync wait, stage self times and wall time: every pass (0 where a layer or stage did
 *       not run);</li>
 *   <li>device time: the passes that carried device numbers; launch delay: the passes where it was known; kernels:
 *       the passes with device spans; the partition: the passes with a device timeline or none at all (not those
 *       with device durations only); allocated bytes: the passes whose spans carried allocation numbers
 *       ({@code profile_memory}), 0 where a layer or stage did not run.</li>
 * </ul>
 * The representative pass is {@link #representative}. Resource samples pass through, less any non-finite time or
 * value (a gauge that could not be read). Pure: no clock, no I/O; immutable and thread-safe.
 */
public final class ProfileAnalyzer {
    /** The default gap threshold of {@link GapClassifier}, in nanoseconds. */
    public static final long DEFAULT_GAP_THRESHOLD_NANOS = GapClassifier.DEFAULT_THRESHOLD_NANOS;

    private final GapClassifier gapClassifier;
    private final PassAttributor attributor;

    public ProfileAnalyzer() {
        this(DEFAULT_GAP_THRESHOLD_NANOS);
    }

    /**
     * @param gapThresholdNanos idle gaps on a queue shorter than this, with the next work already enqueued, are
     *                          kernel_wait; longer ones are other
     * @throws IllegalArgumentException if the threshold is negative
     */
    public ProfileAnalyzer(long gapThresholdNanos) {
        this.gapClassifier = new GapClassifier(gapThresholdNanos);
        this.attributor = new PassAttributor(gapClassifier);
    }

    public ExecutionProfile analyze(ExecutionTrace trace) {
        List<PassAttribution> passes = trace.passes().stream().map(attributor::attribute).toList();
        List<PassAttribution> withDevice = passes.stream().filter(p -> p.totals().deviceNanos() != null).toList();
        List<PassAttribution> withSpans = passes.stream().filter(p -> p.deviceBusyNanos() != null).toList();

        Samples wall = samples(passes, PassAttribution::wallNanos);
        VerdictRule.Decision decision = passes.isEmpty()
                ? new VerdictRule.Decision(Verdict.HOST_BOUND, "no passes were profiled")
                : decide(passes, withDevice, p -> p.totals(), trace);
        return new ExecutionProfile(trace.name(), passes.size(), trace.backend(), meanOrZero(wall), wall,
                decision.verdict(), decision.reason(), busyRatio(withSpans),
                withSpans.stream().map(PassAttribution::clockErrorBoundNanos).max(Long::compare).orElse(null),
                partition(passes), gaps(withSpans), layers(passes, trace), stages(passes), kernels(withSpans),
                resources(trace), trace.droppedSpans(), representative(trace.passes()));
    }

    /**
     * The pass with timestamps of median wall time: the lower median of an even number; passes of equal wall time
     * keep their pass order (a stable sort); null when no pass has timestamps.
     */
    static PassTrace representative(List<ProfiledPass> passes) {
        List<PassTrace> traces = passes.stream().filter(PassTrace.class::isInstance).map(PassTrace.class::cast)
                .sorted(Comparator.comparingLong(PassTrace::wallNanos)).toList();
        return traces.isEmpty() ? null : traces.get((traces.size() - 1) / 2);
    }

    /** The passes whose spans carried allocation numbers. */
    private static List<PassAttribution> withMemory(List<PassAttribution> passes) {
        return passes.stream().filter(p -> p.totals().allocatedBytes() != null).toList();
    }

    private List<LayerProfile> layers(List<PassAttribution> passes, ExecutionTrace trace) {
        TreeSet<Integer> ids = new TreeSet<>();
        passes.forEach(p -> ids.addAll(p.layers().keySet()));
        List<LayerProfile> out = new ArrayList<>();
        for (int id : ids) {
            Function<PassAttribution, Layer> layerOf = p -> p.layers().getOrDefault(id, absent(p));
            List<Layer> all = passes.stream().map(layerOf).toList();
            LayerSamples s = new LayerSamples(
                    samples(all, Layer::hostNanos), samples(all, Layer::selfHostNanos),
                    samples(all, Layer::launchNanos), samples(all, Layer::syncWaitNanos),
                    samples(all.stream().filter(l -> l.deviceNanos() != null).toList(), Layer::deviceNanos),
                    samples(all.stream().filter(l -> l.launchDelayNanos() != null).toList(), Layer::launchDelayNanos));
            VerdictRule.Decision d = decide(passes,
                    passes.stream().filter(p -> layerOf.apply(p).deviceNanos() != null).toList(), layerOf, trace);
            Double bytes = samples(withMemory(passes).stream().map(layerOf).toList(),
                    l -> l.allocatedBytes() == null ? 0 : l.allocatedBytes()).mean();
            out.add(new LayerProfile(id, meanOrZero(s.hostNanos()), meanOrZero(s.selfHostNanos()),
                    meanOrZero(s.launchNanos()), meanOrZero(s.syncWaitNanos()), s.deviceNanos().mean(),
                    s.launchDelayNanos().mean(), (int) all.stream().filter(Layer::launchClamped).count(),
                    d.verdict(), d.reason(), s, bytes));
        }
        return out;
    }

    /** A layer that did not run in a pass: zero time, and zero device time if the pass carried device numbers. */
    private static Layer absent(PassAttribution pass) {
        return new Layer(0, 0, 0, 0, false, pass.totals().deviceNanos() == null ? null : 0L, null,
                pass.totals().allocatedBytes() == null ? null : 0L);
    }

    private static VerdictRule.Decision decide(List<PassAttribution> passes, List<PassAttribution> withDevice,
                                               Function<PassAttribution, Layer> numbers, ExecutionTrace trace) {
        List<Layer> all = passes.stream().map(numbers).toList();
        Double device = samples(withDevice.stream().map(numbers).toList(), Layer::deviceNanos).mean();
        return VerdictRule.decide(meanOrZero(samples(all, Layer::selfHostNanos)),
                meanOrZero(samples(all, Layer::syncWaitNanos)), meanOrZero(samples(all, Layer::launchNanos)), device,
                trace.throttled(), trace.backend());
    }

    private static List<StageProfile> stages(List<PassAttribution> passes) {
        TreeSet<StageKey> keys = new TreeSet<>();
        passes.forEach(p -> keys.addAll(p.stageSelfNanos().keySet()));
        List<StageProfile> out = new ArrayList<>();
        for (StageKey key : keys) {
            Samples s = samples(passes, p -> p.stageSelfNanos().getOrDefault(key, 0L));
            Double bytes = samples(withMemory(passes), p -> p.stageAllocatedBytes().getOrDefault(key, 0L)).mean();
            out.add(new StageProfile(key.layer(), key.stage(), meanOrZero(s), s, bytes));
        }
        return out;
    }

    private static List<KernelProfile> kernels(List<PassAttribution> withSpans) {
        TreeSet<KernelKey> keys = new TreeSet<>();
        withSpans.forEach(p -> keys.addAll(p.kernels().keySet()));
        List<KernelProfile> out = new ArrayList<>();
        Kernel none = new Kernel(0, 0);
        for (KernelKey key : keys) {
            List<Kernel> perPass = withSpans.stream().map(p -> p.kernels().getOrDefault(key, none)).toList();
            Samples s = samples(perPass, Kernel::deviceNanos);
            out.add(new KernelProfile(key.layer(), key.kernel(), perPass.stream().mapToLong(Kernel::count).sum(),
                    meanOrZero(s), s));
        }
        return out;
    }

    private static Double busyRatio(List<PassAttribution> withSpans) {
        long busy = withSpans.stream().mapToLong(PassAttribution::deviceBusyNanos).sum();
        long wall = withSpans.stream().mapToLong(PassAttribution::wallNanos).sum();
        return wall == 0 ? null : (double) busy / wall;
    }

    private static MeanPartition partition(List<PassAttribution> passes) {
        List<PassPartition> parts = passes.stream().map(PassAttribution::partition)
                .filter(java.util.Objects::nonNull).toList();
        if (parts.isEmpty()) {
            return null;
        }
        return new MeanPartition(meanOrZero(samples(parts, PassPartition::wallNanos)),
                meanOrZero(samples(parts, PassPartition::hostOnlyNanos)),
                meanOrZero(samples(parts, PassPartition::deviceOnlyNanos)),
                meanOrZero(samples(parts, PassPartition::overlapNanos)),
                meanOrZero(samples(parts, PassPartition::idleNanos)));
    }

    private IdleGaps gaps(List<PassAttribution> withSpans) {
        if (withSpans.isEmpty()) {
            return null;
        }
        Map<GapKind, IdleGaps.Total> totals = new TreeMap<>();
        for (PassAttribution p : withSpans) {
            for (IdleGap gap : p.gaps()) {
                totals.merge(gap.kind(), IdleGaps.Total.NONE.plus(gap),
                        (a, b) -> new IdleGaps.Total(a.count() + b.count(), a.totalNanos() + b.totalNanos()));
            }
        }
        return new IdleGaps(gapClassifier.thresholdNanos(),
                totals.getOrDefault(GapKind.HOST_WAIT, IdleGaps.Total.NONE),
                totals.getOrDefault(GapKind.KERNEL_WAIT, IdleGaps.Total.NONE),
                totals.getOrDefault(GapKind.OTHER, IdleGaps.Total.NONE));
    }

    private static Map<String, List<ResourcePoint>> resources(ExecutionTrace trace) {
        Map<String, List<ResourcePoint>> out = new TreeMap<>();
        trace.resourceSamples().forEach((gauge, pairs) -> out.put(gauge, pairs.stream()
                .filter(p -> Double.isFinite(p[0]) && Double.isFinite(p[1]))
                .map(p -> new ResourcePoint(p[0], p[1])).toList()));
        return out;
    }

    private static <T> Samples samples(List<T> items, ToLongFunction<T> value) {
        return Samples.of(items.stream().mapToLong(value).toArray());
    }

    private static double meanOrZero(Samples samples) {
        Double mean = samples.mean();
        return mean == null ? 0 : mean;
    }
}
