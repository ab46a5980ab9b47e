package dev.cmr.monitor.profile;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The verdict rule at and around its cut-offs. */
class VerdictRuleTest {
    private static Verdict verdict(double selfHost, double syncWait, Double device) {
        return VerdictRule.decide(selfHost, syncWait, Math.max(0, selfHost - syncWait), device, false, Backend.OPENCL)
                .verdict();
    }

    @Test
    void syncWaitOfExactlyHalfTheSelfHostIsSyncBound() {
        assertThat(verdict(1_000_000, 500_000, 10_000_000.0)).isEqualTo(Verdict.SYNC_BOUND);
        assertThat(verdict(1_000_000, 499_999, 10_000_000.0)).isEqualTo(Verdict.DEVICE_BOUND);
    }

    @Test
    void deviceTimeEqualToLaunchIsDeviceBound() {
        assertThat(verdict(1_000_000, 0, 1_000_000.0)).isEqualTo(Verdict.DEVICE_BOUND);
        assertThat(verdict(1_000_000, 0, 999_999.0)).isEqualTo(Verdict.HOST_BOUND);
    }

    @Test
    void anEmptyLayerIsNeitherSyncNorDeviceBound() {
        VerdictRule.Decision d = VerdictRule.decide(0, 0, 0, 0.0, false, Backend.OPENCL);

        assertThat(d.verdict()).isEqualTo(Verdict.HOST_BOUND);
        assertThat(d.reason()).isEqualTo("no device work (device 0 ns), launch 0 ns; "
                + "sync wait 0 ns is 0% of self host 0 ns (< 50%)");
    }

    @Test
    void withoutDeviceTimeASyncBoundLayerStaysSyncBound() {
        assertThat(verdict(1_000_000, 900_000, null)).isEqualTo(Verdict.SYNC_BOUND);
        assertThat(verdict(1_000_000, 0, null)).isEqualTo(Verdict.HOST_BOUND);
    }

    @Test
    void timesAreWrittenInTheLargestUnitThatKeepsThemAtOneOrMore() {
        assertThat(Formats.duration(9_999.0)).isEqualTo("10.00 us");
        assertThat(Formats.duration(1_234.0)).isEqualTo("1.23 us");
        assertThat(Formats.duration(999.0)).isEqualTo("999 ns");
        assertThat(Formats.duration(10_000.0)).isEqualTo("10.00 us");
        assertThat(Formats.duration(2_345_678.0)).isEqualTo("2.346 ms");
        assertThat(Formats.duration(1.5e9)).isEqualTo("1.500 s");
        assertThat(Formats.duration(null)).isEqualTo("-");
    }
}
