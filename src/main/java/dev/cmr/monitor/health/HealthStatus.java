package dev.cmr.monitor.health;

/**
 * A health verdict. Declared from least to most severe, so that the worst of several is the one with the highest
 * ordinal: {@code NO_DATA < GREEN < YELLOW < RED}. NO_DATA ranks lowest because it says nothing is known, not that
 * something is fine: combined with any judged status it yields that status (like Spring Boot Actuator's UNKNOWN),
 * and only when every part has no data is the whole NO_DATA. It is never reported as GREEN.
 *
 * <p>Scores and statuses agree by construction: GREEN is a score in [70, 100], YELLOW in [40, 70), RED in [0, 40);
 * NO_DATA has no score. These bands are also the cut-offs of the default health-score alerts (a warning below the
 * lowest GREEN score, critical below the lowest YELLOW one), which the monitor passes to alerting.
 */
public enum HealthStatus {
    NO_DATA(-1, -1),
    GREEN(70, 100),
    YELLOW(40, 69),
    RED(0, 39);

    private final int minScore;
    private final int maxScore;

    HealthStatus(int minScore, int maxScore) {
        this.minScore = minScore;
        this.maxScore = maxScore;
    }

    /** The more severe of the two; NO_DATA only if both are. */
    public static HealthStatus worst(HealthStatus a, HealthStatus b) {
        return a.ordinal() >= b.ordinal() ? a : b;
    }

    /** Lowest score of this status's band; -1 for NO_DATA. */
    public int minScore() {
        return minScore;
    }

    /** Highest score of this status's band; -1 for NO_DATA. */
    public int maxScore() {
        return maxScore;
    }

    /** Clamps a raw score into this status's band, rounding down, so that score and status never disagree. */
    int clampScore(double raw) {
        if (this == NO_DATA) {
            throw new IllegalStateException("NO_DATA has no score");
        }
        double bounded = Double.isNaN(raw) ? minScore : Math.max(minScore, Math.min(maxScore, raw));
        return (int) Math.floor(bounded);
    }
}
