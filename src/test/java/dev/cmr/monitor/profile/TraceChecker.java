package dev.cmr.monitor.profile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Structural checks of a Chrome trace: the object form with {@code displayTimeUnit} ns; every complete ("X") event
 * has a name, pid, tid, ts >= 0 and dur >= 0; slices on one track (pid, tid) nest strictly (each one ends before the
 * next starts or lies inside it); every flow id has exactly one "s" and one "f", each inside a slice of its track;
 * no flow ends (device span start) before it starts (host enqueue) by more than the clock error bound its process
 * states on its "pass" slices; counters carry numbers. Times are compared in whole nanoseconds.
 */
public final class TraceChecker {
    private TraceChecker() {
    }

    record Slice(String name, long start, long end) {
    }

    /** The violations found, empty when the trace passes. */
    public static List<String> check(String json) throws IOException {
        List<String> problems = new ArrayList<>();
        JsonNode root = new ObjectMapper().readTree(json);
        if (!"ns".equals(root.path("displayTimeUnit").asText())) {
            problems.add("displayTimeUnit must be ns, was " + root.get("displayTimeUnit"));
        }
        JsonNode events = root.get("traceEvents");
        if (events == null || !events.isArray()) {
            problems.add("traceEvents must be a list");
            return problems;
        }
        Map<String, List<Slice>> tracks = new TreeMap<>();
        Map<Integer, Long> bounds = new HashMap<>();
        Map<Long, List<JsonNode>> flows = new TreeMap<>();
        for (JsonNode e : events) {
            String ph = e.path("ph").asText();
            switch (ph) {
                case "X" -> {
                    if (!e.hasNonNull("name") || !e.has("pid") || !e.has("tid") || !e.path("ts").isNumber()
                            || !e.path("dur").isNumber() || e.get("ts").doubleValue() < 0
                            || e.get("dur").doubleValue() < 0) {
                        problems.add("malformed slice " + e);
                        continue;
                    }
                    long start = nanos(e.get("ts"));
                    tracks.computeIfAbsent(track(e), k -> new ArrayList<>())
                            .add(new Slice(e.get("name").asText(), start, start + nanos(e.get("dur"))));
                    if ("pass".equals(e.path("cat").asText())) {
                        bounds.merge(e.get("pid").asInt(), e.path("args").path("clock_error_bound_ns").asLong(),
                                Math::max);
                    }
                }
                case "s", "f" -> flows.computeIfAbsent(e.path("id").asLong(), k -> new ArrayList<>()).add(e);
                case "C" -> {
                    if (!e.path("args").isObject() || !e.path("args").elements().hasNext()
                            || !e.path("args").elements().next().isNumber() || !e.path("ts").isNumber()) {
                        problems.add("malformed counter " + e);
                    }
                }
                case "M" -> {
                }
                default -> problems.add("unexpected phase " + ph + " in " + e);
            }
        }
        tracks.forEach((track, slices) -> nesting(track, slices, problems));
        flows.forEach((id, ends) -> flow(id, ends, tracks, bounds, problems));
        return problems;
    }

    private static String track(JsonNode e) {
        return e.get("pid").asText() + "/" + e.get("tid").asText();
    }

    private static long nanos(JsonNode micros) {
        return micros.decimalValue().movePointRight(3).setScale(0, java.math.RoundingMode.HALF_UP).longValueExact();
    }

    private static void nesting(String track, List<Slice> slices, List<String> problems) {
        slices.sort(Comparator.comparingLong(Slice::start).thenComparing(Comparator.comparingLong(Slice::end)
                .reversed()));
        List<Slice> open = new ArrayList<>();
        for (Slice s : slices) {
            while (!open.isEmpty() && open.get(open.size() - 1).end() <= s.start()) {
                open.remove(open.size() - 1);
            }
            if (!open.isEmpty() && s.end() > open.get(open.size() - 1).end()) {
                problems.add("track " + track + ": " + s + " overlaps " + open.get(open.size() - 1)
                        + " without nesting in it");
            }
            open.add(s);
        }
    }

    private static void flow(long id, List<JsonNode> ends, Map<String, List<Slice>> tracks, Map<Integer, Long> bounds,
                             List<String> problems) {
        List<JsonNode> starts = ends.stream().filter(e -> "s".equals(e.path("ph").asText())).toList();
        List<JsonNode> finishes = ends.stream().filter(e -> "f".equals(e.path("ph").asText())).toList();
        if (starts.size() != 1 || finishes.size() != 1) {
            problems.add("flow " + id + " must have one start and one end, has " + starts.size() + " and "
                    + finishes.size());
            return;
        }
        for (JsonNode end : ends) {
            long ts = nanos(end.get("ts"));
            boolean bound = tracks.getOrDefault(track(end), List.of()).stream()
                    .anyMatch(s -> s.start() <= ts && ts <= s.end());
            if (!bound) {
                problems.add("flow " + id + " " + end.get("ph").asText() + " at " + ts + " ns lies in no slice of track "
                        + track(end));
            }
        }
        long enqueue = nanos(starts.get(0).get("ts"));
        long device = nanos(finishes.get(0).get("ts"));
        long bound = bounds.getOrDefault(starts.get(0).get("pid").asInt(), 0L);
        if (device < enqueue - bound) {
            problems.add("flow " + id + ": device span starts " + (enqueue - device)
                    + " ns before its host enqueue, more than the clock error bound of " + bound + " ns");
        }
    }
}
