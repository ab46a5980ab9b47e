package dev.cmr.monitor.alert;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cmr.monitor.MonitoringConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Invariants of the alert state machine over random evaluation sequences. */
class AlertStateMachineProperties {
    private static final String METRIC = "system.error_rate";
    private static final double THRESHOLD = 0.1;
    private static final long DELAY_NANOS = Duration.ofSeconds(30).toNanos();
    private static final long COOLDOWN_NANOS = Duration.ofSeconds(60).toNanos();

    /** One evaluation: how long after the previous one it happens, and the metric's value (NaN = no data). */
    record Step(long afterMillis, double value) {
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<Long> gaps = Arbitraries.longs().between(1, 20_000);
        Arbitrary<Double> values = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(5, Arbitraries.doubles().between(0.11, 1.0)),
                net.jqwik.api.Tuple.of(4, Arbitraries.doubles().between(0.0, 0.1)),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(Double.NaN)));
        return Combinators.combine(gaps, values).as(Step::new).list().ofMaxSize(300);
    }

    private static AlertManager manager(FakeTime time, List<AlertNotification> received) {
        MonitoringConfig config = MonitoringConfig.builder().alertChannels(List.of("callback"))
                .alertCooldown(60).build();
        return AlertManager.builder(config.alertSettings()).withoutDefaultRules()
                .rule(AlertRule.above("errors", METRIC, THRESHOLD, Severity.ERROR))
                .noDataResolveAfter(Duration.ofSeconds(120))
                .nanoClock(time).wallClock(time.wall()).callback(received::add).build();
    }

    private static Map<String, Double> value(double v) {
        Map<String, Double> m = new HashMap<>();
        if (!Double.isNaN(v)) {
            m.put(METRIC, v);
        }
        return m;
    }

    @Property
    void conditionThatNeverHoldsForTheDelayNeverFires(@ForAll("steps") List<Step> steps) {
        FakeTime time = new FakeTime();
        List<AlertNotification> received = new ArrayList<>();
        AlertManager m = manager(time, received);
        long holdingSince = -1;

        for (Step step : steps) {
            time.advance(Duration.ofMillis(step.afterMillis()));
            double v = step.value();
            boolean holds = v > THRESHOLD;
            if (holds && holdingSince >= 0 && time.nanos() - holdingSince >= DELAY_NANOS) {
                v = 0.0; // cut the run just before it reaches the delay: the condition toggles faster than that
                holds = false;
            }
            if (holds && holdingSince < 0) {
                holdingSince = time.nanos();
            } else if (!holds) {
                holdingSince = -1;
            }
            m.evaluate(value(v));
        }

        assertThat(received).isEmpty();
        assertThat(m.state("errors")).isNotEqualTo(AlertState.FIRING);
    }

    @Property
    void notificationsAlternateFireAfterTheDelayAndRepeatNoSoonerThanTheCooldown(
            @ForAll("steps") List<Step> steps) {
        FakeTime time = new FakeTime();
        List<AlertNotification> received = new ArrayList<>();
        AlertManager m = manager(time, received);
        List<Long> sentAt = new ArrayList<>();

        for (Step step : steps) {
            time.advance(Duration.ofMillis(step.afterMillis()));
            List<AlertNotification> out = m.evaluate(value(step.value()));
            assertThat(out).hasSizeLessThanOrEqualTo(1);
            out.forEach(n -> sentAt.add(time.nanos()));
        }

        AlertNotification previous = null;
        for (int i = 0; i < received.size(); i++) {
            AlertNotification n = received.get(i);
            long elapsedNanos = Duration.between(n.activeSince(), n.timestamp()).toNanos();
            if (n.status() == AlertNotification.Status.FIRING) {
                assertThat(elapsedNanos).isGreaterThanOrEqualTo(DELAY_NANOS);
                assertThat(n.value()).isGreaterThan(THRESHOLD);
                if (previous != null && previous.status() == AlertNotification.Status.FIRING) {
                    assertThat(n.repeat()).isEqualTo(previous.repeat() + 1);
                    assertThat(sentAt.get(i) - sentAt.get(i - 1)).isGreaterThanOrEqualTo(COOLDOWN_NANOS);
                } else {
                    assertThat(n.repeat()).isZero();
                }
            } else {
                assertThat(previous).isNotNull();
                assertThat(previous.status()).isEqualTo(AlertNotification.Status.FIRING);
                assertThat(n.repeat()).isEqualTo(previous.repeat() + 1);
            }
            previous = n;
        }
    }
}
