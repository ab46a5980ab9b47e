package dev.cmr.monitor.diagnose;

import dev.cmr.monitor.health.HealthComponent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code component_health} section when no health evaluator is plugged in: for each component, status
 * {@code NOT_EVALUATED}, marked {@code provisional}, with the metrics diagnostics flagged for it. It deliberately
 * gives no GREEN / YELLOW / RED: only the health evaluator judges health. The components are
 * the evaluator's ({@link HealthComponent#keys()}).
 */
final class ProvisionalHealth {
    static final String NOT_EVALUATED = "NOT_EVALUATED";

    private ProvisionalHealth() {
    }

    static Map<String, Object> of(List<Recommendation> recommendations) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String component : HealthComponent.keys()) {
            List<String> flagged = new ArrayList<>();
            for (Recommendation r : recommendations) {
                if (r.component().equals(component)) {
                    flagged.add(r.subject() + ": " + r.metric());
                }
            }
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("status", NOT_EVALUATED);
            c.put("provisional", true);
            c.put("reason", "no health evaluator plugged in; listing the diagnostics findings only");
            c.put("flagged", flagged);
            out.put(component, c);
        }
        return out;
    }
}
