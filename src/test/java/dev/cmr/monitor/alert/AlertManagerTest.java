package dev.cmr.monitor.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cmr.monitor.MonitoringConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The alert state machine and notification policy, driven by a fake clock through the public API. */
class AlertManagerTest {
    private static final String LATENCY = "system.p99_latency_seconds";
    private static final Duration MS = Duration.ofMillis(1);

    private final FakeTime time = new FakeTime();
    private final List<AlertNotification> received = new ArrayList<>();

    private MonitoringConfig.Builder config() {
        return MonitoringConfig.builder().alertChannels(List.of("callback"));
    }

    private AlertManager manager(AlertSettings settings, AlertRule... rules) {
        return AlertManager.builder(settings).withoutDefaultRules().rules(List.of(rules))
                .nanoClock(time).wallClock(time.wall()).callback(received::add).build();
    }

    private AlertManager manager(AlertRule... rules) {
        return manager(config().build().alertSettings(), rules);
    }

    private static Map<String, Double> metric(String name, double value) {
        Map<String, Double> m = new HashMap<>();
        m.put(name, value);
        return m;
    }

    private static Map<String, Double> latency(double seconds) {
        return metric(LATENCY, seconds);
    }

    // ---- escalation delays ----

    @ParameterizedTest(name = "{0} fires after {1} s, not 1 ms before")
    @CsvSource({"ERROR, 30", "WARNING, 300"})
    void delayedSeverityFiresExactlyWhenTheConditionHasHeldForItsEscalationDelay(Severity severity, long seconds) {
        AlertManager m = manager(AlertRule.above("slow", LATENCY, 0.1, severity));
        Duration delay = Duration.ofSeconds(seconds);

        assertThat(m.evaluate(latency(0.5))).isEmpty();
        assertThat(m.state("slow")).isEqualTo(AlertState.PENDING);
        time.advance(delay.minus(MS));
        assertThat(m.evaluate(latency(0.5))).isEmpty();
        assertThat(m.state("slow")).isEqualTo(AlertState.PENDING);
        time.advance(MS);
        List<AlertNotification> fired = m.evaluate(latency(0.5));

        assertThat(fired).singleElement().satisfies(n -> {
            assertThat(n.status()).isEqualTo(AlertNotification.Status.FIRING);
            assertThat(n.ruleName()).isEqualTo("slow");
            assertThat(n.value()).isEqualTo(0.5);
            assertThat(n.activeSince()).isEqualTo(FakeTime.START);
            assertThat(n.timestamp()).isEqualTo(FakeTime.START.plus(delay));
        });
        assertThat(m.state("slow")).isEqualTo(AlertState.FIRING);
        assertThat(received).isEqualTo(fired);
    }

    @Test
    void criticalFiresAtTheFirstEvaluationWhereTheConditionHolds() {
        AlertManager m = manager(AlertRule.above("slow", LATENCY, 0.1, Severity.CRITICAL));

        assertThat(m.evaluate(latency(0.05))).isEmpty();
        List<AlertNotification> fired = m.evaluate(latency(0.2));

        assertThat(fired).singleElement().extracting(AlertNotification::status)
                .isEqualTo(AlertNotification.Status.FIRING);
        assertThat(m.state("slow")).isEqualTo(AlertState.FIRING);
    }

    @Test
    void escalationDelayComesFromConfigurationEscalationRules() {
        AlertManager m = manager(config().escalationRules(Map.of("error", 5.0)).build().alertSettings(),
                AlertRule.above("slow", LATENCY, 0.1, Severity.ERROR));

        m.evaluate(latency(0.5));
        time.advance(Duration.ofSeconds(5).minus(MS));
        assertThat(m.evaluate(latency(0.5))).isEmpty();
        time.advance(MS);
        assertThat(m.evaluate(latency(0.5))).hasSize(1);
    }

    @Test
    void ruleForDurationOverridesTheSeverityDelay() {
        AlertManager m = manager(AlertRule.above("slow", LATENCY, 0.1, Severity.CRITICAL)
                .withFor(Duration.ofSeconds(10)));

        assertThat(m.evaluate(latency(0.5))).isEmpty();
        time.advance(Duration.ofSeconds(10).minus(MS));
        assertThat(m.evaluate(latency(0.5))).isEmpty();
        time.advance(MS);
        assertThat(m.evaluate(latency(0.5))).hasSize(1);
    }

    @Test
    void valueEqualToThresholdDoesNotHold() {
        AlertManager m = manager(AlertRule.above("slow", LATENCY, 0.1, Severity.CRITICAL),
                AlertRule.below("cold", "retrieval_system.cache_hit_rate", 0.5, Severity.CRITICAL));

        Map<String, Double> atThresholds = latency(0.1);
        atThresholds.put("retrieval_system.cache_hit_rate", 0.5);

        assertThat(m.evaluate(atThresholds)).isEmpty();
        atThresholds.put("retrieval_system.cache_hit_rate", 0.49);
        assertThat(m.evaluate(atThresholds)).extracting(AlertNotification::ruleName).containsExactly("cold");
    }

    // ---- flapping ----

    @Test
    void conditionTogglingFasterThanTheDelayNeverFires() {
        AlertManager m = manager(AlertRule.above("slow", LATENCY, 0.1, Severity.ERROR));

        // Holds for 29 s out of every 30 s for an hour, but never 30 s in a row.
        for (int cycle = 0; cycle < 120; cycle++) {
            for (int s = 0; s < 29; s++) {
                assertThat(m.evaluate(latency(0.5))).isEmpty();
                time.advance(Duration.ofSeconds(1));
            }
            assertThat(m.evaluate(latency(0.01))).isEmpty();
            time.advance(Duration.ofSeconds(1).minus(MS));
        }

        assertThat(received).isEmpty();
        assertThat(m.history()).isEmpty();
    }

    @Test
    void clearingWhilePendingRestartsTheHoldTime() {
        AlertManager m = manager(AlertRule.above("slow", LATENCY, 0.1, Severity.ERROR));

        m.evaluate(latency(0.5));
        time.advance(Duration.ofSeconds(20));
        m.evaluate(latency(0.01));
        assertThat(m.state("slow")).isEqualTo(AlertState.INACTIVE);
        time.advance(Duration.ofSeconds(1));
        m.evaluate(latency(0.5));
        time.advance(Duration.ofSeconds(29));
        assertThat(m.evaluate(latency(0.5))).isEmpty();
        time.advance(Duration.ofSeconds(1));
        assertThat(m.evaluate(latency(0.5))).hasSize(1);
    }

    // ---- cooldown (repeat interval) ----

    @Test
    void firingAlertRepeatsOnlyAfterTheCooldown() {
        AlertManager m = manager(config().alertCooldown(60).build().alertSettings(),
                AlertRule.above("slow", LATENCY, 0.1, Severity.CRITICAL));

        assertThat(m.evaluate(latency(0.5))).hasSize(1);
        for (int s = 1; s < 60; s++) {
            time.advance(Duration.ofSeconds(1));
            assertThat(m.evaluate(latency(0.5))).as("second %d", s).isEmpty();
        }
        time.advance(Duration.ofSeconds(1).minus(MS));
        assertThat(m.evaluate(latency(0.5))).isEmpty();
        time.advance(MS);
        List<AlertNotification> repeat = m.evaluate(latency(0.6));

        assertThat(repeat).singleElement().satisfies(n -> {
            assertThat(n.status()).isEqualTo(AlertNotification.Status.FIRING);
            assertThat(n.repeat()).isEqualTo(1);
            assertThat(n.value()).isEqualTo(0.6);
            assertThat(n.activeSince()).isEqualTo(FakeTime.START);
        });
        time.advance(Duration.ofSeconds(59));
        assertThat(m.evaluate(latency(0.5))).isEmpty();
        time.advance(Duration.ofSeconds(1));
        assertThat(m.evaluate(latency(0.5))).singleElement().extracting(AlertNotification::repeat).isEqualTo(2);
        assertThat(received).hasSize(3);
    }

    @Test
    void zeroCooldownRepeatsAtEveryEvaluation() {
        AlertManager m = manager(config().alertCooldown(0).build().alertSettings(),
                AlertRule.above("slow", LATENCY, 0.1, Severity.CRITICAL));

        for (int i = 0; i < 3; i++) {
            assertThat(m.evaluate(latency(0.5))).hasSize(1);
            time.advance(MS);
        }
    }

    // ---- resolved notices ----

    @Test
    void firingAlertWhoseConditionClearsSendsOneResolvedNoticeThenGoesInactive() {
        AlertManager m = manager(AlertRule.above("slow", LATENCY, 0.1, Severity.CRITICAL));
        m.evaluate(latency(0.5));
        time.advance(Duration.ofSeconds(7));

        List<AlertNotification> resolved = m.evaluate(latency(0.05));

        assertThat(resolved).singleElement().satisfies(n -> {
            assertThat(n.status()).isEqualTo(AlertNotification.Status.RESOLVED);
            assertThat(n.reason()).isEqualTo("condition_cleared");
            assertThat(n.value()).isEqualTo(0.05);
            assertThat(n.activeSince()).isEqualTo(FakeTime.START);
            assertThat(n.timestamp()).isEqualTo(FakeTime.START.plusSeconds(7));
        });
        assertThat(m.state("slow")).isEqualTo(AlertState.RESOLVED);
        time.advance(Duration.ofSeconds(1));
        assertThat(m.evaluate(latency(0.05))).isEmpty();
        assertThat(m.state("slow")).isEqualTo(AlertState.INACTIVE);
        assertThat(received).extracting(AlertNotification::status)
                .containsExactly(AlertNotification.Status.FIRING, AlertNotification.Status.RESOLVED);
    }

    @Test
    void pendingAlertThatClearsSendsNothing() {
        AlertManager m = manager(AlertRule.above("slow", LATENCY, 0.1, Severity.WARNING));

        m.evaluate(latency(0.5));
        time.advance(Duration.ofSeconds(100));
        m.evaluate(latency(0.01));

        assertThat(received).isEmpty();
        assertThat(m.state("slow")).isEqualTo(AlertState.INACTIVE);
    }

    @Test
    void refiringAfterResolveIsANewEpisodeAndNotifiesDespiteTheCooldown() {
        AlertManager m = manager(config().alertCooldown(300).build().alertSettings(),
                AlertRule.above("slow", LATENCY, 0.1, Severity.CRITICAL));

        m.evaluate(latency(0.5));
        time.advance(Duration.ofSeconds(1));
        m.evaluate(latency(0.01));
        time.advance(Duration.ofSeconds(1));
        List<AlertNotification> again = m.evaluate(latency(0.5));

        assertThat(again).singleElement().satisfies(n -> {
            assertThat(n.status()).isEqualTo(AlertNotification.Status.FIRING);
            assertThat(n.repeat()).isZero();
            assertThat(n.activeSince()).isEqualTo(FakeTime.START.plusSeconds(2));
        });
    }

    // ---- inhibition ----

    private static final String BUFFER_HEALTH = "memory_buffer.health_score";
    private static final String BUFFER_EFFICIENCY = "memory_buffer.capture_efficiency";

    private AlertManager inhibitionManager() {
        return manager(
                AlertRule.below("buffer_efficiency_low", BUFFER_EFFICIENCY, 0.5, Severity.WARNING)
                        .withFor(Duration.ZERO),
                AlertRule.below("buffer_health_critical", BUFFER_HEALTH, 40, Severity.CRITICAL),
                AlertRule.below("cache_cold", "retrieval_system.cache_hit_rate", 0.5, Severity.WARNING)
                        .withFor(Duration.ZERO));
    }

    private static Map<String, Double> buffer(double efficiency, double health, double hitRate) {
        Map<String, Double> m = new HashMap<>();
        m.put(BUFFER_EFFICIENCY, efficiency);
        m.put(BUFFER_HEALTH, health);
        m.put("retrieval_system.cache_hit_rate", hitRate);
        return m;
    }

    @Test
    void firingCriticalInhibitsWarningsOfTheSameComponentButNotOfAnother() {
        AlertManager m = inhibitionManager();

        List<AlertNotification> first = m.evaluate(buffer(0.1, 20, 0.1));

        assertThat(first).extracting(AlertNotification::ruleName)
                .containsExactly("buffer_health_critical", "cache_cold");
        assertThat(m.state("buffer_efficiency_low")).isEqualTo(AlertState.FIRING);
        assertThat(m.inhibitedNotifications()).isEqualTo(1);
        assertThat(m.activeAlerts()).filteredOn(a -> a.rule().name().equals("buffer_efficiency_low"))
                .singleElement().extracting(ActiveAlert::inhibited).isEqualTo(true);
        assertThat(m.activeAlerts()).filteredOn(a -> a.rule().name().equals("cache_cold"))
                .singleElement().extracting(ActiveAlert::inhibited).isEqualTo(false);
    }

    @Test
    void inhibitedWarningNotifiesAsSoonAsTheCriticalStopsFiring() {
        AlertManager m = inhibitionManager();
        m.evaluate(buffer(0.1, 20, 0.9));
        time.advance(Duration.ofSeconds(10));

        List<AlertNotification> next = m.evaluate(buffer(0.1, 90, 0.9));

        assertThat(next).extracting(AlertNotification::ruleName, AlertNotification::status).containsExactly(
                org.assertj.core.groups.Tuple.tuple("buffer_efficiency_low", AlertNotification.Status.FIRING),
                org.assertj.core.groups.Tuple.tuple("buffer_health_critical", AlertNotification.Status.RESOLVED));
        assertThat(next.get(0).activeSince()).isEqualTo(FakeTime.START);
    }

    @Test
    void warningThatFiredAndResolvedWhileInhibitedSendsNothing() {
        AlertManager m = inhibitionManager();
        m.evaluate(buffer(0.1, 20, 0.9));
        time.advance(Duration.ofSeconds(10));

        assertThat(m.evaluate(buffer(0.9, 20, 0.9))).isEmpty();
        assertThat(received).extracting(AlertNotification::ruleName).containsExactly("buffer_health_critical");
    }

    @Test
    void warningAnnouncedBeforeTheCriticalStillGetsItsResolvedNoticeButNoRepeats() {
        AlertManager m = manager(config().alertCooldown(60).build().alertSettings(),
                AlertRule.below("buffer_efficiency_low", BUFFER_EFFICIENCY, 0.5, Severity.WARNING)
                        .withFor(Duration.ZERO),
                AlertRule.below("buffer_health_critical", BUFFER_HEALTH, 40, Severity.CRITICAL));
        assertThat(m.evaluate(buffer(0.1, 90, 0.9))).extracting(AlertNotification::ruleName)
                .containsExactly("buffer_efficiency_low");
        time.advance(Duration.ofSeconds(1));
        assertThat(m.evaluate(buffer(0.1, 20, 0.9))).extracting(AlertNotification::ruleName)
                .containsExactly("buffer_health_critical");

        time.advance(Duration.ofSeconds(120)); // past the cooldown: the critical repeats, the warning is inhibited
        assertThat(m.evaluate(buffer(0.1, 20, 0.9))).extracting(AlertNotification::ruleName)
                .containsExactly("buffer_health_critical");
        time.advance(Duration.ofSeconds(1));
        List<AlertNotification> resolved = m.evaluate(buffer(0.9, 20, 0.9));

        assertThat(resolved).singleElement().satisfies(n -> {
            assertThat(n.ruleName()).isEqualTo("buffer_efficiency_low");
            assertThat(n.status()).isEqualTo(AlertNotification.Status.RESOLVED);
        });
        assertThat(m.inhibitedNotifications()).isEqualTo(1);
    }

    @Test
    void pendingCriticalDoesNotInhibit() {
        AlertManager m = manager(
                AlertRule.below("buffer_efficiency_low", BUFFER_EFFICIENCY, 0.5, Severity.WARNING)
                        .withFor(Duration.ZERO),
                AlertRule.below("buffer_health_critical", BUFFER_HEALTH, 40, Severity.CRITICAL)
                        .withFor(Duration.ofSeconds(60)));

        assertThat(m.evaluate(buffer(0.1, 20, 0.9))).extracting(AlertNotification::ruleName)
                .containsExactly("buffer_efficiency_low");
    }

    @Test
    void criticalDoesNotInhibitErrorSeverity() {
        AlertManager m = manager(
                AlertRule.below("buffer_efficiency_low", BUFFER_EFFICIENCY, 0.5, Severity.ERROR)
                        .withFor(Duration.ZERO),
                AlertRule.below("buffer_health_critical", BUFFER_HEALTH, 40, Severity.CRITICAL));

        assertThat(m.evaluate(buffer(0.1, 20, 0.9))).hasSize(2);
    }

    // ---- no data ----

    @Test
    void missingOrNanMetricNeverFires() {
        AlertManager m = manager(AlertRule.above("slow", LATENCY, 0.1, Severity.CRITICAL),
                AlertRule.below("cold", "retrieval_system.cache_hit_rate", 0.5, Severity.CRITICAL));
        Map<String, Double> nulls = new HashMap<>();
        nulls.put(LATENCY, null);

        for (int i = 0; i < 100; i++) {
            m.evaluate(Map.of());
            m.evaluate(metric(LATENCY, Double.NaN));
            m.evaluate(metric("retrieval_system.cache_hit_rate", Double.NaN));
            m.evaluate(nulls);
            time.advance(Duration.ofMinutes(1));
        }

        assertThat(received).isEmpty();
        assertThat(m.activeAlerts()).isEmpty();
        assertThat(m.state("cold")).isEqualTo(AlertState.INACTIVE);
    }

    @Test
    void gapInTheDataBreaksAPendingHold() {
        AlertManager m = manager(AlertRule.above("slow", LATENCY, 0.1, Severity.ERROR));

        m.evaluate(latency(0.5));
        time.advance(Duration.ofSeconds(15));
        m.evaluate(Map.of());
        time.advance(Duration.ofSeconds(15));
        assertThat(m.evaluate(latency(0.5))).isEmpty();
        assertThat(m.state("slow")).isEqualTo(AlertState.PENDING);
    }

    @Test
    void firingAlertWithIntermittentMissingDataNeitherResolvesNorRefires() {
        AlertManager m = manager(config().alertCooldown(3600).build().alertSettings(),
                AlertRule.above("slow", LATENCY, 0.1, Severity.CRITICAL));
        m.evaluate(latency(0.5));

        for (int i = 0; i < 50; i++) {
            time.advance(Duration.ofSeconds(5));
            assertThat(m.evaluate(i % 2 == 0 ? Map.of() : latency(0.5))).isEmpty();
        }

        assertThat(received).hasSize(1);
        assertThat(m.state("slow")).isEqualTo(AlertState.FIRING);
    }

    @Test
    void firingAlertResolvesOnceWhenDataStaysAwayForTheGracePeriod() {
        AlertManager m = AlertManager.builder(config().build().alertSettings()).withoutDefaultRules()
                .rule(AlertRule.above("slow", LATENCY, 0.1, Severity.CRITICAL))
                .noDataResolveAfter(Duration.ofSeconds(60))
                .nanoClock(time).wallClock(time.wall()).callback(received::add).build();
        m.evaluate(latency(0.5));
        time.advance(Duration.ofSeconds(1));
        assertThat(m.evaluate(Map.of())).isEmpty();
        assertThat(m.activeAlerts()).singleElement().extracting(ActiveAlert::noData).isEqualTo(true);
        time.advance(Duration.ofSeconds(60).minus(MS));
        assertThat(m.evaluate(metric(LATENCY, Double.NaN))).isEmpty();
        time.advance(MS);

        List<AlertNotification> resolved = m.evaluate(Map.of());

        assertThat(resolved).singleElement().satisfies(n -> {
            assertThat(n.status()).isEqualTo(AlertNotification.Status.RESOLVED);
            assertThat(n.reason()).isEqualTo("no_data");
            assertThat(n.value()).isNaN();
            assertThat(n.toMap()).containsEntry("value", null);
        });
        for (int i = 0; i < 20; i++) {
            time.advance(Duration.ofMinutes(1));
            assertThat(m.evaluate(Map.of())).isEmpty();
        }
        assertThat(received).hasSize(2);
    }

    // ---- disabled, history, time ----

    @Test
    void disabledAlertsSendNothingAndTrackNothing() {
        AlertManager m = manager(config().enableAlerts(false).build().alertSettings(),
                AlertRule.above("slow", LATENCY, 0.1, Severity.CRITICAL));

        assertThat(m.evaluate(latency(5))).isEmpty();
        time.advance(Duration.ofHours(1));
        assertThat(m.evaluate(latency(5))).isEmpty();

        assertThat(m.enabled()).isFalse();
        assertThat(received).isEmpty();
        assertThat(m.activeAlerts()).isEmpty();
        assertThat(m.channelStats()).isEmpty();
    }

    @Test
    void historyKeepsTheLastNotificationsOnly() {
        AlertManager m = AlertManager.builder(config().alertCooldown(0).build().alertSettings()).withoutDefaultRules()
                .rule(AlertRule.above("slow", LATENCY, 0.1, Severity.CRITICAL))
                .historySize(3).nanoClock(time).wallClock(time.wall()).build();

        for (int i = 0; i < 5; i++) {
            m.evaluate(latency(1 + i));
            time.advance(Duration.ofSeconds(1));
        }

        assertThat(m.history()).extracting(AlertNotification::value).containsExactly(3.0, 4.0, 5.0);
        assertThat(m.history()).extracting(AlertNotification::repeat).containsExactly(2, 3, 4);
    }

    @Test
    void timeGoingBackwardsIsTreatedAsNoTimePassing() {
        AlertManager m = manager(AlertRule.above("slow", LATENCY, 0.1, Severity.ERROR));

        m.evaluate(time.nanos(), latency(0.5));
        m.evaluate(time.nanos() + Duration.ofSeconds(29).toNanos(), latency(0.5));
        // A clock read that went backwards must not lengthen or shorten the hold.
        assertThat(m.evaluate(time.nanos(), latency(0.5))).isEmpty();
        assertThat(m.evaluate(time.nanos() + Duration.ofSeconds(30).toNanos(), latency(0.5))).hasSize(1);
    }

    @Test
    void activeAlertsShowPendingAndFiringWithTheirNumbers() {
        AlertManager m = manager(AlertRule.above("slow", LATENCY, 0.1, Severity.WARNING),
                AlertRule.above("very_slow", LATENCY, 0.3, Severity.CRITICAL));

        m.evaluate(latency(0.4));

        assertThat(m.activeAlerts()).extracting(a -> a.rule().name(), ActiveAlert::state, ActiveAlert::value)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("slow", AlertState.PENDING, 0.4),
                        org.assertj.core.groups.Tuple.tuple("very_slow", AlertState.FIRING, 0.4));
        ActiveAlert firing = m.activeAlerts().get(1);
        assertThat(firing.firedAt()).isEqualTo(FakeTime.START);
        assertThat(firing.lastNotifiedAt()).isEqualTo(FakeTime.START);
        assertThat(m.activeAlerts().get(0).firedAt()).isNull();
    }

    @Test
    void toMapSerializesToJsonWithSnakeCaseKeys() throws Exception {
        AlertManager m = manager(AlertRule.above("very_slow", LATENCY, 0.3, Severity.CRITICAL));
        m.evaluate(latency(0.4));

        String json = new ObjectMapper().writeValueAsString(m.toMap());
        var tree = new ObjectMapper().readTree(json);

        assertThat(tree.get("enabled").asBoolean()).isTrue();
        assertThat(tree.get("rules").get(0).get("comparison").asText()).isEqualTo("above");
        assertThat(tree.get("active").get(0).get("state").asText()).isEqualTo("firing");
        assertThat(tree.get("history").get(0).get("status").asText()).isEqualTo("firing");
        assertThat(tree.get("history").get(0).get("severity").asText()).isEqualTo("critical");
        assertThat(tree.get("channels").get(0).get("name").asText()).isEqualTo("callback");
        assertThat(tree.get("channels").get(0).get("sent").asLong()).isEqualTo(1);
    }

    // ---- rule set ----

    @Test
    void userRuleWithADefaultRulesNameReplacesIt() {
        AlertManager m = AlertManager.builder(config().build().alertSettings())
                .rule(AlertRule.above("high_latency", LATENCY, 2.0, Severity.ERROR)).build();

        assertThat(m.rules()).filteredOn(r -> r.name().equals("high_latency")).singleElement()
                .satisfies(r -> {
                    assertThat(r.threshold()).isEqualTo(2.0);
                    assertThat(r.severity()).isEqualTo(Severity.ERROR);
                });
        assertThat(m.rules()).hasSize(DefaultAlertRules.from(config().build().alertSettings()).size());
    }

    @Test
    void duplicateUserRuleNamesAreRejected() {
        AlertManager.Builder b = AlertManager.builder(config().build().alertSettings())
                .rule(AlertRule.above("x", LATENCY, 1, Severity.ERROR))
                .rule(AlertRule.above("x", LATENCY, 2, Severity.ERROR));

        assertThatThrownBy(b::build).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("duplicate alert rule name 'x'");
    }

    @Test
    void severityLevelsDropDefaultRulesOfDisabledSeveritiesAndRejectSuchUserRules() {
        AlertSettings criticalOnly = config().severityLevels(List.of("critical")).build().alertSettings();

        AlertManager m = AlertManager.builder(criticalOnly).build();

        assertThat(m.rules()).isNotEmpty().allSatisfy(r -> assertThat(r.severity()).isEqualTo(Severity.CRITICAL));
        assertThatThrownBy(() -> AlertManager.builder(criticalOnly)
                .rule(AlertRule.above("slow", LATENCY, 1, Severity.WARNING)).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("alert rule 'slow' has severity warning, which severity_levels [critical] does not enable");
    }

    @Test
    void stateOfUnknownRuleNamesIt() {
        AlertManager m = manager(AlertRule.above("slow", LATENCY, 0.1, Severity.ERROR));

        assertThatThrownBy(() -> m.state("nope")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no alert rule named 'nope'");
    }

    @Test
    void builderRejectsBadArgumentsNamingThem() {
        assertThatThrownBy(() -> AlertManager.builder(config().build().alertSettings()).historySize(0).build())
                .hasMessage("historySize must be at least 1, was 0");
        assertThatThrownBy(() -> AlertManager.builder(config().build().alertSettings())
                .noDataResolveAfter(Duration.ofSeconds(-1)).build())
                .hasMessage("noDataResolveAfter must not be negative, was PT-1S");
        assertThatThrownBy(() -> AlertManager.builder(config().build().alertSettings()).build().evaluate(0, null))
                .isInstanceOf(NullPointerException.class).hasMessage("metrics");
    }
}
