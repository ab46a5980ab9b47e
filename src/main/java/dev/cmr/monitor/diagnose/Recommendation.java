package dev.cmr.monitor.diagnose;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One finding and what to do about it: a sentence with the numbers behind it, plus those numbers as fields so that
 * tools need not parse the sentence.
 *
 * @param component the health component it concerns ({@code memory_buffer}, {@code retrieval_system}, {@code hooks},
 *                  ...), or a hook's error component
 * @param subject   what exactly: a layer ({@code "layer 4"}), a hook ({@code "hook 'scale'"}), a pair of hooks
 * @param metric    the measured quantity, e.g. {@code churn}
 * @param value     its value
 * @param threshold the rule's threshold it crossed
 * @param message   the sentence
 */
public record Recommendation(String component, String subject, String metric, double value, double threshold,
                             String message) {
    public Recommendation {
        if (component == null || subject == null || metric == null || message == null) {
            throw new IllegalArgumentException("component, subject, metric and message are required");
        }
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("component", component);
        m.put("subject", subject);
        m.put("metric", metric);
        m.put("value", value);
        m.put("threshold", threshold);
        m.put("message", message);
        return m;
    }
}
