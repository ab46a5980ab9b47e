package dev.cmr.model.opencl;

import static org.assertj.core.api.Assertions.assertThat;

/** How backends are compared: each row within a relative error of the row's largest magnitude. */
public final class LogitAssertions {
    private LogitAssertions() {
    }

    /**
     * For each row: {@code max |actual - expected| <= relative * max |expected|}, and the row is not all ~0.
     * Relative to the row's scale rather than element-wise, which would divide by values near zero.
     */
    public static void assertRowsClose(float[][] actual, float[][] expected, double relative) {
        assertThat(actual.length).as("rows").isEqualTo(expected.length);
        for (int i = 0; i < expected.length; i++) {
            assertThat(actual[i].length).as("length of row %d", i).isEqualTo(expected[i].length);
            double maxAbs = 0;
            for (float v : expected[i]) {
                maxAbs = Math.max(maxAbs, Math.abs(v));
            }
            assertThat(maxAbs).as("row %d is non-trivial", i).isGreaterThan(1e-3);
            double worst = 0;
            for (int v = 0; v < expected[i].length; v++) {
                double e = Math.abs(actual[i][v] - expected[i][v]);
                worst = e <= worst ? worst : e; // NaN propagates
            }
            assertThat(worst / maxAbs).as("relative error of row %d", i).isLessThanOrEqualTo(relative);
        }
    }
}
