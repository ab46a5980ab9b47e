package dev.cmr.monitor.diagnose;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The result of {@code runDiagnostics()}: immutable. {@link #toMap()} and {@link #toJson()} use the keys
 * {@code timestamp}, {@code component_health}, {@code hook_analysis}, {@code memory_analysis},
 * {@code error_summary}, {@code recommendations}. Sections without data say {@code "status": "no_data"} and why.
 *
 * @param componentHealth from the plugged-in health source, or provisional (see {@code ProvisionalHealth}); a
 *                        deep copy is not made, so sources must hand over maps they no longer change
 */
public record DiagnosticsReport(long timestampEpochMillis, Map<String, Object> componentHealth,
                                HookAnalysis hookAnalysis, MemoryAnalysis memoryAnalysis, ErrorSummary errorSummary,
                                List<Recommendation> recommendations) {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public DiagnosticsReport {
        componentHealth = Collections.unmodifiableMap(new LinkedHashMap<>(componentHealth));
        recommendations = List.copyOf(recommendations);
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("timestamp", Instant.ofEpochMilli(timestampEpochMillis).toString());
        m.put("component_health", componentHealth);
        m.put("hook_analysis", hookAnalysis.toMap());
        m.put("memory_analysis", memoryAnalysis.toMap());
        m.put("error_summary", errorSummary.toMap());
        List<Object> r = new ArrayList<>();
        recommendations.forEach(x -> r.add(x.toMap()));
        m.put("recommendations", r);
        return m;
    }

    /** {@link #toMap()} as indented JSON, written by Jackson. */
    public String toJson() {
        try {
            return JSON.writeValueAsString(toMap());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("diagnostics report could not be serialized", e);
        }
    }
}
