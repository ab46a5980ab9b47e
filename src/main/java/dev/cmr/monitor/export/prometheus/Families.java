package dev.cmr.monitor.export.prometheus;

import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Quantile;
import io.prometheus.metrics.model.snapshots.Quantiles;
import io.prometheus.metrics.model.snapshots.StateSetSnapshot;
import io.prometheus.metrics.model.snapshots.StateSetSnapshot.StateSetDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import io.prometheus.metrics.model.snapshots.SummarySnapshot.SummaryDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects the data points of one scrape into metric families, by family name, and builds the
 * {@link MetricSnapshots}. Every family is declared with its help text on first use; a family whose name ends in a
 * base unit suffix ({@code _seconds}, {@code _bytes}, {@code _ratio}) carries that unit. Labels come as name, value
 * pairs. Not thread-safe: one instance per scrape.
 */
final class Families {
    private enum Kind { GAUGE, COUNTER, SUMMARY, STATE_SET }

    private record Family(String name, String help, Kind kind, List<Object> points) {
    }

    private final Map<String, Family> families = new LinkedHashMap<>();

    void gauge(String name, String help, double value, String... labels) {
        family(name, help, Kind.GAUGE).points.add(
                GaugeDataPointSnapshot.builder().value(value).labels(Labels.of(labels)).build());
    }

    /** A gauge when the value is known; nothing for null (no data is an absent series, never a made-up zero). */
    void gaugeIfPresent(String name, String help, Double value, String... labels) {
        if (value != null) {
            gauge(name, help, value, labels);
        } else {
            family(name, help, Kind.GAUGE);
        }
    }

    /** {@code name} without {@code _total}; the writers append it. */
    void counter(String name, String help, double value, String... labels) {
        family(name, help, Kind.COUNTER).points.add(
                CounterDataPointSnapshot.builder().value(value).labels(Labels.of(labels)).build());
    }

    void summary(String name, String help, long count, double sum, double[] quantiles, double[] values,
                 String... labels) {
        Quantiles.Builder q = Quantiles.builder();
        for (int i = 0; i < quantiles.length; i++) {
            q.quantile(new Quantile(quantiles[i], values[i]));
        }
        family(name, help, Kind.SUMMARY).points.add(SummaryDataPointSnapshot.builder().count(count)
                .sum(sum).quantiles(q.build()).labels(Labels.of(labels)).build());
    }

    /** One state set data point: exactly {@code current} of {@code states} is true. */
    void stateSet(String name, String help, List<String> states, String current, String... labels) {
        StateSetDataPointSnapshot.Builder point = StateSetDataPointSnapshot.builder().labels(Labels.of(labels));
        for (String state : states) {
            point.state(state, state.equals(current));
        }
        family(name, help, Kind.STATE_SET).points.add(point.build());
    }

    MetricSnapshots build() {
        List<MetricSnapshot> out = new ArrayList<>();
        for (Family f : families.values()) {
            out.add(switch (f.kind) {
                case GAUGE -> gaugeSnapshot(f);
                case COUNTER -> counterSnapshot(f);
                case SUMMARY -> summarySnapshot(f);
                case STATE_SET -> stateSetSnapshot(f);
            });
        }
        return new MetricSnapshots(out);
    }

    private Family family(String name, String help, Kind kind) {
        Family f = families.computeIfAbsent(name, n -> new Family(n, help, kind, new ArrayList<>()));
        if (f.kind != kind) {
            throw new IllegalStateException("metric family " + name + " used with two types");
        }
        return f;
    }

    static Unit unitOf(String name) {
        if (name.endsWith("_seconds")) {
            return Unit.SECONDS;
        }
        if (name.endsWith("_bytes")) {
            return Unit.BYTES;
        }
        if (name.endsWith("_ratio")) {
            return Unit.RATIO;
        }
        return null;
    }

    private static MetricSnapshot gaugeSnapshot(Family f) {
        GaugeSnapshot.Builder b = GaugeSnapshot.builder().name(f.name).help(f.help).unit(unitOf(f.name));
        f.points.forEach(p -> b.dataPoint((GaugeDataPointSnapshot) p));
        return b.build();
    }

    private static MetricSnapshot counterSnapshot(Family f) {
        CounterSnapshot.Builder b = CounterSnapshot.builder().name(f.name).help(f.help).unit(unitOf(f.name));
        f.points.forEach(p -> b.dataPoint((CounterDataPointSnapshot) p));
        return b.build();
    }

    private static MetricSnapshot summarySnapshot(Family f) {
        SummarySnapshot.Builder b = SummarySnapshot.builder().name(f.name).help(f.help).unit(unitOf(f.name));
        f.points.forEach(p -> b.dataPoint((SummaryDataPointSnapshot) p));
        return b.build();
    }

    private static MetricSnapshot stateSetSnapshot(Family f) {
        StateSetSnapshot.Builder b = StateSetSnapshot.builder().name(f.name).help(f.help);
        f.points.forEach(p -> b.dataPoint((StateSetDataPointSnapshot) p));
        return b.build();
    }
}
