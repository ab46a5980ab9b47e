package dev.cmr.monitor.profile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cmr.monitor.record.Stage;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** bottlenecks.html as text: self-contained, escaped, with its four parts; and the per-layer time split. */
class BottleneckHtmlTest {
    private static final double MS = ReportFixtures.MS;

    @Test
    void fetchesNothing() {
        String html = BottleneckHtml.render(ReportFixtures.openClStyle("generate"));

        assertThat(html.toLowerCase()).doesNotContain("http:", "https:", "<script", "<link", "@import", "url(",
                "src=", "href=");
    }

    @Test
    void hasTheLayerBarsTheTimelineTheVerdictsAndTheResourceCurves() {
        String html = BottleneckHtml.render(ReportFixtures.openClStyle("generate"));

        assertThat(html).contains("<svg class=\"layer-bars\"", "<svg class=\"timeline\"", "<h3>Verdicts</h3>",
                "<svg class=\"resource\"", "device queue 0", "host thread 7", "nvml0.gpu_utilization_percent");
        assertThat(html.split("<svg class=\"resource\"", -1)).hasSize(3); // CPU and GPU utilization
    }

    @Test
    void escapesEveryNameAndReason() {
        String name = "<script>alert('x')</script> & \"q\"";
        String html = BottleneckHtml.render(ReportFixtures.openClStyle(name));

        assertThat(html).doesNotContain("<script>", "alert('x')")
                .contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;");
    }

    @Test
    void aProfileWithoutTimestampsSaysThereIsNoTimeline() {
        String html = BottleneckHtml.render(ProfileResultsJsonTest.sample());

        assertThat(html).contains("No pass had timestamps", "Means per pass; without timestamps the overlap is "
                + "unknown");
    }

    @Test
    void splitsADeviceLayerIntoLaunchOverlapAndDeviceOnly() {
        ExecutionProfile e = ReportFixtures.openClStyle("generate").execution("generate");

        // host [0, 3] ms, device [0.3, 5] ms: launch 0.3, overlap 2.7, device-only 2
        assertThat(LayerTimeSplit.of(e.layer(0), e.representativePass()))
                .isEqualTo(new LayerTimeSplit(0.3 * MS, 2.7 * MS, 0, 2 * MS, true));
    }

    @Test
    void countsDeviceTimeDuringASyncWaitAsSyncWaitNotDeviceOnly() {
        ExecutionProfile e = ReportFixtures.openClStyle("generate").execution("generate");

        // host [3, 11] ms with a wait [4, 10], device [5, 9.8]: launch 2, sync wait 6, nothing else
        assertThat(LayerTimeSplit.of(e.layer(1), e.representativePass()))
                .isEqualTo(new LayerTimeSplit(2 * MS, 0, 6 * MS, 0, true));
    }

    @Test
    void usesKernelSpansWhenALayerHasNoWholeLayerSpan() {
        long t = ReportFixtures.T0;
        PassTrace pass = new PassTrace(t, t + 10_000, List.of(new HostSpan(4, Stage.LAYER, t, t + 2_000, 1)),
                List.of(), List.of(new DeviceSpan(0, 4, "a", t + 100, t + 1_000, t + 3_000),
                new DeviceSpan(0, 4, "b", t + 200, t + 3_000, t + 4_000)), 0);
        LayerProfile layer = new ProfileAnalyzer().analyze(new ExecutionTrace("k", Backend.OPENCL, List.of(pass), 0,
                Map.of(), false)).layer(4);

        assertThat(LayerTimeSplit.of(layer, pass)).isEqualTo(new LayerTimeSplit(1_000, 1_000, 0, 2_000, true));
    }

    @Test
    void withoutTimestampsSplitsTheMeansAndLeavesOverlapUnknownAtZero() {
        LayerProfile layer = ProfileResultsJsonTest.sample().execution("decode").layer(1);

        assertThat(LayerTimeSplit.of(layer, null)).isEqualTo(new LayerTimeSplit(1_900_000, 0, 100_000, 0, false));
    }
}
