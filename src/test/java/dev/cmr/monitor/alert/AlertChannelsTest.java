package dev.cmr.monitor.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cmr.monitor.MonitoringConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** Each real channel, and the manager's handling of failing channels. */
class AlertChannelsTest {
    private static final String LATENCY = "system.p99_latency_seconds";
    private static final AlertRule CRITICAL = AlertRule.above("very_slow", LATENCY, 0.3, Severity.CRITICAL);
    private static final AlertRule WARNING = AlertRule.above("slow", LATENCY, 0.1, Severity.WARNING);
    private static final Instant T = Instant.parse("2025-01-01T00:00:00Z");

    private static AlertNotification notification(AlertNotification.Status status, AlertRule rule) {
        return new AlertNotification(status, rule, 0.5, T, T, 0,
                status == AlertNotification.Status.FIRING ? "condition_holds" : "condition_cleared");
    }

    @Test
    void consoleChannelPrintsOneLineWithTheMessage() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ConsoleChannel console = new ConsoleChannel(new PrintStream(bytes, true, StandardCharsets.UTF_8));

        console.send(notification(AlertNotification.Status.FIRING, CRITICAL));

        assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo("[cmr-monitor alert 2025-01-01T00:00:00Z] "
                + "FIRING critical very_slow: system.p99_latency_seconds = 0.5 (above 0.3)" + System.lineSeparator());
    }

    @Test
    void consoleChannelTurnsAHiddenStreamErrorIntoAFailure() {
        OutputStream broken = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("closed");
            }
        };
        ConsoleChannel console = new ConsoleChannel(new PrintStream(broken, true, StandardCharsets.UTF_8));

        assertThatThrownBy(() -> console.send(notification(AlertNotification.Status.FIRING, CRITICAL)))
                .isInstanceOf(IOException.class).hasMessage("console stream reported an error");
    }

    @Test
    void logChannelLogsThroughSlf4jAtALevelThatFollowsSeverityAndStatus() throws Exception {
        // slf4j-simple (test scope) looks System.err up on every call, so swapping it captures the real output.
        PrintStream original = System.err;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setErr(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            LogChannel log = new LogChannel(LoggerFactory.getLogger("dev.cmr.test.alerts"));
            log.send(notification(AlertNotification.Status.FIRING, CRITICAL));
            log.send(notification(AlertNotification.Status.FIRING, WARNING));
            log.send(notification(AlertNotification.Status.RESOLVED, WARNING));
        } finally {
            System.setErr(original);
        }

        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).contains("ERROR dev.cmr.test.alerts", "alert_rule=very_slow",
                "FIRING critical very_slow");
        assertThat(lines.get(1)).contains("WARN dev.cmr.test.alerts", "FIRING warning slow");
        assertThat(lines.get(2)).contains("INFO dev.cmr.test.alerts", "RESOLVED warning slow");
    }

    @Test
    void failingChannelIsCountedWhileEveryOtherChannelStillReceives(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("alerts.jsonl");
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        List<AlertNotification> received = new ArrayList<>();
        AlertSettings config = MonitoringConfig.builder()
                .alertChannels(List.of("console", "file", "callback")).alertFile(file).build().alertSettings();
        FakeTime time = new FakeTime();
        AlertManager m = AlertManager.builder(config).withoutDefaultRules().rule(CRITICAL)
                .nanoClock(time).wallClock(time.wall())
                .console(new PrintStream(console, true, StandardCharsets.UTF_8))
                .callback(n -> {
                    throw new IllegalStateException("receiver down");
                })
                .callback(received::add)
                .build();

        List<AlertNotification> sent = m.evaluate(Map.of(LATENCY, 0.5));

        assertThat(sent).hasSize(1);
        assertThat(received).isEqualTo(sent);
        assertThat(console.toString(StandardCharsets.UTF_8)).contains("FIRING critical very_slow");
        assertThat(Files.readAllLines(file)).hasSize(1);
        assertThat(m.channelStats()).containsExactly(
                new ChannelStats("console", 1, 0, null),
                new ChannelStats("file", 1, 0, null),
                new ChannelStats("callback", 0, 1, "java.lang.IllegalStateException: receiver down"),
                new ChannelStats("callback-2", 1, 0, null));
    }

    @Test
    void fileChannelIoFailureIsCountedAndMonitoringCarriesOn(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("alerts.jsonl");
        List<AlertNotification> received = new ArrayList<>();
        AlertSettings config = MonitoringConfig.builder().alertChannels(List.of("file", "callback"))
                .alertCooldown(0).build().alertSettings();
        FakeTime time = new FakeTime();
        AlertManager m = AlertManager.builder(config).withoutDefaultRules().rule(CRITICAL).alertFile(file)
                .nanoClock(time).wallClock(time.wall()).callback(received::add).build();
        Files.delete(file); // created empty at construction
        Files.createDirectory(file); // the file's place is taken: every write fails

        m.evaluate(Map.of(LATENCY, 0.5));
        time.advanceSeconds(1);
        m.evaluate(Map.of(LATENCY, 0.5));

        assertThat(received).hasSize(2);
        ChannelStats fileStats = m.channelStats().get(0);
        assertThat(fileStats.name()).isEqualTo("file");
        assertThat(fileStats.sent()).isZero();
        assertThat(fileStats.failed()).isEqualTo(2);
        assertThat(fileStats.lastError()).startsWith("java.nio.file.FileSystemException");
        assertThat(new ObjectMapper().writeValueAsString(m.toMap())).contains("\"failed\":2");
    }

    @Test
    void callbackAddedAtRuntimeReceivesLaterNotifications() {
        FakeTime time = new FakeTime();
        AlertSettings callbackOnly = MonitoringConfig.builder().alertChannels(List.of("callback")).build()
                .alertSettings();
        AlertManager m = AlertManager.builder(callbackOnly)
                .withoutDefaultRules().rule(CRITICAL).nanoClock(time).wallClock(time.wall()).build();
        List<AlertNotification> received = new ArrayList<>();

        m.addCallback(received::add);
        m.evaluate(Map.of(LATENCY, 0.5));

        assertThat(received).extracting(AlertNotification::ruleName).containsExactly("very_slow");
    }

    @Test
    void callbackWithoutTheCallbackChannelFailsFast() {
        AlertSettings consoleOnly = MonitoringConfig.defaults().alertSettings();
        String message = "the callback alert channel is not enabled: add \"callback\" to alert_channels, "
                + "was [console]";

        assertThatThrownBy(() -> AlertManager.builder(consoleOnly).callback(n -> { }).build())
                .isInstanceOf(IllegalStateException.class).hasMessage(message);
        assertThatThrownBy(() -> AlertManager.builder(consoleOnly).build().addCallback(n -> { }))
                .isInstanceOf(IllegalStateException.class).hasMessage(message);
    }

    @Test
    void channelsAreBuiltByNameInTheConfiguredOrderAndCallbackBuildsNone(@TempDir Path dir) {
        List<AlertChannel> channels = AlertChannels.configured(List.of("file", "callback", "log", "console"),
                System.out, null, Optional.of(dir.resolve("alerts.jsonl")));

        assertThat(channels).extracting(AlertChannel::name).containsExactly("file", "log", "console");
        assertThat(channels).extracting(Object::getClass).containsExactly(JsonLinesFileChannel.class,
                LogChannel.class, ConsoleChannel.class);
    }

    @Test
    void callbackChannelsAreNumberedFromTheSecond() {
        assertThat(AlertChannels.callback(1, n -> { }).name()).isEqualTo("callback");
        assertThat(AlertChannels.callback(2, n -> { }).name()).isEqualTo("callback-2");
    }

    @Test
    void unknownChannelNameIsAStartupError() {
        assertThatThrownBy(() -> AlertChannels.configured(List.of("pager"), System.out, null,
                Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("unknown alert channel \"pager\"");
    }

    @Test
    void fileChannelWithoutAPathIsAStartupError() {
        AlertSettings config = MonitoringConfig.builder().alertChannels(List.of("file")).build().alertSettings();

        assertThatThrownBy(() -> AlertManager.builder(config).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("alert_channels contains \"file\" but no alert file is set: set alert_file in the "
                        + "configuration or call Builder.alertFile");
    }

    @Test
    void fileChannelUsesAlertFileFromTheConfiguration(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("logs/alerts.jsonl");
        MonitoringConfig config = MonitoringConfig.fromJson("{\"alert_channels\": [\"file\"], \"alert_file\": "
                + new ObjectMapper().writeValueAsString(file.toString()) + "}");
        AlertManager m = AlertManager.builder(config.alertSettings()).withoutDefaultRules().rule(CRITICAL).build();

        m.evaluate(Map.of(LATENCY, 0.5));

        assertThat(Files.readAllLines(file)).singleElement()
                .satisfies(line -> assertThat(new ObjectMapper().readTree(line).get("rule").asText())
                        .isEqualTo("very_slow"));
    }
}
