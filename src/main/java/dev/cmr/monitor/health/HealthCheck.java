package dev.cmr.monitor.health;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One judged number: its value, the limits it was held against and the verdict. {@code yellowAt} and {@code redAt}
 * are the limits: for a {@link Direction#HIGHER_IS_WORSE} check the status is YELLOW above {@code yellowAt} and RED
 * above {@code redAt}; for {@link Direction#LOWER_IS_WORSE}, below them. {@code redAt} is null for a check that can
 * at worst be YELLOW.
 *
 * <p>Scores ({@link HealthStatus} bands): higher-is-worse, from 100 at 0 down to 70 at {@code yellowAt}, 40 at
 * {@code redAt}, then towards 0 as {@code 40 * redAt / value}; lower-is-worse mirrors it between {@code best} (1.0
 * for the ratios judged here) and 0.
 */
public record HealthCheck(String name, double value, Direction direction, double yellowAt, Double redAt,
                          HealthStatus status, int score) {

    public enum Direction { HIGHER_IS_WORSE, LOWER_IS_WORSE }

    public HealthCheck {
        if (status == HealthStatus.NO_DATA) {
            throw new IllegalArgumentException("a check with a value cannot be NO_DATA: " + name);
        }
    }

    /** YELLOW above {@code yellowAt}, RED above {@code redAt} (null: never RED). */
    public static HealthCheck higherIsWorse(String name, double value, double yellowAt, Double redAt) {
        HealthStatus status;
        double raw;
        if (value <= yellowAt) {
            status = HealthStatus.GREEN;
            raw = yellowAt <= 0 ? 100 : 100 - 30 * value / yellowAt;
        } else if (redAt == null) {
            status = HealthStatus.YELLOW;
            raw = 40 + 30 * yellowAt / value;
        } else if (value <= redAt) {
            status = HealthStatus.YELLOW;
            raw = 70 - 30 * (value - yellowAt) / (redAt - yellowAt);
        } else {
            status = HealthStatus.RED;
            raw = value <= 0 ? 0 : 40 * redAt / value;
        }
        return new HealthCheck(name, value, Direction.HIGHER_IS_WORSE, yellowAt, redAt, status,
                status.clampScore(raw));
    }

    /** For ratios in [0, 1]: YELLOW below {@code yellowAt}, RED below {@code redAt} (null: never RED). */
    public static HealthCheck lowerIsWorse(String name, double value, double yellowAt, Double redAt) {
        HealthStatus status;
        double raw;
        if (value >= yellowAt) {
            status = HealthStatus.GREEN;
            raw = yellowAt >= 1 ? 100 : 70 + 30 * (value - yellowAt) / (1 - yellowAt);
        } else if (redAt == null) {
            status = HealthStatus.YELLOW;
            raw = yellowAt <= 0 ? 40 : 40 + 30 * value / yellowAt;
        } else if (value >= redAt) {
            status = HealthStatus.YELLOW;
            raw = 40 + 30 * (value - redAt) / (yellowAt - redAt);
        } else {
            status = HealthStatus.RED;
            raw = redAt <= 0 ? 0 : 40 * value / redAt;
        }
        return new HealthCheck(name, value, Direction.LOWER_IS_WORSE, yellowAt, redAt, status,
                status.clampScore(raw));
    }

    /** {@code value, status, score} and the limits as {@code yellow_above/red_above} or {@code yellow_below/...}. */
    public Map<String, Object> toMap() {
        String side = direction == Direction.HIGHER_IS_WORSE ? "above" : "below";
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("value", value);
        m.put("status", status.name());
        m.put("score", score);
        m.put("yellow_" + side, yellowAt);
        m.put("red_" + side, redAt);
        return m;
    }
}
