package dev.cmr.monitor.profile;

import static dev.cmr.monitor.profile.Formats.duration;
import static dev.cmr.monitor.profile.Formats.percent;

import java.util.ArrayList;
import java.util.List;

/** Renders a {@link ProfileComparison} as a plain-text table with aligned columns (see {@link #render}). */
final class ComparisonTable {
    private static final String[] HEADER = {"metric", "baseline", "current", "change", "interval", "status"};
    /** Columns aligned left (text); the others are numbers, aligned right. */
    private static final boolean[] LEFT = {true, false, false, false, false, true};

    private ComparisonTable() {
    }

    /**
     * The table of {@link ProfileComparison#toTable()}: a header, one row per change, then a summary line such as
     * {@code 1 REGRESSION, 29 UNCHANGED; regression above +10.0%, improvement below -9.1%, 95% bootstrap interval of
     * the ratio of medians (2000 resamples)}. Lines end with {@code \n}.
     */
    static String render(ProfileComparison comparison) {
        CompareSettings s = comparison.settings();
        String confidence = Formats.coverage(s.confidence());
        List<String[]> rows = new ArrayList<>();
        String[] header = HEADER.clone();
        header[4] = confidence + " interval";
        rows.add(header);
        for (MetricChange c : comparison.changes()) {
            rows.add(new String[] {c.key(), duration(c.baselineMedianNanos()), duration(c.currentMedianNanos()),
                    percent(c.relativeChange()), Formats.interval(c.changeLower(), c.changeUpper()),
                    c.status().name()});
        }
        int[] widths = new int[HEADER.length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                String padding = " ".repeat(widths[i] - row[i].length());
                out.append(i == 0 ? "" : "  ").append(LEFT[i] ? row[i] + padding : padding + row[i]);
            }
            out.setLength(out.length() - trailingSpaces(out));
            out.append('\n');
        }
        out.append(statusCounts(comparison)).append("; regression above ").append(percent(s.threshold()))
                .append(", improvement below ").append(percent(s.improvementBound())).append(", ")
                .append(confidence).append(" bootstrap interval of the ratio of medians (").append(s.resamples())
                .append(" resamples)\n");
        return out.toString();
    }

    private static String statusCounts(ProfileComparison comparison) {
        List<String> counts = new ArrayList<>();
        for (ChangeStatus status : ChangeStatus.values()) {
            int n = comparison.withStatus(status).size();
            if (n > 0) {
                counts.add(n + " " + status);
            }
        }
        return counts.isEmpty() ? "no metrics" : String.join(", ", counts);
    }

    private static int trailingSpaces(StringBuilder line) {
        int n = 0;
        while (n < line.length() && line.charAt(line.length() - 1 - n) == ' ') {
            n++;
        }
        return n;
    }
}
