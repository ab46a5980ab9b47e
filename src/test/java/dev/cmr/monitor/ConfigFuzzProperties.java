package dev.cmr.monitor;

import static dev.cmr.testing.CleanRejection.acceptsOrRejects;
import static dev.cmr.testing.CleanRejection.rejects;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cmr.model.memory.MemoryConfig;
import dev.cmr.testing.FlatTempFolder;
import dev.cmr.testing.JsonMutations;
import dev.cmr.testing.JsonMutations.Mutant;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Fuzzes the configuration readers a user feeds: {@link MonitoringConfig#fromJson} and {@link MonitoringConfig#load}
 * (including {@code alert_rules}, read by {@code AlertRulesJson}) and {@link MemoryConfig#fromJson}, with mutants of a
 * document that sets every key. Each input is accepted or refused with an IllegalArgumentException whose one-line
 * message names the key (or, from a file, starts with the file's path); nothing else is thrown, nothing hangs.
 */
class ConfigFuzzProperties {
    static final String FULL_MONITORING = """
            {
              "enable_real_time": true,
              "enable_profiling": true,
              "max_profile_spans": 2048,
              "profile_memory": true,
              "metric_collection_interval": 0.25,
              "health_check_interval": 12.5,
              "live_window": 30,
              "degradation_ratio": 3.5,
              "max_history_size": 4321,
              "max_layers": 64,
              "enable_resource_sampling": false,
              "resource_sampling_interval": 2.5,
              "alert_thresholds": {"high_latency": 0.75, "low_efficiency": 0.2, "high_error_rate": 0.125},
              "enable_alerts": false,
              "alert_channels": ["file", "log"],
              "severity_levels": ["critical", "error"],
              "alert_cooldown": 42.5,
              "escalation_rules": {"critical": 1.5, "error": 60},
              "alert_file": "alerts/out.jsonl",
              "alert_rules": [
                {"name": "any_error", "metric": "system.error_rate", "comparison": "above", "threshold": 0.0,
                 "severity": "critical"},
                {"name": "cold_cache", "metric": "retrieval_system.cache_hit_rate", "comparison": "below",
                 "threshold": 0.2, "severity": "error", "for_seconds": 120, "component": "retrieval_system"}
              ]
            }""";

    static final String FULL_MEMORY = """
            {
              "max_entries_per_layer": 500,
              "max_total_entries": 5000,
              "eviction_policy": "lru",
              "cleanup_threshold": 0.9,
              "relevance_threshold": 0.1,
              "scoring_method": "hybrid",
              "top_k": 4,
              "relevance_weight": 0.5,
              "recency_weight": 0.3,
              "similarity_weight": 0.2,
              "retrieval_cache_size": 64,
              "reconstruction_method": "hierarchical",
              "memory_weight": 0.3,
              "layer_weights": {"0": 1.0, "3": 0.5}
            }""";

    private static Path dir;

    @BeforeContainer
    static void makeDir() throws IOException {
        dir = FlatTempFolder.create("config-fuzz");
    }

    @AfterContainer
    static void removeDir() throws IOException {
        FlatTempFolder.delete(dir);
    }

    @Property
    void theValidDocumentsAreAccepted() {
        assertThat(MonitoringConfig.fromJson(FULL_MONITORING).alertRules()).hasSize(2);
        assertThat(MemoryConfig.fromJson(FULL_MEMORY).topK()).isEqualTo(4);
    }

    @Provide
    Arbitrary<Mutant> monitoringMutants() {
        return JsonMutations.all(FULL_MONITORING);
    }

    @Provide
    Arbitrary<Mutant> memoryMutants() {
        return JsonMutations.all(FULL_MEMORY);
    }

    @Property(tries = 600)
    void monitoringConfigAcceptsOrNamesTheProblem(@ForAll("monitoringMutants") Mutant m) {
        acceptsOrRejects(IllegalArgumentException.class, null, () -> MonitoringConfig.fromJson(m.json()));
    }

    @Property(tries = 400)
    void memoryConfigAcceptsOrNamesTheProblem(@ForAll("memoryMutants") Mutant m) {
        acceptsOrRejects(IllegalArgumentException.class, null, () -> MemoryConfig.fromJson(m.json()));
    }

    /** A change to one known key's value that makes it the wrong JSON type is refused naming that key. */
    @Property(tries = 300)
    void aValueOfTheWrongTypeIsRefusedNamingItsKey(@ForAll("monitoringKeys") String key,
                                                   @ForAll("wrongTypes") String value) {
        String json = FULL_MONITORING.replaceFirst("\"" + key + "\": [^\\n]*\\n",
                "\"" + key + "\": " + java.util.regex.Matcher.quoteReplacement(value) + ",\n");
        rejects(IllegalArgumentException.class, key, () -> MonitoringConfig.fromJson(json));
    }

    @Provide
    Arbitrary<String> monitoringKeys() {
        return net.jqwik.api.Arbitraries.of("enable_real_time", "max_profile_spans", "metric_collection_interval",
                "max_layers", "alert_thresholds", "alert_channels", "alert_cooldown", "escalation_rules");
    }

    /** Values no key above takes: each key is either a boolean, a number, a string, a list or an object. */
    @Provide
    Arbitrary<String> wrongTypes() {
        return net.jqwik.api.Arbitraries.of("null", "[1]", "\"" + "x".repeat(10_000) + "\"", "{\"a\": {}}");
    }

    @Property(tries = 200)
    void aConfigurationFileIsRefusedNamingTheFile(@ForAll("monitoringMutants") Mutant m) throws IOException {
        Path file = dir.resolve("monitoring.json");
        Files.write(file, m.utf8());
        acceptsOrRejects(IllegalArgumentException.class, file.toString(), () -> MonitoringConfig.load(file));
    }
}
