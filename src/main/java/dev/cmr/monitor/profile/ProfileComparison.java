package dev.cmr.monitor.profile;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The result of {@link ProfileComparator#compare}: one {@link MetricChange} per metric key of either run, and the
 * settings that judged them. Immutable.
 *
 * <p>{@link #changes()} is in report order: by status in {@link ChangeStatus}'s declaration order (regressions
 * first), regressions by decreasing change, improvements by increasing change (the largest of each first), the rest
 * by key.
 */
public record ProfileComparison(CompareSettings settings, List<MetricChange> changes) {
    private static final Comparator<MetricChange> REPORT_ORDER = Comparator
            .comparing(MetricChange::status)
            .thenComparingDouble(ProfileComparison::largestFirst)
            .thenComparing(MetricChange::key);

    public ProfileComparison {
        Objects.requireNonNull(settings, "settings");
        List<MetricChange> sorted = new ArrayList<>(changes);
        sorted.sort(REPORT_ORDER);
        changes = List.copyOf(sorted);
    }

    /** Whether any metric is a {@link ChangeStatus#REGRESSION}: what a CI gate fails on. */
    public boolean hasRegression() {
        return changes.stream().anyMatch(c -> c.status() == ChangeStatus.REGRESSION);
    }

    /** The changes with {@code status}, in report order. */
    public List<MetricChange> withStatus(ChangeStatus status) {
        return changes.stream().filter(c -> c.status() == status).toList();
    }

    /** The change of {@code key}, if either run had it. */
    public Optional<MetricChange> change(String key) {
        return changes.stream().filter(c -> c.key().equals(key)).findFirst();
    }

    /**
     * A plain-text table, one row per key in report order: key, baseline and current medians, change, interval,
     * status; then a line counting each status and naming the rule.
     */
    public String toTable() {
        return ComparisonTable.render(this);
    }

    /** Sort key within a status: the larger a regression or an improvement, the earlier; 0 for the others. */
    private static double largestFirst(MetricChange c) {
        return switch (c.status()) {
            case REGRESSION -> -c.relativeChange();
            case IMPROVEMENT -> c.relativeChange();
            default -> 0;
        };
    }
}
