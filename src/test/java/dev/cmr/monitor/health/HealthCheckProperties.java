package dev.cmr.monitor.health;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;

class HealthCheckProperties {

    @Property
    void higherIsWorseScoreLiesInItsStatusBandAndStatusFollowsTheLimits(
            @ForAll @DoubleRange(min = 0, max = 10) double value, @ForAll @DoubleRange(min = 0, max = 5) double yellow,
            @ForAll @DoubleRange(min = 0, max = 5) double extra) {
        double red = yellow + extra;
        HealthCheck c = HealthCheck.higherIsWorse("x", value, yellow, red);

        assertThat(c.score()).isBetween(c.status().minScore(), c.status().maxScore());
        HealthStatus expected = value <= yellow ? HealthStatus.GREEN
                : value <= red ? HealthStatus.YELLOW : HealthStatus.RED;
        assertThat(c.status()).isEqualTo(expected);
    }

    @Property
    void higherIsWorseScoreNeverRisesAsTheValueGetsWorse(
            @ForAll @DoubleRange(min = 0, max = 10) double a, @ForAll @DoubleRange(min = 0, max = 10) double b,
            @ForAll @DoubleRange(min = 0.01, max = 5) double yellow) {
        Assume.that(a <= b);
        assertThat(HealthCheck.higherIsWorse("x", b, yellow, 2 * yellow).score())
                .isLessThanOrEqualTo(HealthCheck.higherIsWorse("x", a, yellow, 2 * yellow).score());
    }

    @Property
    void lowerIsWorseScoreLiesInItsStatusBandAndStatusFollowsTheLimits(
            @ForAll @DoubleRange(min = 0, max = 1) double value, @ForAll @DoubleRange(min = 0, max = 1) double yellow) {
        double red = yellow / 2;
        HealthCheck c = HealthCheck.lowerIsWorse("x", value, yellow, red);

        assertThat(c.score()).isBetween(c.status().minScore(), c.status().maxScore());
        HealthStatus expected = value >= yellow ? HealthStatus.GREEN
                : value >= red ? HealthStatus.YELLOW : HealthStatus.RED;
        assertThat(c.status()).isEqualTo(expected);
    }

    @Property
    void aCheckWithoutRedLimitIsAtWorstYellow(@ForAll @DoubleRange(min = 0, max = 1000) double value) {
        assertThat(HealthCheck.higherIsWorse("x", value, 0.5, null).status()).isNotEqualTo(HealthStatus.RED);
        assertThat(HealthCheck.lowerIsWorse("x", Math.min(1, value), 0.5, null).status())
                .isNotEqualTo(HealthStatus.RED);
    }

    @Property
    void worstIgnoresNoDataUnlessEverythingIsNoData(@ForAll HealthStatus a, @ForAll HealthStatus b) {
        HealthStatus w = HealthStatus.worst(a, b);

        assertThat(w).isIn(a, b);
        if (a != HealthStatus.NO_DATA || b != HealthStatus.NO_DATA) {
            assertThat(w).isNotEqualTo(HealthStatus.NO_DATA);
        }
        if (a == HealthStatus.RED || b == HealthStatus.RED) {
            assertThat(w).isEqualTo(HealthStatus.RED);
        }
    }
}
