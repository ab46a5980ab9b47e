package dev.cmr.monitor.profile;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cmr.monitor.record.Stage;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The trace.json of a profile: Chrome trace event format (JSON object form), loadable in Perfetto and
 * chrome://tracing, rendered from {@link ProfileResults} alone so that a saved profile.json renders the same trace.
 * One process per execution (pid 1, 2, ... in the order of the results) holds its representative pass:
 * <ul>
 *   <li>a host track per thread that recorded spans (thread name {@code host thread <id>}): the pass as an "X"
 *       complete event (cat {@code pass}, args {@code clock_error_bound_ns}), its layer spans (cat {@code layer}),
 *       their CMR stage spans (cat {@code stage}) and sync waits (cat {@code sync_wait}, on the thread of the
 *       layer span that holds them), strictly nested as the host recorded them;</li>
 *   <li>a device track per queue or stream ({@code device queue <n>}): whole-layer device spans (cat
 *       {@code device}) and kernel spans (cat {@code kernel}) nested in them;</li>
 *   <li>a flow (cat {@code launch}, "s" then "f", both binding to the enclosing slice, {@code bp: e}) from the host
 *       time a launch or enqueue call returned ({@link DeviceSpan#enqueueEndNanos}), inside the host slice that
 *       made it, to the start of its device span; spans with an unknown enqueue time, or whose enqueue lies in no
 *       host span, get none;</li>
 *   <li>a counter track ("C") per drawn resource gauge ({@link CounterGauges}) over all of its samples;</li>
 *   <li>process and thread name metadata ("M").</li>
 * </ul>
 * Timestamps ({@code ts}, {@code dur}) are microseconds, as the format requires, written as exact decimals with three
 * places (nanosecond resolution) from {@code otherData.origin_ns}, the earliest host-clock time (System.nanoTime)
 * in the trace; {@code displayTimeUnit} is {@code ns}. Stateless and thread-safe; the events of one execution are
 * held in memory while they are sorted, the output is streamed.
 */
public final class ChromeTrace {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
            .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);

    private ChromeTrace() {
    }

    /** Writes the trace of {@code results} to {@code out}, which it flushes and leaves open. */
    public static void write(ProfileResults results, OutputStream out) throws IOException {
        long origin = origin(results);
        try (JsonGenerator gen = MAPPER.getFactory().createGenerator(out)) {
            gen.writeStartObject();
            gen.writeStringField("displayTimeUnit", "ns");
            gen.writeObjectFieldStart("otherData");
            gen.writeNumberField("origin_ns", origin);
            gen.writeEndObject();
            gen.writeArrayFieldStart("traceEvents");
            int flowId = 0;
            for (int i = 0; i < results.executions().size(); i++) {
                Process process = new Process(i + 1, origin, flowId);
                process.add(results.executions().get(i));
                flowId = process.nextFlowId;
                for (Map<String, Object> event : process.events) {
                    gen.writeObject(event);
                }
            }
            gen.writeEndArray();
            gen.writeEndObject();
        }
        out.flush();
    }

    private static long origin(ProfileResults results) {
        long origin = Long.MAX_VALUE;
        for (ExecutionProfile e : results.executions()) {
            if (e.representativePass() != null) {
                PassTrace p = e.representativePass();
                origin = Math.min(origin, p.startNanos());
                for (HostSpan h : p.hostSpans()) {
                    origin = Math.min(origin, h.startNanos());
                }
                for (DeviceSpan d : p.deviceSpans()) {
                    origin = Math.min(origin, d.enqueueKnown() ? Math.min(d.startNanos(), d.enqueueEndNanos())
                            : d.startNanos());
                }
            }
            for (Map.Entry<String, List<ResourcePoint>> gauge : CounterGauges.of(e.resources())) {
                for (ResourcePoint point : gauge.getValue()) {
                    origin = Math.min(origin, Math.round(point.time()));
                }
            }
        }
        return origin == Long.MAX_VALUE ? 0 : origin;
    }

    /** The events of one execution, built then sorted per track. */
    private static final class Process {
        final int pid;
        final long origin;
        int nextFlowId;
        final List<Map<String, Object>> events = new ArrayList<>();
        /** Host thread id to track id. */
        final Map<Long, Integer> hostTracks = new TreeMap<>();
        final Map<Integer, Integer> queueTracks = new TreeMap<>();

        Process(int pid, long origin, int firstFlowId) {
            this.pid = pid;
            this.origin = origin;
            this.nextFlowId = firstFlowId;
        }

        void add(ExecutionProfile e) {
            events.add(metadata("process_name", 0, e.name() + " (" + e.backend().key() + ")"));
            PassTrace pass = e.representativePass();
            List<Slice> slices = new ArrayList<>();
            if (pass != null) {
                pass.hostSpans().stream().map(HostSpan::threadId).sorted().distinct()
                        .forEach(thread -> hostTracks.put(thread, hostTracks.size() + 1));
                pass.deviceSpans().stream().map(DeviceSpan::queue).sorted().distinct()
                        .forEach(queue -> queueTracks.put(queue, hostTracks.size() + queueTracks.size() + 1));
                hostTracks.forEach((thread, tid) -> {
                    events.add(metadata("thread_name", tid, "host thread " + thread));
                    slices.add(new Slice(tid, pass.startNanos(), pass.endNanos(), 0, "pass", "pass",
                            args("clock_error_bound_ns", pass.clockErrorBoundNanos(), "wall_ns", pass.wallNanos())));
                });
                queueTracks.forEach((queue, tid) -> events.add(metadata("thread_name", tid, "device queue " + queue)));
                hostSlices(pass, slices);
                deviceSlices(pass, slices);
            }
            slices.sort(Comparator.comparingInt(Slice::tid).thenComparingLong(Slice::start)
                    .thenComparing(Comparator.comparingLong(Slice::end).reversed())
                    .thenComparingInt(Slice::depth));
            slices.forEach(s -> events.add(s.event(pid, origin)));
            if (pass != null) {
                flows(pass);
            }
            counters(e);
        }

        private void hostSlices(PassTrace pass, List<Slice> slices) {
            for (HostSpan h : pass.hostSpans()) {
                boolean layer = h.stage() == Stage.LAYER;
                slices.add(new Slice(hostTracks.get(h.threadId()), h.startNanos(), h.endNanos(), layer ? 1 : 2,
                        layer ? "layer " + h.layer() : h.stage().key(), layer ? "layer" : "stage",
                        args("layer", h.layer(), "thread_id", h.threadId())));
            }
            for (SyncWaitSpan w : pass.syncWaits()) {
                HostSpan holder = holder(pass, w.layer(), w.startNanos());
                Integer tid = holder == null ? null : hostTracks.get(holder.threadId());
                if (tid != null) {
                    slices.add(new Slice(tid, w.startNanos(), w.endNanos(), 3, "sync wait", "sync_wait",
                            args("layer", w.layer())));
                }
            }
        }

        private void deviceSlices(PassTrace pass, List<Slice> slices) {
            for (DeviceSpan d : pass.deviceSpans()) {
                Map<String, Object> args = args("layer", d.layer(), "queue", d.queue());
                if (d.enqueueKnown()) {
                    args.put("enqueue_end_ns", d.enqueueEndNanos());
                }
                slices.add(new Slice(queueTracks.get(d.queue()), d.startNanos(), d.endNanos(),
                        d.wholeLayer() ? 1 : 2, d.wholeLayer() ? "layer " + d.layer() : d.kernel(),
                        d.wholeLayer() ? "device" : "kernel", args));
            }
        }

        /** The layer span of {@code layer} that holds {@code nanos}, else any host span that does, else null. */
        private static HostSpan holder(PassTrace pass, int layer, long nanos) {
            HostSpan any = null;
            for (HostSpan h : pass.hostSpans()) {
                if (h.startNanos() <= nanos && nanos <= h.endNanos()) {
                    if (h.layer() == layer && h.stage() == Stage.LAYER) {
                        return h;
                    }
                    any = any == null ? h : any;
                }
            }
            return any;
        }

        private void flows(PassTrace pass) {
            for (DeviceSpan d : pass.deviceSpans()) {
                HostSpan launcher = d.enqueueKnown() ? holder(pass, d.layer(), d.enqueueEndNanos()) : null;
                if (launcher == null) {
                    continue;
                }
                int id = ++nextFlowId;
                String name = "launch " + (d.wholeLayer() ? "layer " + d.layer() : d.kernel());
                events.add(flow("s", id, name, hostTracks.get(launcher.threadId()), d.enqueueEndNanos()));
                events.add(flow("f", id, name, queueTracks.get(d.queue()), d.startNanos()));
            }
        }

        private Map<String, Object> flow(String phase, int id, String name, int tid, long nanos) {
            Map<String, Object> event = new LinkedHashMap<>();
            event.put("ph", phase);
            event.put("id", id);
            event.put("name", name);
            event.put("cat", "launch");
            event.put("pid", pid);
            event.put("tid", tid);
            event.put("ts", micros(nanos - origin));
            event.put("bp", "e");
            return event;
        }

        private void counters(ExecutionProfile e) {
            for (Map.Entry<String, List<ResourcePoint>> gauge : CounterGauges.of(e.resources())) {
                for (ResourcePoint point : gauge.getValue()) {
                    Map<String, Object> event = new LinkedHashMap<>();
                    event.put("ph", "C");
                    event.put("name", gauge.getKey());
                    event.put("pid", pid);
                    event.put("tid", 0);
                    event.put("ts", micros(Math.round(point.time()) - origin));
                    event.put("args", Map.of("value", point.value()));
                    events.add(event);
                }
            }
        }

        private Map<String, Object> metadata(String kind, int tid, String name) {
            Map<String, Object> event = new LinkedHashMap<>();
            event.put("ph", "M");
            event.put("name", kind);
            event.put("pid", pid);
            event.put("tid", tid);
            event.put("args", Map.of("name", name));
            return event;
        }
    }

    private static Map<String, Object> args(Object... keysAndValues) {
        Map<String, Object> args = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            args.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return args;
    }

    /** Nanoseconds as exact microseconds: 1500 -> 1.500. */
    private static BigDecimal micros(long nanos) {
        return BigDecimal.valueOf(nanos, 3);
    }

    /** A complete ("X") event on one track; depth orders slices of equal bounds: pass, layer, stage, sync wait. */
    private record Slice(int tid, long start, long end, int depth, String name, String category,
                         Map<String, Object> args) {
        Map<String, Object> event(int pid, long origin) {
            Map<String, Object> event = new LinkedHashMap<>();
            event.put("ph", "X");
            event.put("name", name);
            event.put("cat", category);
            event.put("pid", pid);
            event.put("tid", tid);
            event.put("ts", micros(start - origin));
            event.put("dur", micros(end - start));
            event.put("args", args);
            return event;
        }
    }
}
