package dev.cmr.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cmr.model.DeviceAttributionOnOpenClTest.BadQueueAfter;
import dev.cmr.model.memory.MemoryConfig;
import dev.cmr.model.opencl.OpenClGpt2Model;
import dev.cmr.monitor.CmrPerformanceMonitor;
import dev.cmr.monitor.MonitorStats;
import dev.cmr.monitor.MonitoringConfig;
import dev.cmr.monitor.alert.AlertNotification;
import dev.cmr.monitor.alert.ChannelStats;
import dev.cmr.monitor.device.JournalSettings;
import dev.cmr.monitor.device.OpenClTimeline;
import dev.cmr.monitor.health.HealthReport;
import dev.cmr.monitor.health.HealthStatus;
import dev.cmr.monitor.record.Stage;
import dev.cmr.testing.Await;
import dev.cmr.testing.OpenClTestDevices;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two faults at once on the real OpenCL device: the queue handed to the device timeline goes bad mid-run (every mark
 * after the second pass fails inside clEnqueueMarkerWithWaitList) while the file alert channel cannot write (its
 * file was replaced by a directory after the monitor started). The model's results and records are untouched, the
 * device component turns RED, both failures are counted, and the alert still fires and reaches the other channel.
 */
class OpenClFailureWithFailingAlertChannelTest {
    private static final Gpt2Config CONFIG = new Gpt2Config(ByteTokenizer.VOCAB_SIZE, 64, 128, 4, 4, 1e-5);

    @TempDir
    Path dir;

    private static FullCmrModel cmrModel(Gpt2Backend backend) {
        MemoryConfig memory = MemoryConfig.builder().maxEntriesPerLayer(64).maxTotalEntries(128).build();
        return new FullCmrModel(backend, new CmrConfig(Set.of(1), Set.of(), memory));
    }

    private static int[] tokens(int pass) {
        int[] t = new int[16];
        for (int i = 0; i < t.length; i++) {
            t[i] = (pass * 31 + i * 7) % 256;
        }
        return t;
    }

    @Test
    void theModelIsUnaffectedTheDeviceTurnsRedBothFailuresAreCountedAndTheAlertStillFires() throws Exception {
        Path alertFile = dir.resolve("alerts.jsonl");
        MonitoringConfig config = MonitoringConfig.builder().metricCollectionInterval(3600)
                .enableResourceSampling(false).alertChannels(List.of("file", "callback")).alertFile(alertFile.toString())
                .build();
        OpenClGpt2Model backend = new OpenClGpt2Model(SeededInit.weights(CONFIG, 5), OpenClTestDevices.kernels());
        List<AlertNotification> received = new CopyOnWriteArrayList<>();
        try (FullCmrModel cmr = cmrModel(backend);
             OpenClTimeline real = OpenClTimeline.open(backend.queueHandle(), JournalSettings.defaults());
             CmrPerformanceMonitor monitor = new CmrPerformanceMonitor(config)) {
            monitor.alerts().addCallback(received::add);
            Files.deleteIfExists(alertFile);
            Files.createDirectory(alertFile); // the file channel's appends fail from now on, even for root
            backend.setDeviceTimeline(new BadQueueAfter(real, 2 * 4 * 2)); // two passes of 4 layers, start and end
            monitor.attachDeviceTimeline(real);
            cmr.attach(monitor);
            float[][] expected = null;
            float[][] actual = null;
            try (FullCmrModel unmonitored = cmrModel(
                    new OpenClGpt2Model(SeededInit.weights(CONFIG, 5), OpenClTestDevices.kernels()))) {
                for (int pass = 0; pass < 5; pass++) { // passes 2 to 4 hand the journal an invalid queue
                    expected = unmonitored.forward(tokens(pass));
                    actual = cmr.forward(tokens(pass));
                }
            }

            assertThat(actual).as("the model's output").isDeepEqualTo(expected);
            Await.until(Duration.ofSeconds(60), () -> monitor.getStats().device().layerTimes() >= 8);
            MonitorStats stats = monitor.getStats();
            assertThat(stats.totalForwards()).isEqualTo(5);
            assertThat(stats.timing(Stage.LAYER).perLayer().get(0).count()).as("host records").isEqualTo(5);
            assertThat(stats.device().failedMarks()).as("failed device marks").isEqualTo(3L * 4 * 2);

            monitor.collectInterval();
            HealthReport health = monitor.evaluateHealth();
            assertThat(health.component("device").status()).isEqualTo(HealthStatus.RED);
            assertThat(monitor.alerts().activeAlerts()).extracting(a -> a.rule().name())
                    .contains("device_health_critical");
            Await.until(Duration.ofSeconds(30), () -> received.stream()
                    .anyMatch(n -> n.ruleName().equals("device_health_critical")));
            Await.until(Duration.ofSeconds(30), () -> fileChannel(monitor).failed() > 0);
            assertThat(fileChannel(monitor).sent()).isZero();
            assertThat(fileChannel(monitor).lastError()).isNotBlank();
            Await.until(Duration.ofSeconds(30),
                    () -> monitor.getStats().errorsByComponent().containsKey("alert_channel:file"));
            assertThat(monitor.getStats().totalForwards()).as("records after the failures").isEqualTo(5);
        }
    }

    private static ChannelStats fileChannel(CmrPerformanceMonitor monitor) {
        return monitor.alerts().channelStats().stream().filter(c -> c.name().equals("file")).findFirst()
                .orElseThrow();
    }
}
