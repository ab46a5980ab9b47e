package dev.cmr.cli;

import dev.cmr.io.ConfigValues;
import dev.cmr.monitor.profile.ChangeStatus;
import dev.cmr.monitor.profile.CompareSettings;
import dev.cmr.monitor.profile.ProfileComparator;
import dev.cmr.monitor.profile.ProfileComparison;
import dev.cmr.monitor.profile.ProfileResults;
import dev.cmr.monitor.profile.ProfileSamples;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Compares two saved profile.json files metric by metric ({@link ProfileSamples} keys, {@link ProfileComparator}'s
 * rule) and prints the table of changes and a summary line. Exit codes: 0 no regression, 1 at least one regression,
 * 2 bad input. Bad input is reported as one line on stderr naming what is wrong: an unreadable file, a file that is
 * not a profile (with the offending field), a {@code --threshold} that is not a number in range, or two profiles
 * with no block name in common (nothing to compare).
 */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = "Compare a current profile.json with a baseline: per block, layer, stage and kernel, the change "
                + "of the median per pass with a bootstrap interval. Exit 0: no regression; 1: a regression; "
                + "2: an unreadable, corrupt or mismatched file, or a bad option.")
final class CompareCommand implements Callable<Integer> {
    static final int NO_REGRESSION = 0;
    static final int REGRESSION = 1;

    @Parameters(index = "0", paramLabel = "BASELINE", description = "The baseline profile.json.")
    Path baseline;

    @Parameters(index = "1", paramLabel = "CURRENT", description = "The current profile.json.")
    Path current;

    // Text, parsed here, so that a non-number gets the same one-line message naming the range as one out of range.
    @Option(names = "--threshold", paramLabel = "RATIO", defaultValue = "0.10",
            description = "Smallest change worth flagging, as a ratio of medians in [0, 10]: 0.10 flags a metric "
                    + "whose whole interval is more than 10%% slower (default: ${DEFAULT-VALUE}).")
    String threshold;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            CompareSettings settings = settings(threshold);
            ProfileResults base = ProfileResults.read(baseline);
            ProfileResults cur = ProfileResults.read(current);
            requireCommonBlock(base, cur);
            ProfileComparison comparison = compare(settings, base, cur);
            out.print(comparison.toTable());
            out.println(summary(comparison));
            out.flush();
            return comparison.hasRegression() ? REGRESSION : NO_REGRESSION;
        } catch (UncheckedIOException e) {
            err.println(e.getMessage());
            err.flush();
            return ExitCodes.BAD_INPUT;
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            err.flush();
            return ExitCodes.BAD_INPUT;
        }
    }

    /** The settings at {@code --threshold}; its range is {@link CompareSettings}'s, whose message this reuses. */
    static CompareSettings settings(String threshold) {
        double ratio;
        try {
            ratio = Double.parseDouble(threshold.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--threshold must be a number in ["
                    + ConfigValues.format(CompareSettings.MIN_THRESHOLD) + ", "
                    + ConfigValues.format(CompareSettings.MAX_THRESHOLD) + "], was '" + threshold + "'");
        }
        try {
            return CompareSettings.builder().threshold(ratio).build();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--" + e.getMessage());
        }
    }

    private void requireCommonBlock(ProfileResults base, ProfileResults cur) {
        List<String> baseNames = names(base);
        List<String> curNames = names(cur);
        if (baseNames.stream().noneMatch(curNames::contains)) {
            throw new IllegalArgumentException("mismatched profiles, no block name in common: baseline " + baseline
                    + " has " + baseNames + ", current " + current + " has " + curNames);
        }
    }

    private ProfileComparison compare(CompareSettings settings, ProfileResults base, ProfileResults cur) {
        Map<String, long[]> baseSamples = ProfileSamples.of(base);
        Map<String, long[]> curSamples = ProfileSamples.of(cur);
        try {
            return new ProfileComparator(settings).compare(baseSamples, curSamples);
        } catch (IllegalArgumentException e) {
            // The comparator names the run ("baseline" or "current"); the user needs the files.
            throw new IllegalArgumentException("baseline " + baseline + ", current " + current + ": "
                    + e.getMessage(), e);
        }
    }

    private static List<String> names(ProfileResults results) {
        return results.executions().stream().map(e -> e.name()).toList();
    }

    /** E.g. {@code 1 regression, 0 improvements, 12 unchanged, 3 other: exit 1}. */
    static String summary(ProfileComparison comparison) {
        int regressions = comparison.withStatus(ChangeStatus.REGRESSION).size();
        int improvements = comparison.withStatus(ChangeStatus.IMPROVEMENT).size();
        int unchanged = comparison.withStatus(ChangeStatus.UNCHANGED).size();
        int other = comparison.changes().size() - regressions - improvements - unchanged;
        List<String> parts = new ArrayList<>();
        parts.add(count(regressions, "regression", "regressions"));
        parts.add(count(improvements, "improvement", "improvements"));
        parts.add(unchanged + " unchanged");
        parts.add(other + " not compared (added, removed, too few samples or below the noise floor)");
        return String.join(", ", parts) + ": exit " + (regressions > 0 ? REGRESSION : NO_REGRESSION);
    }

    private static String count(int n, String one, String many) {
        return n + " " + (n == 1 ? one : many);
    }
}
