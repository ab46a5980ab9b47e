package dev.cmr.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns JMH JSON results ({@code -rf json -rff FILE}) into the Markdown tables of the README.
 *
 * <p>{@code java -cp target/benchmarks.jar dev.cmr.bench.Summarize results/record.json [results/stats.json]}
 *
 * <p>For each benchmark: JMH's mean with its 99.9% error, the median and minimum of the measurement iterations (all
 * forks), and {@code gc.alloc.rate.norm}. The median is printed because on a 2-core machine shared with other work a
 * few disturbed iterations move the mean a lot; it is not a replacement for the mean, both are shown.
 */
public final class Summarize {
    private Summarize() {
    }

    record Result(String method, String param, int threads, double mean, double error, double median, double min,
                  String unit, double allocNorm, double allocNormError, int samples, double[] forkMeans) {
    }

    public static void main(String[] args) throws Exception {
        ObjectMapper json = new ObjectMapper();
        for (String file : args) {
            List<Result> results = new ArrayList<>();
            for (JsonNode b : json.readTree(new File(file))) {
                results.add(parse(b));
            }
            System.out.println("### " + file);
            System.out.println();
            if (results.stream().anyMatch(r -> r.method.startsWith("RecordBenchmark."))) {
                recordTables(results);
            } else {
                plainTable(results);
            }
        }
    }

    private static Result parse(JsonNode b) {
        String name = b.get("benchmark").asText();
        String method = name.substring(name.lastIndexOf('.', name.lastIndexOf('.') - 1) + 1);
        StringBuilder param = new StringBuilder();
        if (b.has("params")) {
            b.get("params").fields().forEachRemaining(e -> param.append(param.length() == 0 ? "" : ",")
                    .append(e.getKey()).append('=').append(e.getValue().asText()));
        }
        JsonNode pm = b.get("primaryMetric");
        List<Double> raw = new ArrayList<>();
        List<Double> forkMeans = new ArrayList<>();
        for (JsonNode fork : pm.get("rawData")) {
            double sum = 0;
            for (JsonNode v : fork) {
                raw.add(v.asDouble());
                sum += v.asDouble();
            }
            forkMeans.add(sum / fork.size());
        }
        double[] sorted = raw.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double median = sorted.length % 2 == 1 ? sorted[sorted.length / 2]
                : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
        JsonNode alloc = b.path("secondaryMetrics").path("gc.alloc.rate.norm");
        return new Result(method, param.toString(), b.get("threads").asInt(), pm.get("score").asDouble(),
                pm.get("scoreError").asDouble(), median, sorted[0], pm.get("scoreUnit").asText(),
                alloc.isMissingNode() ? Double.NaN : alloc.get("score").asDouble(),
                alloc.isMissingNode() ? Double.NaN : alloc.get("scoreError").asDouble(), sorted.length,
                forkMeans.stream().mapToDouble(Double::doubleValue).toArray());
    }

    private static void recordTables(List<Result> results) {
        Map<String, Result[]> byVariant = new LinkedHashMap<>(); // variant -> {1 thread, 2 threads}
        for (Result r : results) {
            String variant = r.method.substring("RecordBenchmark.".length()).replace("_t2", "");
            Result[] pair = byVariant.computeIfAbsent(variant, v -> new Result[2]);
            pair[r.threads == 1 ? 0 : 1] = r;
        }
        List<String> order = new ArrayList<>(Arrays.asList("baseline", "idealFloor", "cmrMonitor", "cmrHandle",
                "hdrPerThreadHistogram", "hdrRecorder", "prometheusHistogram", "micrometerTimer", "naiveSeedPort"));
        for (String v : byVariant.keySet()) {
            if (!order.contains(v)) {
                order.add(v);
            }
        }
        System.out.println("| variant | 1 thread: ns/op (mean ± 99.9% err) | median | B/op "
                + "| 2 threads: ns/op (mean ± 99.9% err) | median | B/op |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|");
        for (String v : order) {
            Result[] pair = byVariant.get(v);
            if (pair == null) {
                continue;
            }
            System.out.printf("| `%s` | %s | %s | %s | %s | %s | %s |%n", v,
                    meanErr(pair[0]), pair[0] == null ? "" : f(pair[0].median), alloc(pair[0]),
                    meanErr(pair[1]), pair[1] == null ? "" : f(pair[1].median), alloc(pair[1]));
        }
        System.out.println();
        System.out.println("| variant | 1 thread: mean of each fork | 2 threads: mean of each fork |");
        System.out.println("|---|---|---|");
        for (String v : order) {
            Result[] pair = byVariant.get(v);
            if (pair != null) {
                System.out.printf("| `%s` | %s | %s |%n", v, forks(pair[0]), forks(pair[1]));
            }
        }
        System.out.println();
        Result[] floor = byVariant.get("idealFloor");
        if (floor != null) {
            System.out.println("| ratio to `idealFloor` | 1 thread (means) | 1 thread (medians) "
                    + "| 2 threads (means) | 2 threads (medians) |");
            System.out.println("|---|---:|---:|---:|---:|");
            for (String v : order) {
                Result[] pair = byVariant.get(v);
                if (pair == null || v.equals("idealFloor") || v.equals("baseline")) {
                    continue;
                }
                System.out.printf("| `%s` | %s | %s | %s | %s |%n", v,
                        ratio(pair[0], floor[0], false), ratio(pair[0], floor[0], true),
                        ratio(pair[1], floor[1], false), ratio(pair[1], floor[1], true));
            }
            System.out.println();
        }
    }

    private static void plainTable(List<Result> results) {
        System.out.println("| benchmark | params | threads | mean ± 99.9% err | median | min | unit | B/op |");
        System.out.println("|---|---|---:|---:|---:|---:|---|---:|");
        for (Result r : results) {
            System.out.printf("| `%s` | %s | %d | %s ± %s | %s | %s | %s | %s |%n", r.method, r.param, r.threads,
                    f(r.mean), f(r.error), f(r.median), f(r.min), r.unit, alloc(r));
        }
        System.out.println();
    }

    private static String forks(Result r) {
        if (r == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        for (double m : r.forkMeans) {
            sb.append(sb.length() == 0 ? "" : ", ").append(f(m));
        }
        return sb.toString();
    }

    private static String meanErr(Result r) {
        return r == null ? "" : f(r.mean) + " ± " + f(r.error);
    }

    private static String alloc(Result r) {
        if (r == null || Double.isNaN(r.allocNorm)) {
            return "";
        }
        return r.allocNorm < 0.01 ? String.format("%.0e", r.allocNorm) : String.format("%.3f", r.allocNorm);
    }

    private static String ratio(Result r, Result floor, boolean median) {
        if (r == null || floor == null) {
            return "";
        }
        double x = median ? r.median / floor.median : r.mean / floor.mean;
        return String.format("%.2f×", x);
    }

    private static String f(double v) {
        if (Double.isNaN(v)) {
            return "";
        }
        if (Math.abs(v) >= 1000) {
            return String.format("%,.0f", v);
        }
        if (Math.abs(v) >= 100) {
            return String.format("%.1f", v);
        }
        return String.format("%.3f", v);
    }
}
