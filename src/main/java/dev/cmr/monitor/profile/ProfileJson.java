package dev.cmr.monitor.profile;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import dev.cmr.io.ConfigObject;
import dev.cmr.io.ConfigValues;
import dev.cmr.monitor.record.Stage;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The profile.json form of {@link ProfileResults}: {@code schema_version}, then {@code executions}, one object per
 * block name with snake_case keys (see {@link #execution}). Means are written as plain decimals (no exponent), which
 * read back to the same double. Reading fails with an {@link IllegalArgumentException} whose message starts with the
 * full path of the offending field, e.g. {@code executions[0].layers[2].host_ns is required}; keys it does not know
 * are ignored, so that a reader of version 1 reads additions that do not change the meaning of what it knows.
 *
 * <p>Two additions are optional, and read as null when absent, so that a reader of version 1 without them and files
 * without them still read:
 * <ul>
 *   <li>{@code representative_pass}, the spans of {@link ExecutionProfile#representativePass}: {@code start_ns},
 *       {@code end_ns}, {@code clock_error_bound_ns}, {@code host_spans} with {@code thread_id}, {@code sync_waits},
 *       {@code device_spans} with {@code kernel} and {@code enqueue_end_ns}, null where unknown, and the optional
 *       {@code allocated_bytes} of host spans and {@code device_durations} (layer, {@code device_ns}: device time
 *       recorded as durations); null means no pass had timestamps;</li>
 *   <li>{@code allocated_bytes} of layers and stages; null means memory was not tracked.</li>
 * </ul>
 *
 * <p>Stateless and thread-safe.
 */
final class ProfileJson {
    static final int SCHEMA_VERSION = 1;

    private static final ObjectMapper WRITER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .registerModule(new SimpleModule().addSerializer(Double.class, new PlainDoubleSerializer()));
    // Trailing content and repeated keys are errors: a half-written file must not read as something else.
    private static final ObjectMapper READER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private ProfileJson() {
    }

    static Map<String, Object> toMap(ProfileResults results) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("schema_version", SCHEMA_VERSION);
        map.put("executions", results.executions().stream().map(ProfileJson::execution).toList());
        return map;
    }

    static String toJson(ProfileResults results) {
        try {
            return WRITER.writeValueAsString(toMap(results));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("profile results are not serializable: " + e.getMessage(), e);
        }
    }

    private static Map<String, Object> execution(ExecutionProfile e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", e.name());
        m.put("passes", e.passes());
        m.put("backend", e.backend().key());
        m.put("wall_ns", e.wallNanos());
        m.put("verdict", e.verdict().name());
        m.put("reason", e.reason());
        m.put("device_busy_ratio", e.deviceBusyRatio());
        m.put("nvml_utilization", e.nvmlUtilization()); // derived from resources: not read back
        m.put("clock_error_bound_ns", e.clockErrorBoundNanos());
        m.put("wall_samples", e.wallSamples().toArray());
        m.put("partition", e.partition() == null ? null : partition(e.partition()));
        m.put("gaps", e.gaps() == null ? null : gaps(e.gaps()));
        m.put("layers", e.layers().stream().map(ProfileJson::layer).toList());
        m.put("stages", e.stages().stream().map(ProfileJson::stage).toList());
        m.put("kernels", e.kernels().stream().map(ProfileJson::kernel).toList());
        Map<String, Object> resources = new LinkedHashMap<>();
        e.resources().forEach((gauge, points) -> resources.put(gauge,
                points.stream().map(p -> new double[] {p.time(), p.value()}).toList()));
        m.put("resources", resources);
        m.put("dropped_spans", e.droppedSpans());
        m.put("representative_pass", e.representativePass() == null ? null : pass(e.representativePass()));
        return m;
    }

    private static Map<String, Object> pass(PassTrace p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("start_ns", p.startNanos());
        m.put("end_ns", p.endNanos());
        m.put("clock_error_bound_ns", p.clockErrorBoundNanos());
        m.put("host_spans", p.hostSpans().stream().map(h -> {
            Map<String, Object> span = new LinkedHashMap<>();
            span.put("layer", h.layer());
            span.put("stage", h.stage().key());
            span.put("thread_id", h.threadId());
            span.put("allocated_bytes", h.allocatedBytes());
            span.put("start_ns", h.startNanos());
            span.put("end_ns", h.endNanos());
            return span;
        }).toList());
        m.put("sync_waits", p.syncWaits().stream().map(w -> {
            Map<String, Object> span = new LinkedHashMap<>();
            span.put("layer", w.layer());
            span.put("start_ns", w.startNanos());
            span.put("end_ns", w.endNanos());
            return span;
        }).toList());
        m.put("device_spans", p.deviceSpans().stream().map(d -> {
            Map<String, Object> span = new LinkedHashMap<>();
            span.put("queue", d.queue());
            span.put("layer", d.layer());
            span.put("kernel", d.kernel());
            span.put("enqueue_end_ns", d.enqueueKnown() ? d.enqueueEndNanos() : null);
            span.put("start_ns", d.startNanos());
            span.put("end_ns", d.endNanos());
            return span;
        }).toList());
        m.put("device_durations", p.deviceDurations().entrySet().stream().map(e -> {
            Map<String, Object> layer = new LinkedHashMap<>();
            layer.put("layer", e.getKey());
            layer.put("device_ns", e.getValue());
            return layer;
        }).toList());
        return m;
    }

    private static Map<String, Object> partition(MeanPartition p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("wall_ns", p.wallNanos());
        m.put("host_only_ns", p.hostOnlyNanos());
        m.put("device_only_ns", p.deviceOnlyNanos());
        m.put("overlap_ns", p.overlapNanos());
        m.put("idle_ns", p.idleNanos());
        return m;
    }

    private static Map<String, Object> gaps(IdleGaps g) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("threshold_ns", g.thresholdNanos());
        m.put(GapKind.HOST_WAIT.key(), gapTotal(g.hostWait()));
        m.put(GapKind.KERNEL_WAIT.key(), gapTotal(g.kernelWait()));
        m.put(GapKind.OTHER.key(), gapTotal(g.other()));
        return m;
    }

    private static Map<String, Object> gapTotal(IdleGaps.Total t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("count", t.count());
        m.put("total_ns", t.totalNanos());
        return m;
    }

    private static Map<String, Object> layer(LayerProfile l) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("layer", l.layer());
        m.put("host_ns", l.hostNanos());
        m.put("self_host_ns", l.selfHostNanos());
        m.put("launch_ns", l.launchNanos());
        m.put("sync_wait_ns", l.syncWaitNanos());
        m.put("device_ns", l.deviceNanos());
        m.put("launch_delay_ns", l.launchDelayNanos());
        m.put("launch_clamps", l.launchClamps());
        m.put("allocated_bytes", l.allocatedBytes());
        m.put("verdict", l.verdict().name());
        m.put("reason", l.reason());
        LayerSamples s = l.samples();
        Map<String, Object> samples = new LinkedHashMap<>();
        samples.put("host_ns", s.hostNanos().toArray());
        samples.put("self_host_ns", s.selfHostNanos().toArray());
        samples.put("launch_ns", s.launchNanos().toArray());
        samples.put("sync_wait_ns", s.syncWaitNanos().toArray());
        samples.put("device_ns", s.deviceNanos().toArray());
        samples.put("launch_delay_ns", s.launchDelayNanos().toArray());
        m.put("samples", samples);
        return m;
    }

    private static Map<String, Object> stage(StageProfile s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("layer", s.layer());
        m.put("stage", s.stage().key());
        m.put("self_ns", s.selfNanos());
        m.put("allocated_bytes", s.allocatedBytes());
        m.put("samples", s.samples().toArray());
        return m;
    }

    private static Map<String, Object> kernel(KernelProfile k) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("layer", k.layer());
        m.put("kernel", k.kernel());
        m.put("count", k.count());
        m.put("device_ns", k.deviceNanos());
        m.put("samples", k.samples().toArray());
        return m;
    }

    static ProfileResults fromJson(String json) {
        JsonNode root;
        try {
            root = READER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("profile is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("profile must be a JSON object");
        }
        ConfigObject top = ConfigObject.at("", root);
        long version = top.wholeNumber("schema_version");
        if (version != SCHEMA_VERSION) {
            throw top.invalid("schema_version", "must be " + SCHEMA_VERSION + ", was " + version);
        }
        return new ProfileResults(objects(top, "executions", ProfileJson::readExecution));
    }

    private static ExecutionProfile readExecution(ConfigObject e) {
        Backend backend = ConfigValues.byKey(e.path("backend"), Backend.values(), Backend::key, e.text("backend"));
        Map<String, List<ResourcePoint>> resources = new TreeMap<>();
        ConfigObject gauges = e.object("resources");
        for (String gauge : gauges.keys()) {
            resources.put(gauge, readPoints(gauges, gauge));
        }
        return new ExecutionProfile(e.text("name"), e.wholeInt("passes"), backend, duration(e, "wall_ns"),
                samples(e, "wall_samples"), verdict(e), e.text("reason"), nullableNumber(e, "device_busy_ratio"),
                nullableWhole(e, "clock_error_bound_ns"),
                nullableObject(e, "partition", ProfileJson::readPartition),
                nullableObject(e, "gaps", ProfileJson::readGaps),
                objects(e, "layers", ProfileJson::readLayer), objects(e, "stages", ProfileJson::readStage),
                objects(e, "kernels", ProfileJson::readKernel), resources, e.wholeNumber("dropped_spans"),
                e.isSet("representative_pass") ? readPass(e.object("representative_pass")) : null);
    }

    private static PassTrace readPass(ConfigObject p) {
        Stage[] spanStages = Arrays.stream(Stage.values()).filter(s -> s == Stage.LAYER || HostSpan.isCmrStage(s))
                .toArray(Stage[]::new);
        List<HostSpan> host = objects(p, "host_spans", h -> checked(h, () -> new HostSpan(h.wholeInt("layer"),
                ConfigValues.byKey(h.path("stage"), spanStages, Stage::key, h.text("stage")),
                h.wholeNumber("start_ns"), h.wholeNumber("end_ns"), h.wholeNumber("thread_id"),
                h.isSet("allocated_bytes") ? h.wholeNumber("allocated_bytes") : null)));
        List<SyncWaitSpan> waits = objects(p, "sync_waits", w -> checked(w, () -> new SyncWaitSpan(
                w.wholeInt("layer"), w.wholeNumber("start_ns"), w.wholeNumber("end_ns"))));
        List<DeviceSpan> device = objects(p, "device_spans", d -> {
            String kernel = present(d, "kernel") ? d.text("kernel") : null;
            long enqueue = present(d, "enqueue_end_ns") ? d.wholeNumber("enqueue_end_ns") : DeviceSpan.UNKNOWN;
            if (enqueue < 0 && enqueue != DeviceSpan.UNKNOWN) {
                throw d.invalid("enqueue_end_ns", "must be >= 0 or null, was " + enqueue);
            }
            return checked(d, () -> new DeviceSpan(d.wholeInt("queue"), d.wholeInt("layer"), kernel, enqueue,
                    d.wholeNumber("start_ns"), d.wholeNumber("end_ns")));
        });
        Map<Integer, Long> deviceDurations = new TreeMap<>();
        if (p.isSet("device_durations")) {
            objects(p, "device_durations", d -> deviceDurations.put(d.wholeInt("layer"), d.wholeNumber("device_ns")));
        }
        return checked(p, () -> new PassTrace(p.wholeNumber("start_ns"), p.wholeNumber("end_ns"), host, waits,
                device, p.wholeNumber("clock_error_bound_ns"), deviceDurations));
    }

    /** Builds a span, turning the record's own check into an error that names the object's path. */
    private static <T> T checked(ConfigObject o, Supplier<T> build) {
        try {
            return build.get();
        } catch (IllegalArgumentException e) {
            if (e.getMessage() != null && e.getMessage().startsWith(o.path())) {
                throw e;
            }
            throw new IllegalArgumentException(o.path() + ": " + e.getMessage(), e);
        }
    }

    private static MeanPartition readPartition(ConfigObject p) {
        return new MeanPartition(duration(p, "wall_ns"), duration(p, "host_only_ns"), duration(p, "device_only_ns"),
                duration(p, "overlap_ns"), duration(p, "idle_ns"));
    }

    private static IdleGaps readGaps(ConfigObject g) {
        BiFunction<ConfigObject, GapKind, IdleGaps.Total> total = (o, kind) -> {
            ConfigObject t = o.object(kind.key());
            return new IdleGaps.Total(t.wholeNumber("count"), t.wholeNumber("total_ns"));
        };
        return new IdleGaps(g.wholeNumber("threshold_ns"), total.apply(g, GapKind.HOST_WAIT),
                total.apply(g, GapKind.KERNEL_WAIT), total.apply(g, GapKind.OTHER));
    }

    private static LayerProfile readLayer(ConfigObject l) {
        ConfigObject s = l.object("samples");
        LayerSamples samples = new LayerSamples(samples(s, "host_ns"), samples(s, "self_host_ns"),
                samples(s, "launch_ns"), samples(s, "sync_wait_ns"), samples(s, "device_ns"),
                samples(s, "launch_delay_ns"));
        Double device = present(l, "device_ns") ? duration(l, "device_ns") : null;
        return new LayerProfile(l.wholeInt("layer"), duration(l, "host_ns"), finite(l, "self_host_ns"),
                duration(l, "launch_ns"), duration(l, "sync_wait_ns"), device,
                nullableNumber(l, "launch_delay_ns"), l.wholeInt("launch_clamps"), verdict(l), l.text("reason"),
                samples, optionalNumber(l, "allocated_bytes"));
    }

    private static StageProfile readStage(ConfigObject s) {
        Stage[] cmrStages = Arrays.stream(Stage.values()).filter(HostSpan::isCmrStage).toArray(Stage[]::new);
        Stage stage = ConfigValues.byKey(s.path("stage"), cmrStages, Stage::key, s.text("stage"));
        return new StageProfile(s.wholeInt("layer"), stage, finite(s, "self_ns"), samples(s, "samples"),
                optionalNumber(s, "allocated_bytes"));
    }

    private static KernelProfile readKernel(ConfigObject k) {
        return new KernelProfile(k.wholeInt("layer"), k.text("kernel"), k.wholeNumber("count"),
                duration(k, "device_ns"), samples(k, "samples"));
    }

    private static Verdict verdict(ConfigObject o) {
        return ConfigValues.byKey(o.path("verdict"), Verdict.values(), Verdict::name, o.text("verdict"));
    }

    private static List<ResourcePoint> readPoints(ConfigObject gauges, String gauge) {
        List<ResourcePoint> points = new ArrayList<>();
        for (JsonNode pair : array(gauges, gauge)) {
            if (!pair.isArray() || pair.size() != 2 || !pair.get(0).isNumber() || !pair.get(1).isNumber()
                    || !Double.isFinite(pair.get(0).doubleValue()) || !Double.isFinite(pair.get(1).doubleValue())) {
                throw gauges.invalid(gauge, "must be a list of [time, value] finite number pairs, has "
                        + ConfigObject.shown(pair));
            }
            points.add(new ResourcePoint(pair.get(0).doubleValue(), pair.get(1).doubleValue()));
        }
        return points;
    }

    private static Samples samples(ConfigObject o, String key) {
        JsonNode values = array(o, key);
        long[] out = new long[values.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode v = values.get(i);
            if (!v.isIntegralNumber() || !v.canConvertToLong()) {
                throw o.invalid(key, "must be a list of whole numbers, has " + ConfigObject.shown(v));
            }
            out[i] = v.longValue();
        }
        return Samples.of(out);
    }

    private static <T> List<T> objects(ConfigObject o, String key,
                                       Function<ConfigObject, T> read) {
        JsonNode items = array(o, key);
        List<T> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            out.add(read.apply(ConfigObject.at(o.path(key) + "[" + i + "]", items.get(i))));
        }
        return out;
    }

    private static JsonNode array(ConfigObject o, String key) {
        JsonNode v = o.get(key);
        if (v == null) {
            throw o.invalid(key, "is required");
        }
        if (!v.isArray()) {
            throw o.invalid(key, "must be a list, was " + ConfigObject.shown(v));
        }
        return v;
    }

    /**
     * A number that fits a double: JSON has no infinity, but a literal past the double range (such as
     * {@code 1e400}) would read as one.
     */
    private static double finite(ConfigObject o, String key) {
        double v = o.number(key);
        if (!Double.isFinite(v)) {
            throw o.invalid(key, "must be a finite number, was " + ConfigObject.shown(o.get(key)));
        }
        return v;
    }

    /** A mean time or a part of one: finite and never negative. */
    private static double duration(ConfigObject o, String key) {
        double v = finite(o, key);
        if (v < 0) {
            throw o.invalid(key, "must be >= 0, was " + ConfigObject.shown(o.get(key)));
        }
        return v;
    }

    /** A field that must be present and may be null. */
    private static Double nullableNumber(ConfigObject o, String key) {
        return present(o, key) ? finite(o, key) : null;
    }

    /** A field that may be absent or null (both read as null). */
    private static Double optionalNumber(ConfigObject o, String key) {
        return o.isSet(key) ? finite(o, key) : null;
    }

    private static Long nullableWhole(ConfigObject o, String key) {
        return present(o, key) ? o.wholeNumber(key) : null;
    }

    private static <T> T nullableObject(ConfigObject o, String key, Function<ConfigObject, T> read) {
        return present(o, key) ? read.apply(o.object(key)) : null;
    }

    /** Whether {@code key} holds a value; absent is an error, JSON null is not. */
    private static boolean present(ConfigObject o, String key) {
        if (o.get(key) == null) {
            throw o.invalid(key, "is required");
        }
        return o.isSet(key);
    }

    /** Writes doubles as plain decimals: {@code 10000000} rather than {@code 1.0E7}, the same double on reading. */
    private static final class PlainDoubleSerializer extends JsonSerializer<Double> {
        @Override
        public void serialize(Double value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
            if (Double.isFinite(value)) {
                gen.writeNumber(BigDecimal.valueOf(value).stripTrailingZeros().toPlainString());
            } else {
                gen.writeNumber(value);
            }
        }
    }
}
