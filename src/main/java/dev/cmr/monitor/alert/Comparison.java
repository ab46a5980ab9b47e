package dev.cmr.monitor.alert;

/**
 * How a rule compares a metric with its threshold. Both comparisons are strict, so a value equal to the threshold
 * never alerts, and NaN (no data) never satisfies either.
 */
public enum Comparison {
    /** The condition holds while the value is greater than the threshold. */
    ABOVE("above") {
        @Override
        public boolean holds(double value, double threshold) {
            return value > threshold;
        }
    },
    /** The condition holds while the value is less than the threshold. */
    BELOW("below") {
        @Override
        public boolean holds(double value, double threshold) {
            return value < threshold;
        }
    };

    private final String configName;

    Comparison(String configName) {
        this.configName = configName;
    }

    public abstract boolean holds(double value, double threshold);

    /** The lower-case name used in JSON output. */
    public String configName() {
        return configName;
    }
}
