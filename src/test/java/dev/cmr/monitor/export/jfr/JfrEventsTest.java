package dev.cmr.monitor.export.jfr;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cmr.monitor.CmrPerformanceMonitor;
import dev.cmr.monitor.MonitoringConfig;
import dev.cmr.monitor.ProfileBlock;
import dev.cmr.monitor.record.Stage;
import dev.cmr.monitor.store.IntervalSnapshot;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import jdk.jfr.EventType;
import jdk.jfr.FlightRecorder;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The monitor's JFR events, read back from a real recording file. */
class JfrEventsTest {
    private static final MonitoringConfig CONFIG = MonitoringConfig.builder().metricCollectionInterval(3600)
            .enableResourceSampling(false).alertChannels(List.of("callback")).build();
    private static final List<String> ALL = List.of(JfrEvents.INTERVAL, JfrEvents.HEALTH_STATUS_CHANGE,
            JfrEvents.ALERT, JfrEvents.LAYER_SPAN);

    @TempDir
    Path dir;

    @Test
    void aRecordingThatEnablesTheEventsGetsIntervalsHealthChangesAlertsAndLayerSpans() throws IOException {
        Path file = dir.resolve("cmr.jfr");
        IntervalSnapshot interval;
        long traceStart;
        try (Recording recording = new Recording();
             CmrPerformanceMonitor monitor = new CmrPerformanceMonitor(CONFIG);
             JfrEvents events = JfrEvents.attach(monitor)) {
            ALL.forEach(recording::enable);
            recording.start();

            for (int i = 0; i < 10; i++) {
                monitor.recordForward(1_000_000L);
                monitor.recordLayer(0, 200_000L + i);
            }
            for (int i = 0; i < 5; i++) {
                monitor.recordError("retrieval", new IllegalStateException("index gone"));
            }
            interval = monitor.collectInterval();
            monitor.evaluateHealth(); // error rate far above the critical cut-off: RED and a critical alert

            monitor.enableProfiling();
            traceStart = System.nanoTime();
            try (ProfileBlock block = monitor.profileExecution("forward")) {
                monitor.recordLayerSpan(3, traceStart, traceStart + 5_000);
                monitor.recordSyncWaitSpan(3, traceStart + 1_000, traceStart + 3_000);
            }
            try (ProfileBlock block = monitor.profileExecution("plain")) {
                monitor.recordLayer(1, 7_000L);
                monitor.recordSyncWait(1, 2_000L);
            }
            recording.stop();
            recording.dump(file);
            assertThat(events.eventsBuilt()).isPositive();
        }

        List<RecordedEvent> read = RecordingFile.readAllEvents(file);

        RecordedEvent i = single(read, JfrEvents.INTERVAL);
        assertThat(i.getLong("forwardCount")).isEqualTo(10);
        assertThat(i.getLong("layerCount")).isEqualTo(10);
        assertThat(i.getLong("layerP99")).isEqualTo(interval.layer().p99Nanos()).isGreaterThanOrEqualTo(200_000L);
        assertThat(i.getLong("forwardP99")).isEqualTo(interval.forward().p99Nanos());
        assertThat(i.getLong("captureCount")).isZero();
        assertThat(i.getLong("errors")).isEqualTo(5);
        assertThat(i.getLong("intervalStart")).isEqualTo(interval.startEpochMillis());
        assertThat(i.getEventType().getCategoryNames()).containsExactly("CMR Monitor");

        List<RecordedEvent> health = of(read, JfrEvents.HEALTH_STATUS_CHANGE);
        assertThat(health).anySatisfy(e -> {
            assertThat(e.getString("component")).isEqualTo("system");
            assertThat(e.getString("previousStatus")).isNull();
            assertThat(e.getString("status")).isEqualTo("RED");
        });
        assertThat(health).anySatisfy(e -> {
            assertThat(e.getString("status")).isEqualTo("RED");
            assertThat(e.getString("decidedBy")).isNotNull();
            assertThat(e.getInt("score")).isBetween(0, 100);
        });

        assertThat(of(read, JfrEvents.ALERT)).anySatisfy(e -> {
            assertThat(e.getString("status")).isEqualTo("firing");
            assertThat(e.getString("metric")).isEqualTo("system.error_rate");
            assertThat(e.getString("severity")).isEqualTo("critical");
            assertThat(e.getDouble("value")).isGreaterThan(0.2);
            assertThat(e.getString("message")).contains("system.error_rate");
        });

        List<RecordedEvent> spans = of(read, JfrEvents.LAYER_SPAN);
        assertThat(spans).hasSize(2);
        RecordedEvent traced = spans.stream().filter(e -> e.getString("block").equals("forward")).findFirst()
                .orElseThrow();
        assertThat(traced.getString("form")).isEqualTo("trace");
        assertThat(traced.getInt("layer")).isEqualTo(3);
        assertThat(traced.getLong("startNanoTime")).isEqualTo(traceStart);
        assertThat(traced.getLong("hostDuration")).isEqualTo(5_000);
        assertThat(traced.getLong("syncWaitDuration")).isEqualTo(2_000);
        assertThat(traced.getLong("deviceDuration")).isEqualTo(-1);
        assertThat(traced.getThread().getJavaName()).isEqualTo(Thread.currentThread().getName());
        RecordedEvent plain = spans.stream().filter(e -> e.getString("block").equals("plain")).findFirst()
                .orElseThrow();
        assertThat(plain.getString("form")).isEqualTo("durations");
        assertThat(plain.getInt("layer")).isEqualTo(1);
        assertThat(plain.getLong("startNanoTime")).isEqualTo(-1);
        assertThat(plain.getLong("hostDuration")).isEqualTo(7_000);
        assertThat(plain.getLong("syncWaitDuration")).isEqualTo(2_000);
    }

    @Test
    void withoutARecordingThatEnablesThemNothingIsBuiltOrRecorded() throws IOException {
        Path file = dir.resolve("other.jfr");
        try (Recording recording = new Recording();
             CmrPerformanceMonitor monitor = new CmrPerformanceMonitor(CONFIG);
             JfrEvents events = JfrEvents.attach(monitor)) {
            recording.enable("jdk.ThreadSleep"); // a recording runs, but asks for none of ours
            recording.start();
            monitor.recordForward(1_000_000L);
            monitor.recordError("retrieval", new IllegalStateException("index gone"));
            monitor.collectInterval();
            monitor.evaluateHealth();
            monitor.enableProfiling();
            try (ProfileBlock block = monitor.profileExecution("forward")) {
                monitor.recordLayer(0, 1_000L);
            }
            recording.stop();
            recording.dump(file);

            assertThat(events.eventsBuilt()).isZero();
        }
        Set<String> names = RecordingFile.readAllEvents(file).stream().map(e -> e.getEventType().getName())
                .collect(Collectors.toSet());
        assertThat(names).doesNotContainAnyElementsOf(ALL);
    }

    @Test
    void theEventTypesAreRegisteredUnderStableNamesAndOffByDefault() {
        try (CmrPerformanceMonitor monitor = new CmrPerformanceMonitor(CONFIG);
             JfrEvents events = JfrEvents.attach(monitor)) {
            List<EventType> ours = FlightRecorder.getFlightRecorder().getEventTypes().stream()
                    .filter(t -> t.getName().startsWith("dev.cmr.")).toList();
            assertThat(ours).extracting(EventType::getName).containsExactlyInAnyOrderElementsOf(ALL);
            assertThat(ours).allSatisfy(t -> {
                assertThat(t.getCategoryNames()).startsWith("CMR Monitor");
                assertThat(t.isEnabled()).isFalse();
            });
        }
    }

    @Test
    void theIntervalEventHasACountAndAP99FieldForEveryTimedStage() {
        EventType type = EventType.getEventType(IntervalEvent.class);
        for (Stage stage : Stage.timedStages()) {
            String field = camel(stage.key());
            assertThat(type.getField(field + "Count")).as(stage.key()).isNotNull();
            assertThat(type.getField(field + "P99")).as(stage.key()).isNotNull();
        }
    }

    private static String camel(String key) {
        StringBuilder b = new StringBuilder();
        boolean upper = false;
        for (char c : key.toCharArray()) {
            if (c == '_') {
                upper = true;
            } else {
                b.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return b.toString();
    }

    private static List<RecordedEvent> of(List<RecordedEvent> events, String name) {
        return events.stream().filter(e -> e.getEventType().getName().equals(name)).toList();
    }

    private static RecordedEvent single(List<RecordedEvent> events, String name) {
        List<RecordedEvent> found = of(events, name);
        assertThat(found).as(name).hasSize(1);
        return found.get(0);
    }
}
