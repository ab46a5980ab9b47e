package dev.cmr.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@code wrk -t2 -c16 -dNs --latency URL} run (Debian's {@code wrk}) and what it printed: requests per second,
 * the latency distribution (50/75/90/99%, in ms), the request count, and non-2xx/socket-error lines. The process
 * inherits the caller's CPU affinity.
 */
public record Wrk(String output, double requestsPerSecond, Map<String, Double> latencyMillis, long requests,
                  String errors) {
    private static final Pattern RPS = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
    private static final Pattern PERCENTILE = Pattern.compile("^\\s+(50|75|90|99)%\\s+([0-9.]+)(us|ms|s)\\s*$",
            Pattern.MULTILINE);
    private static final Pattern COUNT = Pattern.compile("(\\d+) requests in");
    private static final Pattern ERRORS = Pattern.compile("^\\s*(Non-2xx.*|Socket errors.*)$", Pattern.MULTILINE);

    public static Wrk run(String url, int seconds) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("wrk", "-t2", "-c16", "-d" + seconds + "s", "--latency", url)
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException("wrk failed: " + out);
        }
        Matcher rps = RPS.matcher(out);
        Matcher count = COUNT.matcher(out);
        if (!rps.find() || !count.find()) {
            throw new IllegalStateException("cannot read wrk's output: " + out);
        }
        Map<String, Double> latency = new LinkedHashMap<>();
        Matcher m = PERCENTILE.matcher(out);
        while (m.find()) {
            double v = Double.parseDouble(m.group(2));
            latency.put(m.group(1), switch (m.group(3)) {
                case "us" -> v / 1e3;
                case "ms" -> v;
                default -> v * 1e3;
            });
        }
        StringBuilder errors = new StringBuilder();
        Matcher e = ERRORS.matcher(out);
        while (e.find()) {
            errors.append(errors.isEmpty() ? "" : "; ").append(e.group(1).strip());
        }
        return new Wrk(out, Double.parseDouble(rps.group(1)), latency, Long.parseLong(count.group(1)),
                errors.isEmpty() ? "none" : errors.toString());
    }
}
