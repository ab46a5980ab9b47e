package dev.cmr.monitor.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cmr.monitor.record.Stage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The bottlenecks.md text: ranking, recommendations, tables, the no-device sentence and the timeline lines. */
class BottleneckReportTest {
    private static final long MS = 1_000_000;
    /** A cell separator: a {@code |} not escaped by a backslash. */
    private static final Pattern CELL_SEPARATOR = Pattern.compile("(?<!\\\\)\\|");

    private static ExecutionProfile analyze(Backend backend, boolean throttled, PassDurations... passes) {
        return new ProfileAnalyzer().analyze(new ExecutionTrace("forward", backend, List.of(passes), 0, Map.of(),
                throttled));
    }

    /** Layer 0: 1 ms host, 0.8 ms of it sync wait; layer 1: 1 ms host, 5 ms device; layer 2: 2 ms host, 0.1 ms device. */
    private static PassDurations groundTruthPass() {
        return new PassDurations(10 * MS, Map.of(
                0, LayerDurations.of(MS, 800_000, null),
                1, LayerDurations.of(MS, 0, 5 * MS),
                2, LayerDurations.of(2 * MS, 0, 100_000L)));
    }

    private static String report(ExecutionProfile... executions) {
        return BottleneckReport.markdown(new ProfileResults(List.of(executions)));
    }

    /** The lines of {@code markdown} that start with {@code prefix}. */
    private static List<String> linesStartingWith(String markdown, String prefix) {
        return markdown.lines().filter(line -> line.startsWith(prefix)).toList();
    }

    /** Whether every row of every table (a run of lines starting with {@code |}) has as many cells as its header. */
    private static boolean tablesAreRectangular(String markdown) {
        List<Integer> counts = new ArrayList<>();
        for (String line : (markdown + "\n").split("\n", -1)) {
            if (line.startsWith("|")) {
                counts.add(CELL_SEPARATOR.split(line, -1).length);
            } else {
                if (counts.stream().distinct().count() > 1) {
                    return false;
                }
                counts.clear();
            }
        }
        return true;
    }

    @Test
    void groundTruthRendersRankedBottlenecksWithRecommendationsAndTheLayerTable() {
        String md = report(analyze(Backend.NONE, false, groundTruthPass()));

        assertThat(md).isEqualTo("""
                # Bottlenecks

                Times are means per pass.

                ## forward

                1 pass, backend none, mean wall time 10.000 ms per pass.
                Verdict: DEVICE_BOUND: device 5.100 ms >= launch 3.200 ms; sync wait 800.00 us is 20% of self host \
                4.000 ms (< 50%).

                ### Bottlenecks

                1. **DEVICE_BOUND**: layer 1 takes 5.000 ms of device time per pass against 1.000 ms of launch: \
                the kernels are the cost; look at the per-kernel table, fuse or shrink kernels, or use a faster \
                device. Why: device 5.000 ms >= launch 1.000 ms; sync wait 0 ns is 0% of self host 1.000 ms (< 50%).
                2. **HOST_BOUND**: layer 2 spends 2.000 ms of Java work and launches per pass: batch launches, move \
                work to the device, or reduce per-layer Java work. Why: launch 2.000 ms > device 100.00 us; sync wait \
                0 ns is 0% of self host 2.000 ms (< 50%).
                3. **SYNC_BOUND**: layer 0 waits 800.00 us per pass in blocking device calls (80% of its self host \
                time): read asynchronously, or capture fewer layers / less often. Why: sync wait 800.00 us is 80% of \
                self host 1.000 ms (>= 50%).

                ### Layers

                | layer | host | self host | launch | sync wait | device | launch delay | verdict |
                | --- | --- | --- | --- | --- | --- | --- | --- |
                | 0 | 1.000 ms | 1.000 ms | 200.00 us | 800.00 us | — | — | SYNC_BOUND |
                | 1 | 1.000 ms | 1.000 ms | 1.000 ms | 0 ns | 5.000 ms | — | DEVICE_BOUND |
                | 2 | 2.000 ms | 2.000 ms | 2.000 ms | 0 ns | 100.00 us | — | HOST_BOUND |
                """);
    }

    @Test
    void withoutDeviceTimeTheReportSaysAllTimesAreHostTimesAndLeavesDeviceCellsEmpty() {
        PassDurations pass = new PassDurations(3 * MS, Map.of(0, LayerDurations.of(2 * MS, 100_000, null)));

        String md = report(analyze(Backend.CPU, false, pass));

        assertThat(linesStartingWith(md, "All times")).containsExactly(
                "All times are host times: no device time was recorded for this block (backend cpu).");
        assertThat(linesStartingWith(md, "| 0 ")).containsExactly(
                "| 0 | 2.000 ms | 2.000 ms | 1.900 ms | 100.00 us | — | — | HOST_BOUND |");
        assertThat(linesStartingWith(md, "1. ")).containsExactly("1. **HOST_BOUND**: layer 0 spends 1.900 ms of "
                + "Java work and launches per pass: batch launches, move work to the device, or reduce per-layer "
                + "Java work. Why: no device time recorded (backend cpu), so all time is host time: sync wait "
                + "100.00 us is 5% of self host 2.000 ms (< 50%).");
    }

    @Test
    void aBlockWithDeviceTimeHasNoHostOnlySentence() {
        String md = report(analyze(Backend.NONE, false, groundTruthPass()));

        assertThat(linesStartingWith(md, "All times")).isEmpty();
    }

    @Test
    void throttledLayersRankByHostTimeThenLayerAndSayToCheckLimits() {
        String md = report(analyze(Backend.CUDA, true, groundTruthPass()));

        assertThat(md.lines().filter(line -> line.matches("\\d+\\. .*"))
                .map(line -> line.substring(0, line.indexOf(". Why: "))))
                .containsExactly(
                        "1. **THROTTLED**: layer 2 took 2.000 ms of host time per pass while the GPU was throttled: "
                                + "check power and thermal limits before optimizing",
                        "2. **THROTTLED**: layer 0 took 1.000 ms of host time per pass while the GPU was throttled: "
                                + "check power and thermal limits before optimizing",
                        "3. **THROTTLED**: layer 1 took 1.000 ms of host time per pass while the GPU was throttled: "
                                + "check power and thermal limits before optimizing");
    }

    /** Two passes; layer 0 device bound with two kernels (one with a pipe in its name) and two stages. */
    private static ExecutionProfile withKernelsStagesAndTimeline() {
        LayerProfile layer = new LayerProfile(0, 4 * MS, 4 * MS, MS, 3 * MS, 3.0 * MS, 20_000.0, 0,
                Verdict.DEVICE_BOUND, "device 3.000 ms >= launch 1.000 ms", null);
        return new ExecutionProfile("generate", 2, Backend.OPENCL, 10 * MS, Samples.of(10 * MS, 10 * MS),
                Verdict.DEVICE_BOUND, "device 3.000 ms >= launch 1.000 ms", 0.5, 1_000L,
                new MeanPartition(10 * MS, 4 * MS, 3 * MS, 2 * MS, MS),
                new IdleGaps(50_000, new IdleGaps.Total(3, 1_200_000), new IdleGaps.Total(10, 120_000),
                        new IdleGaps.Total(1, 2 * MS)),
                List.of(layer),
                List.of(new StageProfile(0, Stage.CAPTURE, 700_000, Samples.NONE),
                        new StageProfile(0, Stage.RETRIEVAL, 200_000, Samples.NONE)),
                List.of(new KernelProfile(0, "a|b", 3, 500_000, Samples.NONE),
                        new KernelProfile(0, "matmul", 4, 2.5 * MS, Samples.NONE)),
                Map.of(), 12, null);
    }

    @Test
    void kernelsAndStagesGetTheirTablesAndTheLargestStageIsNamed() {
        String md = report(withKernelsStagesAndTimeline());

        assertThat(md).contains("""
                ### Kernels

                | layer | kernel | count per pass | device |
                | --- | --- | --- | --- |
                | 0 | a\\|b | 1.50 | 500.00 us |
                | 0 | matmul | 2 | 2.500 ms |

                ### Stages

                | layer | stage | self time |
                | --- | --- | --- |
                | 0 | capture | 700.00 us |
                | 0 | retrieval | 200.00 us |
                """);
        assertThat(linesStartingWith(md, "1. ")).containsExactly("1. **DEVICE_BOUND**: layer 0 takes 3.000 ms of "
                + "device time per pass against 1.000 ms of launch; largest stage: capture, 700.00 us: the kernels "
                + "are the cost; look at the per-kernel table, fuse or shrink kernels, or use a faster device. Why: "
                + "device 3.000 ms >= launch 1.000 ms.");
        assertThat(linesStartingWith(md, "| 0 | 4.000 ms")).containsExactly(
                "| 0 | 4.000 ms | 4.000 ms | 1.000 ms | 3.000 ms | 3.000 ms | 20.00 us | DEVICE_BOUND |");
    }

    @Test
    void partitionGapsAndDroppedSpansCloseTheExecution() {
        String md = report(withKernelsStagesAndTimeline());

        assertThat(md).endsWith("""
                ### Timeline

                Wall time 10.000 ms per pass: host-only 40.0%, device-only 30.0%, overlap 20.0%, idle 10.0%; \
                device busy ratio 50.0% (union of device spans over wall time); NVML utilization over the same window — (no NVML sampler).

                Idle gaps on the device queues over all passes (threshold 50000 ns): host_wait 3 (1.200 ms), \
                kernel_wait 10 (120.00 us), other 1 (2.000 ms).

                **Warning:** 12 spans were dropped because the profiling buffers were full (max_profile_spans); \
                the numbers above miss them.
                """);
    }

    @Test
    void executionsFollowTheResultsOrder() {
        String md = report(withKernelsStagesAndTimeline(), analyze(Backend.NONE, false, groundTruthPass()));

        assertThat(linesStartingWith(md, "## ")).containsExactly("## generate", "## forward");
    }

    @Test
    void anEmptyProfileAndABlockWithoutPassesSaySo() {
        assertThat(BottleneckReport.markdown(new ProfileResults(List.of())))
                .isEqualTo("# Bottlenecks\n\nTimes are means per pass.\n\nNo blocks were profiled.\n");
        assertThat(report(analyze(Backend.CPU, false))).endsWith("""
                0 passes, backend cpu, mean wall time 0 ns per pass.
                Verdict: HOST_BOUND: no passes were profiled.

                All times are host times: no device time was recorded for this block (backend cpu).

                ### Bottlenecks

                No layers were recorded.
                """);
    }

    @Test
    void everyTableRowHasAsManyCellsAsItsHeader() {
        List<ExecutionProfile> executions = new ArrayList<>(ProfileResultsJsonTest.sample().executions());
        executions.add(withKernelsStagesAndTimeline());

        String md = BottleneckReport.markdown(new ProfileResults(executions));

        assertThat(linesStartingWith(md, "| --- ")).hasSize(7);
        assertThat(tablesAreRectangular(md)).isTrue();
    }

    @Test
    void theRectangularCheckCatchesARaggedTable() {
        assertThat(tablesAreRectangular("| a | b |\n| --- | --- |\n| 1 | 2 | 3 |\n")).isFalse();
        assertThat(tablesAreRectangular("| a | b |\n| --- | --- |\n| 1\\|2 | 3 |\n")).isTrue();
    }

    @Test
    void aTableRejectsARowOfTheWrongWidth() {
        MarkdownTable table = new MarkdownTable("layer", "host");

        assertThatThrownBy(() -> table.row("0")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a row of 1 cells in a table of 2 columns");
    }
}
