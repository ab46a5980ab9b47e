package dev.cmr.bench;

import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.cmr.io.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The soak's results as text: the samples as TSV (Jackson's CSV writer, tab-separated, with a header), and a
 * Markdown page with the samples table, the trend of each {@link SoakSample#SERIES} over its samples after the
 * warm-up ({@link LinearTrend}: slope per minute, its 95% interval, the negligible bound, the verdict), what
 * changed by NMT category and fd kind, and the run's notes. Files are written atomically.
 */
final class SoakReport {
    private static final CsvMapper CSV = new CsvMapper();

    private SoakReport() {
    }

    /** One series' trend and the minute its judged samples start at (NaN when there are none). */
    record Judged(SoakSample.Series series, double fromMinutes, LinearTrend trend) {
    }

    /**
     * The trend of each {@link SoakSample#SERIES} over its samples taken at or after {@code warmupSeconds} from
     * the first one where the series is settled on.
     */
    static List<Judged> trends(List<SoakSample> samples, double warmupSeconds) {
        List<Judged> trends = new ArrayList<>();
        for (SoakSample.Series series : SoakSample.SERIES) {
            List<SoakSample> judged = samples.stream().filter(s -> s.seconds() >= warmupSeconds)
                    .dropWhile(s -> !series.settled().test(s)).toList();
            double[] minutes = judged.stream().mapToDouble(s -> s.seconds() / 60).toArray();
            trends.add(new Judged(series, judged.isEmpty() ? Double.NaN : minutes[0],
                    LinearTrend.fit(minutes, judged.stream().mapToDouble(series.value()).toArray())));
        }
        return trends;
    }

    static void writeTsv(Path tsv, List<SoakSample> samples) throws IOException {
        CsvSchema schema = CSV.schemaFor(SoakSample.class).withHeader().withColumnSeparator('\t');
        byte[] bytes = CSV.writer(schema).writeValueAsBytes(samples);
        AtomicFiles.write(tsv, out -> out.write(bytes));
    }

    /** The trends as a Markdown table, one row per judged series. */
    static String trendTable(List<Judged> trends) {
        StringBuilder md = new StringBuilder();
        md.append("| series | judged from | samples | mean | slope / min | 95% interval / min "
                + "| negligible bound / min | verdict |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---|\n");
        for (Judged j : trends) {
            LinearTrend t = j.trend();
            md.append(String.format(Locale.ROOT, "| %s | %.0f s | %d | %.2f | %+.4g | %+.4g .. %+.4g | ±%.3g "
                            + "| %s |%n", j.series().label(), j.fromMinutes() * 60, t.n(), t.mean(),
                    t.slopePerMinute(), t.low(), t.high(), t.negligiblePerMinute(), t.verdict()));
        }
        return md.toString();
    }

    /** The samples as a Markdown table. */
    static String sampleTable(List<SoakSample> samples) {
        StringBuilder md = new StringBuilder();
        md.append("| s | live heap MiB | classes | threads | fds | NMT MiB | NMT steady MiB | NMT runtime MiB "
                + "| JIT compiled MiB | RSS MiB | page JS MiB | page nodes | page listeners | tokens | requests "
                + "| scrapes | page updates |\n");
        md.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (SoakSample s : samples) {
            md.append(String.format(Locale.ROOT, "| %.0f | %.3f | %d | %d | %d | %.1f | %.1f | %.1f | %.2f | %.1f "
                            + "| %.2f | %d | %d | %d | %d | %d | %d |%n", s.seconds(), s.heapMib(), s.classes(),
                    s.threads(), s.fds(), s.nmtCommittedMib(), s.nmtSteadyMib(), s.nmtRuntimeMib(), s.jitCodeMib(),
                    s.rssMib(), s.pageJsHeapMib(), s.pageNodes(), s.pageListeners(), s.tokens(), s.requests(),
                    s.scrapes(), s.pageUpdates()));
        }
        return md.toString();
    }

    /** Classes listed in the live-heap change table. */
    static final int TOP_CLASSES = 15;

    /**
     * What changed between two {@link FootprintDetail}s: NMT committed KiB per category and open fds per kind, a
     * row for each key in either, with the difference, and the {@value #TOP_CLASSES} classes whose live bytes changed
     * most either way.
     */
    static String changeTable(FootprintDetail from, FootprintDetail to, String fromLabel, String toLabel) {
        StringBuilder md = new StringBuilder();
        md.append("| NMT category | committed KiB at ").append(fromLabel).append(" | at ").append(toLabel)
                .append(" | change |\n|---|---:|---:|---:|\n");
        changes(md, from.nmtCommittedKib(), to.nmtCommittedKib());
        md.append("\n| open fd kind | at ").append(fromLabel).append(" | at ").append(toLabel)
                .append(" | change |\n|---|---:|---:|---:|\n");
        changes(md, from.fdKinds(), to.fdKinds());
        md.append("\n| class (live heap) | bytes at ").append(fromLabel).append(" | at ").append(toLabel)
                .append(" | change | instances change |\n|---|---:|---:|---:|---:|\n");
        Set<String> classes = new TreeSet<>(from.liveBytesByClass().keySet());
        classes.addAll(to.liveBytesByClass().keySet());
        classes.stream()
                .sorted(Comparator.comparingLong((String c) -> -Math.abs(to.liveBytesByClass().getOrDefault(c, 0L)
                        - from.liveBytesByClass().getOrDefault(c, 0L))).thenComparing(c -> c))
                .limit(TOP_CLASSES)
                .forEach(c -> {
                    long a = from.liveBytesByClass().getOrDefault(c, 0L);
                    long b = to.liveBytesByClass().getOrDefault(c, 0L);
                    long n = to.instancesByClass().getOrDefault(c, 0L) - from.instancesByClass().getOrDefault(c, 0L);
                    md.append(String.format(Locale.ROOT, "| `%s` | %d | %d | %+d | %+d |%n", c.replace("|", "\\|"),
                            a, b, b - a, n));
                });
        return md.toString();
    }

    private static void changes(StringBuilder md, Map<String, Long> from, Map<String, Long> to) {
        Set<String> keys = new TreeSet<>(from.keySet());
        keys.addAll(to.keySet());
        for (String k : keys) {
            long a = from.getOrDefault(k, 0L);
            long b = to.getOrDefault(k, 0L);
            md.append(String.format(Locale.ROOT, "| %s | %d | %d | %+d |%n", k.replace("|", "\\|"), a, b, b - a));
        }
    }

    static void writeMarkdown(Path md, String heading, List<String> notes, List<SoakSample> samples,
                              List<Judged> trends, String changes, String image) throws IOException {
        StringBuilder text = new StringBuilder("# ").append(heading).append("\n\n");
        notes.forEach(n -> text.append(n).append("\n"));
        text.append("\n## Trends after the warm-up\n\n").append(trendTable(trends));
        text.append("\n## What changed from the warm-up's end to the end\n\n").append(changes);
        text.append("\n![soak](").append(image).append(")\n\n## Samples\n\n").append(sampleTable(samples));
        AtomicFiles.write(md, out -> out.write(text.toString().getBytes(StandardCharsets.UTF_8)));
    }
}
