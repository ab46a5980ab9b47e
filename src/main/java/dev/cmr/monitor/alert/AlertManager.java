package dev.cmr.monitor.alert;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * Turns metric values into alert notifications with Prometheus / Alertmanager semantics. The health loop calls
 * {@link #evaluate(long, Map)} with the metrics of one health check ({@code <component>.<name>} to value); each
 * rule runs the state machine of {@link RuleTracker} and the manager decides what the channels hear:
 * <ol>
 *   <li><b>Escalation.</b> A rule fires once its condition has held at every evaluation for the severity's
 *       {@code escalation_rules} delay (or the rule's own hold time), measured from the first evaluation at which
 *       it held. A condition that clears before then starts over, so one toggling faster than the delay never
 *       fires.</li>
 *   <li><b>Repeat interval.</b> A firing alert notifies when it fires, then again at the first evaluation at
 *       least {@code alert_cooldown} after its last notification, never more often.</li>
 *   <li><b>Resolved notices.</b> When a firing alert's condition clears, receivers that were told it fired are
 *       told it resolved. A fresh firing after that is a new episode and notifies at once.</li>
 *   <li><b>Inhibition.</b> While a critical alert fires on a component, firing notifications of warning alerts on
 *       the same component are withheld (counted in {@link #inhibitedNotifications()}); their state is still
 *       tracked. When the critical stops firing, a still-firing warning that was never announced notifies at the
 *       next evaluation. A warning announced before the inhibition started still gets its resolved notice, so no
 *       receiver keeps a stale alert; one that fired and resolved entirely while inhibited sends nothing.</li>
 *   <li><b>No data.</b> A metric missing from the map, or NaN, is no data: the condition does not hold. It breaks
 *       a pending hold quietly; a firing alert keeps firing, without repeats, until data returns or the gap lasts
 *       {@code noDataResolveAfter} (default 5 minutes), when it resolves once with reason {@code no_data}. So a
 *       missed health check neither resolves nor re-fires an alert.</li>
 *   <li><b>Disabled.</b> With {@code enable_alerts} false, {@link #evaluate} does nothing and returns no
 *       notifications; rules are still checked when the manager is built.</li>
 * </ol>
 * Threading: evaluations are serialized; channels run on the evaluating thread after the state has been updated,
 * outside the lock that guards it, so {@link #activeAlerts()}, {@link #history()} and the other readers may be
 * called from any thread and never wait for channel I/O. Time: {@code nowNanos} is monotonic (System.nanoTime by
 * default); a value earlier than the previous evaluation's is treated as the previous one. The wall clock only
 * labels notifications.
 *
 * <p>Construction: the rules come from {@link DefaultAlertRules} and the settings, assembled by {@code AlertRules};
 * the channels named in {@code alert_channels} are built by {@code AlertChannels}. Both run in {@link Builder#build()},
 * so a bad rule or channel fails there.
 */
public final class AlertManager {
    private final boolean enabled;
    private final List<String> configuredChannels;
    private final List<RuleTracker> trackers;
    private final long cooldownNanos;
    private final LongSupplier nanoClock;
    private final Clock wallClock;
    private final int historySize;
    private final ChannelDispatcher dispatcher;
    private final List<Consumer<AlertNotification>> listeners = new CopyOnWriteArrayList<>();
    private final AtomicLong listenerFailures = new AtomicLong();

    private final Object evaluationLock = new Object();
    private final Object stateLock = new Object();
    // Guarded by stateLock.
    private final ArrayDeque<AlertNotification> history = new ArrayDeque<>();
    private long lastNowNanos = Long.MIN_VALUE;
    private long inhibited;
    private int callbacks;

    private AlertManager(Builder b) {
        AlertSettings settings = b.settings;
        enabled = settings.enableAlerts();
        configuredChannels = settings.alertChannels();
        cooldownNanos = secondsToNanos(settings.alertCooldownSeconds());
        nanoClock = b.nanoClock;
        wallClock = b.wallClock;
        historySize = b.historySize;
        dispatcher = new ChannelDispatcher(b.channelFailures);
        long noDataResolveNanos = b.noDataResolveAfter.toNanos();
        List<AlertRule> defaults = b.defaultRules ? DefaultAlertRules.from(settings, b.healthWarningBelow,
                b.healthCriticalBelow) : List.of();
        List<RuleTracker> list = new ArrayList<>();
        for (AlertRule rule : AlertRules.assemble(settings, defaults, b.userRules)) {
            long delay = rule.forDurationOverride().map(Duration::toNanos)
                    .orElseGet(() -> secondsToNanos(settings.escalationRules().getOrDefault(
                            rule.severity().configName(), rule.severity().defaultDelaySeconds())));
            list.add(new RuleTracker(rule, delay, noDataResolveNanos));
        }
        trackers = List.copyOf(list);
        if (enabled) {
            AlertChannels.configured(configuredChannels, b.console, b.logger,
                    b.alertFile != null ? Optional.of(b.alertFile) : settings.alertFile()).forEach(dispatcher::add);
            b.callbacks.forEach(this::addCallback);
            b.extraChannels.forEach(dispatcher::add);
        }
    }

    /** A builder for the alerting part of a configuration; see {@code MonitoringConfig.alertSettings()}. */
    public static Builder builder(AlertSettings settings) {
        return new Builder(settings);
    }

    /** Evaluates every rule at the current time of the manager's clock; see {@link #evaluate(long, Map)}. */
    public List<AlertNotification> evaluate(Map<String, Double> metrics) {
        return evaluate(nanoClock.getAsLong(), metrics);
    }

    /**
     * Evaluates every rule against one health check's metrics, sends the resulting notifications to the channels
     * and returns them (inhibited ones are neither sent nor returned).
     *
     * @param nowNanos monotonic time of this evaluation in nanoseconds
     * @param metrics  metric name to value; a missing name or NaN (or a null value) is no data
     */
    public List<AlertNotification> evaluate(long nowNanos, Map<String, Double> metrics) {
        Objects.requireNonNull(metrics, "metrics");
        if (!enabled) {
            return List.of();
        }
        synchronized (evaluationLock) {
            List<AlertNotification> out = new ArrayList<>();
            synchronized (stateLock) {
                long now = Math.max(nowNanos, lastNowNanos);
                lastNowNanos = now;
                Instant wall = wallClock.instant();
                RuleTracker.Step[] steps = new RuleTracker.Step[trackers.size()];
                for (int i = 0; i < steps.length; i++) {
                    RuleTracker t = trackers.get(i);
                    steps[i] = t.advance(now, wall, valueOf(metrics, t.rule.metric()));
                }
                // Decided after every rule has advanced, so a critical and a warning that fire in the same
                // evaluation are ordered the same way whichever rule comes first.
                Set<String> criticalComponents = firingCriticalComponents();
                for (int i = 0; i < steps.length; i++) {
                    RuleTracker t = trackers.get(i);
                    switch (steps[i]) {
                        case FIRED, STILL_FIRING -> {
                            if (t.firingNotificationDue(now, cooldownNanos)) {
                                if (isInhibited(t.rule, criticalComponents)) {
                                    inhibited++;
                                } else {
                                    out.add(t.firingNotification(now, wall));
                                }
                            }
                        }
                        case RESOLVED -> {
                            AlertNotification resolved = t.endEpisode(wall);
                            if (resolved != null) {
                                out.add(resolved);
                            }
                        }
                        case QUIET, FIRING_WITHOUT_DATA -> {
                        }
                    }
                }
                for (AlertNotification n : out) {
                    if (history.size() == historySize) {
                        history.removeFirst();
                    }
                    history.addLast(n);
                }
            }
            for (AlertNotification n : out) {
                dispatcher.send(n);
                notifyListeners(n);
            }
            return List.copyOf(out);
        }
    }

    private static double valueOf(Map<String, Double> metrics, String metric) {
        Double v = metrics.get(metric);
        return v == null ? Double.NaN : v;
    }

    private Set<String> firingCriticalComponents() {
        Set<String> components = new HashSet<>();
        for (RuleTracker t : trackers) {
            if (t.rule.severity() == Severity.CRITICAL && t.state() == AlertState.FIRING) {
                components.add(t.rule.component());
            }
        }
        return components;
    }

    private static boolean isInhibited(AlertRule rule, Set<String> criticalComponents) {
        return rule.severity() == Severity.WARNING && criticalComponents.contains(rule.component());
    }

    /**
     * Adds a callback channel. Requires {@code "callback"} in {@code alert_channels}: registering a callback that
     * the configuration switched off would silently never run. With alerts disabled the callback is accepted and
     * never called.
     */
    public void addCallback(Consumer<AlertNotification> callback) {
        Objects.requireNonNull(callback, "callback");
        AlertChannels.requireCallbackChannel(configuredChannels);
        if (!enabled) {
            return;
        }
        synchronized (stateLock) {
            callbacks++;
            dispatcher.add(AlertChannels.callback(callbacks, callback));
        }
    }

    /**
     * Observes every notification sent, whatever {@code alert_channels} says: for exporters (JFR events, server-sent
     * events) that watch alerts without being a configured channel. Called on the evaluating thread after the
     * channels, in evaluation order; not listed in {@link #channelStats()}. A listener that throws anything but a
     * {@link VirtualMachineError} is counted in {@link #listenerFailures()} and the others still run. With alerts
     * disabled nothing is ever sent, so listeners are never called.
     */
    public void addListener(Consumer<AlertNotification> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    public boolean removeListener(Consumer<AlertNotification> listener) {
        return listeners.remove(listener);
    }

    /** Notifications a {@link #addListener listener} threw on, over all listeners. */
    public long listenerFailures() {
        return listenerFailures.get();
    }

    private void notifyListeners(AlertNotification n) {
        for (Consumer<AlertNotification> listener : listeners) {
            try {
                listener.accept(n);
            } catch (VirtualMachineError e) {
                throw e;
            } catch (Throwable t) {
                listenerFailures.incrementAndGet();
            }
        }
    }

    public boolean enabled() {
        return enabled;
    }

    /** The rules in evaluation order: the default rules kept, then the user rules. */
    public List<AlertRule> rules() {
        return trackers.stream().map(t -> t.rule).toList();
    }

    /** The state of the rule with this name after the last evaluation. */
    public AlertState state(String ruleName) {
        synchronized (stateLock) {
            for (RuleTracker t : trackers) {
                if (t.rule.name().equals(ruleName)) {
                    return t.state();
                }
            }
        }
        throw new IllegalArgumentException("no alert rule named '" + ruleName + "'");
    }

    /**
     * How long the named rule's condition must hold before its alert fires: the rule's own hold time, else its
     * severity's {@code escalation_rules} delay, else that severity's default delay. Fixed at build time.
     */
    public Duration holdTime(String ruleName) {
        for (RuleTracker t : trackers) {
            if (t.rule.name().equals(ruleName)) {
                return Duration.ofNanos(t.delayNanos);
            }
        }
        throw new IllegalArgumentException("no alert rule named '" + ruleName + "'");
    }

    /** Pending and firing alerts, in rule order. */
    public List<ActiveAlert> activeAlerts() {
        synchronized (stateLock) {
            Set<String> criticalComponents = firingCriticalComponents();
            List<ActiveAlert> out = new ArrayList<>();
            for (RuleTracker t : trackers) {
                if (t.state() == AlertState.PENDING || t.state() == AlertState.FIRING) {
                    out.add(t.snapshot(t.state() == AlertState.FIRING
                            && isInhibited(t.rule, criticalComponents)));
                }
            }
            return List.copyOf(out);
        }
    }

    /** The last notifications sent, oldest first, at most the history size. */
    public List<AlertNotification> history() {
        synchronized (stateLock) {
            return List.copyOf(history);
        }
    }

    /** Firing notifications withheld by inhibition so far. */
    public long inhibitedNotifications() {
        synchronized (stateLock) {
            return inhibited;
        }
    }

    public List<ChannelStats> channelStats() {
        return dispatcher.stats();
    }

    /** Rules, active alerts, history, channel counts and the inhibited count as a JSON-ready map. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("enabled", enabled);
        m.put("rules", rules().stream().map(AlertRule::toMap).toList());
        m.put("active", activeAlerts().stream().map(ActiveAlert::toMap).toList());
        m.put("history", history().stream().map(AlertNotification::toMap).toList());
        m.put("channels", channelStats().stream().map(ChannelStats::toMap).toList());
        m.put("inhibited_notifications", inhibitedNotifications());
        return m;
    }

    private static long secondsToNanos(double seconds) {
        return Math.round(seconds * 1e9);
    }

    /** Builder; {@link #build()} checks every argument and fails with a message naming it. */
    public static final class Builder {
        private final AlertSettings settings;
        private final List<AlertRule> userRules = new ArrayList<>();
        private final List<Consumer<AlertNotification>> callbacks = new ArrayList<>();
        private final List<AlertChannel> extraChannels = new ArrayList<>();
        private BiConsumer<String, Throwable> channelFailures = (channel, failure) -> { };
        private boolean defaultRules = true;
        private double healthWarningBelow = DefaultAlertRules.HEALTH_WARNING_BELOW;
        private double healthCriticalBelow = DefaultAlertRules.HEALTH_CRITICAL_BELOW;
        private LongSupplier nanoClock = System::nanoTime;
        private Clock wallClock = Clock.systemUTC();
        private PrintStream console = System.out;
        private Logger logger;
        private Path alertFile;
        private int historySize;
        private Duration noDataResolveAfter = Duration.ofMinutes(5);

        private Builder(AlertSettings settings) {
            this.settings = Objects.requireNonNull(settings, "settings");
            historySize = settings.maxHistorySize();
        }

        /** Adds a user rule; one named like a default rule replaces that default. */
        public Builder rule(AlertRule rule) {
            userRules.add(Objects.requireNonNull(rule, "rule"));
            return this;
        }

        public Builder rules(Collection<AlertRule> rules) {
            rules.forEach(this::rule);
            return this;
        }

        /** Leaves out {@link DefaultAlertRules}: only user rules are evaluated. */
        public Builder withoutDefaultRules() {
            defaultRules = false;
            return this;
        }

        /**
         * Health-score cut-offs of the default rules: a score below {@code warningBelow} alerts as a warning, below
         * {@code criticalBelow} as critical. The monitor passes the lowest GREEN and YELLOW scores of its health
         * statuses; {@link DefaultAlertRules#HEALTH_WARNING_BELOW} and {@code HEALTH_CRITICAL_BELOW} by default.
         */
        public Builder healthCutoffs(double warningBelow, double criticalBelow) {
            healthWarningBelow = warningBelow;
            healthCriticalBelow = criticalBelow;
            return this;
        }

        /** Monotonic nanoseconds for {@link AlertManager#evaluate(Map)}; System.nanoTime by default. */
        public Builder nanoClock(LongSupplier nanos) {
            nanoClock = Objects.requireNonNull(nanos, "nanoClock");
            return this;
        }

        /** Labels notifications with wall-clock time; UTC system clock by default. */
        public Builder wallClock(Clock clock) {
            wallClock = Objects.requireNonNull(clock, "wallClock");
            return this;
        }

        /** Where the console channel prints; System.out by default. */
        public Builder console(PrintStream out) {
            console = Objects.requireNonNull(out, "console");
            return this;
        }

        /** The log channel's logger; {@code dev.cmr.monitor.alert.AlertManager} by default. */
        public Builder logger(Logger logger) {
            this.logger = Objects.requireNonNull(logger, "logger");
            return this;
        }

        /** The file channel's file; overrides {@code alert_file}. */
        public Builder alertFile(Path file) {
            alertFile = Objects.requireNonNull(file, "alertFile");
            return this;
        }

        /** A callback channel; requires {@code "callback"} in {@code alert_channels}. */
        public Builder callback(Consumer<AlertNotification> callback) {
            callbacks.add(Objects.requireNonNull(callback, "callback"));
            return this;
        }

        /** A further channel, used whatever {@code alert_channels} says (e.g. a dashboard feed). */
        public Builder channel(AlertChannel channel) {
            extraChannels.add(Objects.requireNonNull(channel, "channel"));
            return this;
        }

        /**
         * Told of every failed send, with the channel's name, on the evaluating thread, besides
         * {@link AlertManager#channelStats()}; it must not throw. Nothing by default.
         */
        public Builder channelFailures(BiConsumer<String, Throwable> sink) {
            channelFailures = Objects.requireNonNull(sink, "channelFailures");
            return this;
        }

        /** How many notifications {@link AlertManager#history()} keeps; {@code max_history_size} by default. */
        public Builder historySize(int notifications) {
            historySize = notifications;
            return this;
        }

        /** How long a firing alert's metric may have no data before the alert resolves; 5 minutes by default. */
        public Builder noDataResolveAfter(Duration gap) {
            noDataResolveAfter = Objects.requireNonNull(gap, "noDataResolveAfter");
            return this;
        }

        public AlertManager build() {
            if (historySize < 1) {
                throw new IllegalArgumentException("historySize must be at least 1, was " + historySize);
            }
            if (noDataResolveAfter.isNegative()) {
                throw new IllegalArgumentException("noDataResolveAfter must not be negative, was "
                        + noDataResolveAfter);
            }
            if (!callbacks.isEmpty()) {
                AlertChannels.requireCallbackChannel(settings.alertChannels());
            }
            return new AlertManager(this);
        }
    }
}
