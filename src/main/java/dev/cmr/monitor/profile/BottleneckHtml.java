package dev.cmr.monitor.profile;

import static dev.cmr.monitor.profile.Formats.duration;

import dev.cmr.monitor.record.Stage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The bottlenecks.html report of a profile: one self-contained page (inline CSS, inline SVG, no script, no font, no
 * link to fetch) with, per execution in the order of the results: the pass verdict with its reason; a stacked bar
 * per layer (launch, overlap, sync wait, device-only, as {@link LayerTimeSplit} defines them, from the
 * representative pass when it has timestamps, else from the means per pass); a timeline of the representative pass
 * (a lane per host thread: pass, layer, stage, sync wait; a lane per device queue: layer, kernel), the layer
 * verdicts with their reasons, and a curve per drawn resource gauge ({@link CounterGauges}). Charts are SVG written
 * as plain markup, with linear placement only. Every name and reason that reaches the page is HTML-escaped. A pure
 * function of the results.
 */
public final class BottleneckHtml {
    private static final int WIDTH = 960;
    private static final int LABEL = 150;
    private static final int PLOT = WIDTH - LABEL - 90;
    private static final int ROW = 22;
    private static final int LANE = 14;
    private static final String[] SPLIT_COLOURS = {"#4e79a7", "#f28e2b", "#e15759", "#59a14f"};
    private static final String[] SPLIT_NAMES = {"launch", "overlap", "sync wait", "device-only"};
    private static final Map<String, String> SPAN_COLOURS = Map.of("pass", "#bab0ac", "layer", "#4e79a7",
            "stage", "#76b7b2", "sync_wait", "#e15759", "device", "#59a14f", "kernel", "#edc948");

    private BottleneckHtml() {
    }

    public static String render(ProfileResults results) {
        StringBuilder out = new StringBuilder(16_384);
        out.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<title>Bottlenecks</title>\n<style>\n")
                .append("body{font-family:sans-serif;margin:24px;color:#222}")
                .append("table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #ccc;padding:3px 8px;"
                        + "text-align:left}svg{display:block;margin:8px 0;background:#fafafa}")
                .append(".legend span{display:inline-block;margin-right:14px}")
                .append(".swatch{display:inline-block;width:12px;height:12px;margin-right:4px;vertical-align:middle}")
                .append("\n</style>\n</head>\n<body>\n<h1>Bottlenecks</h1>\n");
        if (results.executions().isEmpty()) {
            out.append("<p>No blocks were profiled.</p>\n");
        }
        results.executions().forEach(e -> execution(out, e));
        return out.append("</body>\n</html>\n").toString();
    }

    private static void execution(StringBuilder out, ExecutionProfile e) {
        out.append("<section>\n<h2>").append(escape(e.name())).append("</h2>\n<p>").append(e.passes())
                .append(e.passes() == 1 ? " pass" : " passes").append(", backend ").append(e.backend().key())
                .append(", mean wall time ").append(duration(e.wallNanos())).append(" per pass.</p>\n<p><b>")
                .append(e.verdict()).append("</b>: ").append(escape(e.reason())).append("</p>\n");
        layerBars(out, e);
        timeline(out, e);
        verdicts(out, e);
        resources(out, e);
        out.append("</section>\n");
    }

    private static void layerBars(StringBuilder out, ExecutionProfile e) {
        out.append("<h3>Time per layer</h3>\n");
        if (e.layers().isEmpty()) {
            out.append("<p>No layers were recorded.</p>\n");
            return;
        }
        List<LayerTimeSplit> splits = e.layers().stream()
                .map(l -> LayerTimeSplit.of(l, e.representativePass())).toList();
        boolean fromPass = splits.stream().anyMatch(LayerTimeSplit::fromPass);
        out.append("<p>").append(fromPass ? "From the representative pass (median wall time). "
                        : "Means per pass; without timestamps the overlap is unknown and device time is drawn "
                        + "as device-only. ")
                .append("Launch: host work with the device idle for the layer; overlap: host work while the device "
                        + "runs the layer; sync wait: host blocked on the device; device-only: the device running "
                        + "the layer while its host has moved on.</p>\n");
        legend(out, SPLIT_NAMES, SPLIT_COLOURS);
        double max = Math.max(1, splits.stream().mapToDouble(LayerTimeSplit::total).max().orElse(1));
        svgOpen(out, "layer-bars", WIDTH, ROW * splits.size() + 4);
        for (int i = 0; i < splits.size(); i++) {
            LayerTimeSplit s = splits.get(i);
            int y = i * ROW + 2;
            text(out, 4, y + 15, "layer " + e.layers().get(i).layer());
            double[] parts = {s.launch(), s.overlap(), s.syncWait(), s.deviceOnly()};
            double x = LABEL;
            for (int p = 0; p < parts.length; p++) {
                double w = parts[p] / max * PLOT;
                if (w > 0) {
                    rect(out, x, y, w, ROW - 4, SPLIT_COLOURS[p], SPLIT_NAMES[p] + " " + duration(parts[p]));
                }
                x += w;
            }
            text(out, x + 6, y + 15, duration(s.total()));
        }
        out.append("</svg>\n");
    }

    private static void timeline(StringBuilder out, ExecutionProfile e) {
        PassTrace pass = e.representativePass();
        out.append("<h3>Timeline of the representative pass</h3>\n");
        if (pass == null) {
            out.append("<p>No pass had timestamps: the block recorded durations only, so there is no timeline.</p>\n");
            return;
        }
        Map<Long, List<HostSpan>> threads = new TreeMap<>();
        pass.hostSpans().forEach(h -> threads.computeIfAbsent(h.threadId(), t -> new ArrayList<>()).add(h));
        Map<Integer, List<DeviceSpan>> queues = new TreeMap<>();
        pass.deviceSpans().forEach(d -> queues.computeIfAbsent(d.queue(), q -> new ArrayList<>()).add(d));
        int height = threads.size() * 4 * LANE + queues.size() * 2 * LANE + (threads.size() + queues.size()) * 8 + 24;
        out.append("<p>Wall time ").append(duration((double) pass.wallNanos())).append("; device clock error bound ")
                .append(pass.clockErrorBoundNanos()).append(" ns.</p>\n");
        legend(out, new String[] {"pass", "layer", "stage", "sync wait", "device layer", "kernel"},
                new String[] {SPAN_COLOURS.get("pass"), SPAN_COLOURS.get("layer"), SPAN_COLOURS.get("stage"),
                        SPAN_COLOURS.get("sync_wait"), SPAN_COLOURS.get("device"), SPAN_COLOURS.get("kernel")});
        svgOpen(out, "timeline", WIDTH, height);
        Placement x = new Placement(pass.startNanos(), pass.endNanos());
        int y = 4;
        for (Map.Entry<Long, List<HostSpan>> thread : threads.entrySet()) {
            text(out, 4, y + 2 * LANE, "host thread " + thread.getKey());
            span(out, x, y, pass.startNanos(), pass.endNanos(), "pass", "pass");
            for (HostSpan h : thread.getValue()) {
                boolean layer = h.stage() == Stage.LAYER;
                span(out, x, y + (layer ? 1 : 2) * LANE, h.startNanos(), h.endNanos(), layer ? "layer" : "stage",
                        layer ? "layer " + h.layer() : h.stage().key() + " (layer " + h.layer() + ")");
            }
            for (SyncWaitSpan w : pass.syncWaits()) {
                if (thread.getValue().stream().anyMatch(h -> h.layer() == w.layer() && h.stage() == Stage.LAYER)) {
                    span(out, x, y + 3 * LANE, w.startNanos(), w.endNanos(), "sync_wait",
                            "sync wait (layer " + w.layer() + ")");
                }
            }
            y += 4 * LANE + 8;
        }
        for (Map.Entry<Integer, List<DeviceSpan>> queue : queues.entrySet()) {
            text(out, 4, y + LANE, "device queue " + queue.getKey());
            for (DeviceSpan d : queue.getValue()) {
                span(out, x, y + (d.wholeLayer() ? 0 : LANE), d.startNanos(), d.endNanos(),
                        d.wholeLayer() ? "device" : "kernel",
                        d.wholeLayer() ? "layer " + d.layer() : d.kernel() + " (layer " + d.layer() + ")");
            }
            y += 2 * LANE + 8;
        }
        text(out, LABEL, y + 12, "0");
        text(out, LABEL + PLOT - 60, y + 12, duration((double) pass.wallNanos()));
        out.append("</svg>\n");
    }

    private static void verdicts(StringBuilder out, ExecutionProfile e) {
        if (e.layers().isEmpty()) {
            return;
        }
        out.append("<h3>Verdicts</h3>\n<table>\n<tr><th>layer</th><th>verdict</th><th>reason</th></tr>\n");
        for (LayerProfile l : e.layers()) {
            out.append("<tr><td>").append(l.layer()).append("</td><td>").append(l.verdict()).append("</td><td>")
                    .append(escape(l.reason())).append("</td></tr>\n");
        }
        out.append("</table>\n");
    }

    private static void resources(StringBuilder out, ExecutionProfile e) {
        List<Map.Entry<String, List<ResourcePoint>>> gauges = CounterGauges.of(e.resources());
        out.append("<h3>Resources</h3>\n");
        if (gauges.isEmpty()) {
            out.append("<p>No CPU, memory, heap or GPU utilization samples were taken over this block.</p>\n");
            return;
        }
        for (Map.Entry<String, List<ResourcePoint>> gauge : gauges) {
            List<ResourcePoint> points = gauge.getValue();
            double t0 = points.stream().mapToDouble(ResourcePoint::time).min().orElse(0);
            double t1 = points.stream().mapToDouble(ResourcePoint::time).max().orElse(0);
            double v0 = points.stream().mapToDouble(ResourcePoint::value).min().orElse(0);
            double v1 = points.stream().mapToDouble(ResourcePoint::value).max().orElse(0);
            int w = 480;
            int h = 100;
            svgOpen(out, "resource", w, h + 24);
            text(out, 4, 14, gauge.getKey() + ": " + number(v0) + " to " + number(v1) + " over "
                    + duration(t1 - t0));
            StringBuilder xy = new StringBuilder();
            for (ResourcePoint p : points) {
                double px = t1 > t0 ? (p.time() - t0) / (t1 - t0) * (w - 8) + 4 : w / 2.0;
                double py = v1 > v0 ? 20 + h - (p.value() - v0) / (v1 - v0) * (h - 4) : 20 + h / 2.0;
                xy.append(fmt(px)).append(',').append(fmt(py)).append(' ');
            }
            out.append("<polyline fill=\"none\" stroke=\"#4e79a7\" stroke-width=\"1.5\" points=\"")
                    .append(xy.toString().trim()).append("\"/>\n");
            if (points.size() == 1) {
                out.append("<circle r=\"3\" fill=\"#4e79a7\" ").append(xy.toString().trim()
                        .replaceFirst("([^,]+),(.+)", "cx=\"$1\" cy=\"$2\"")).append("/>\n");
            }
            out.append("</svg>\n");
        }
    }

    /** Linear placement of host-clock nanoseconds on the plot's x range. */
    private record Placement(long start, long end) {
        double x(long nanos) {
            long clamped = Math.max(start, Math.min(end, nanos));
            return LABEL + (end == start ? 0 : (double) (clamped - start) / (end - start) * PLOT);
        }
    }

    private static void span(StringBuilder out, Placement x, int y, long start, long end, String kind, String name) {
        double x0 = x.x(start);
        rect(out, x0, y, Math.max(0.5, x.x(end) - x0), LANE - 2, SPAN_COLOURS.get(kind),
                name + " " + duration((double) (end - start)));
    }

    private static void svgOpen(StringBuilder out, String kind, int width, int height) {
        out.append("<svg class=\"").append(kind).append("\" width=\"")
                .append(width).append("\" height=\"").append(height).append("\" viewBox=\"0 0 ").append(width)
                .append(' ').append(height).append("\">\n");
    }

    private static void rect(StringBuilder out, double x, double y, double w, double h, String fill, String title) {
        out.append("<rect x=\"").append(fmt(x)).append("\" y=\"").append(fmt(y)).append("\" width=\"").append(fmt(w))
                .append("\" height=\"").append(fmt(h)).append("\" fill=\"").append(fill).append("\"><title>")
                .append(escape(title)).append("</title></rect>\n");
    }

    private static void text(StringBuilder out, double x, double y, String text) {
        out.append("<text x=\"").append(fmt(x)).append("\" y=\"").append(fmt(y))
                .append("\" font-size=\"12\">").append(escape(text)).append("</text>\n");
    }

    private static void legend(StringBuilder out, String[] names, String[] colours) {
        out.append("<p class=\"legend\">");
        for (int i = 0; i < names.length; i++) {
            out.append("<span><i class=\"swatch\" style=\"background:").append(colours[i]).append("\"></i>")
                    .append(names[i]).append("</span>");
        }
        out.append("</p>\n");
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    private static String number(double v) {
        return Math.abs(v) >= 1e6 ? String.format(Locale.ROOT, "%.3g", v) : String.format(Locale.ROOT, "%.1f", v);
    }

    /** Text safe in element content and in quoted attribute values. */
    static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
