package dev.cmr.monitor;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.CompositeArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import dev.cmr.monitor.health.HealthComponent;
import dev.cmr.monitor.health.HealthStatus;
import dev.cmr.monitor.probe.CmrProbe;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The package layering, bottom up (docs/ARCHITECTURE.md draws it):
 * <ol>
 *   <li>{@code dev.cmr.io} (atomic files, config reading) knows no other {@code dev.cmr} package;</li>
 *   <li>{@code record} (the wait-free record path) and {@code spi} (what the model implements and the monitor reads)
 *       know no other monitor package;</li>
 *   <li>{@code store} (aggregation, history) knows only {@code record} and {@code spi}; {@code profile} (the
 *       profiler's analysis of captured spans, profile.json, compare) only {@code record} and {@code dev.cmr.io};</li>
 *   <li>{@code alert}, {@code health}, {@code diagnose}, {@code device} and {@code resources} are side by side: none
 *       knows the facade, {@code engine}, {@code export} or another of the five, except that alert and diagnose read
 *       health's vocabulary ({@link #HEALTH_VOCABULARY}); the JavaCPP binding {@code probe} is used by
 *       {@code device} and {@code resources} alone;</li>
 *   <li>{@code engine} (the services behind the facade) uses everything below and the facade's value types, never
 *       the facade class;</li>
 *   <li>the root package (the facade and its value types) wires them together and does not know {@code export};</li>
 *   <li>{@code export} (files, Prometheus, Micrometer, JFR) and {@code http} (the HTTP server and dashboard) sit on
 *       top and may use everything below them; only they use transports (client_java, Micrometer, JFR, the JDK's
 *       HTTP server), and no other monitor package knows {@code http}.</li>
 * </ol>
 * The monitor never depends on the model it observes; the model uses only the monitor's public API (root,
 * {@code record}'s pre-bound recorders, {@code device} timelines) and {@code spi}; inside the model, {@code io},
 * {@code memory} and {@code cpu} know no other model package; {@code dev.cmr.serve} (the inference service) uses the
 * model and the monitor's public API and HTTP server and is used by the CLI alone; the CLI is used by nobody. No two packages of
 * {@code dev.cmr} depend on each other, except {@code engine} on the facade's value types.
 *
 * <p>Every rule is shown to fail on a class planted in the right package of the test sources ({@code Planted*}).
 */
class ArchitectureTest {
    static final String ROOT = "dev.cmr.monitor"; // without "..": only classes directly in the root package
    static final String IO = "dev.cmr.io..";
    static final String RECORD = "dev.cmr.monitor.record..";
    static final String SPI = "dev.cmr.monitor.spi..";
    static final String STORE = "dev.cmr.monitor.store..";
    static final String ENGINE = "dev.cmr.monitor.engine..";
    static final String EXPORT = "dev.cmr.monitor.export..";
    static final String ALERT = "dev.cmr.monitor.alert..";
    static final String HEALTH = "dev.cmr.monitor.health..";
    static final String DIAGNOSE = "dev.cmr.monitor.diagnose..";
    static final String DEVICE = "dev.cmr.monitor.device..";
    static final String RESOURCES = "dev.cmr.monitor.resources..";
    static final String PROBE = "dev.cmr.monitor.probe..";
    static final String PROFILE = "dev.cmr.monitor.profile..";
    static final String MONITOR = "dev.cmr.monitor..";
    static final String MODEL = "dev.cmr.model..";
    static final String CLI = "dev.cmr.cli..";
    static final String PROJECT = "dev.cmr..";
    static final String HTTP = "dev.cmr.monitor.http..";
    static final String SERVE = "dev.cmr.serve..";

    /** The facade's value types: the only root classes {@code engine} may use. */
    static final List<Class<?>> VALUE_TYPES = List.of(MonitoringConfig.class, MonitorStats.class, StageStats.class,
            RecentWindow.class, LiveStats.class, TrackedStats.class, ProfileSchedule.class,
            ProfileSchedule.Step.class);

    static final ArchRule IO_KNOWS_NO_PROJECT_PACKAGE = noClasses().that().resideInAPackage(IO)
            .should().dependOnClassesThat(resideInAPackage(PROJECT).and(not(resideInAPackage(IO))))
            .because("the monitor and the model both write files and read configs through it");

    static final ArchRule RECORD_IS_THE_BOTTOM_LAYER = noClasses().that().resideInAPackage(RECORD)
            .should().dependOnClassesThat(resideInAPackage(PROJECT).and(not(resideInAPackage(RECORD))))
            .because("the record path must not know how its counts are aggregated, stored, evaluated or exported");

    static final ArchRule SPI_IS_THE_BOTTOM_LAYER = noClasses().that().resideInAPackage(SPI)
            .should().dependOnClassesThat(resideInAPackage(PROJECT).and(not(resideInAPackage(SPI))))
            .because("the model implements these interfaces; they must not pull monitor internals into it");

    static final ArchRule STORE_KNOWS_ONLY_RECORD_AND_SPI = noClasses().that().resideInAPackage(STORE)
            .should().dependOnClassesThat(resideInAPackage(PROJECT)
                    .and(not(resideInAnyPackage(STORE, RECORD, SPI))))
            .because("store sits between the record path and everything that reads snapshots");

    /**
     * Health's vocabulary: the component names and the score bands. Enums that depend on nothing, which alerting
     * (default health rules) and diagnostics (provisional health, recommendations) read, so that the names and
     * cut-offs have one source.
     */
    static final List<Class<?>> HEALTH_VOCABULARY = List.of(HealthComponent.class, HealthStatus.class);

    static final ArchRule ALERT_KNOWS_NO_FACADE_ENGINE_EXPORT_OR_PEER = noClasses().that().resideInAPackage(ALERT)
            .should().dependOnClassesThat(resideInAnyPackage(ROOT, ENGINE, EXPORT, HEALTH, DIAGNOSE, DEVICE,
                    RESOURCES, PROBE).and(not(belongToAnyOf(HEALTH_VOCABULARY.toArray(Class<?>[]::new)))))
            .because("alerting reads a metric map and its AlertSettings; the facade feeds it each health report's "
                    + "metrics, so alert needs neither the facade, nor MonitoringConfig, nor health's types beyond "
                    + "its vocabulary");

    static final ArchRule HEALTH_KNOWS_NO_FACADE_ENGINE_EXPORT_OR_PEER = noClasses().that().resideInAPackage(HEALTH)
            .should().dependOnClassesThat().resideInAnyPackage(ROOT, ENGINE, EXPORT, ALERT, DIAGNOSE, DEVICE,
                    RESOURCES, PROBE)
            .because("health evaluates samples of store snapshots and its own readings (HookLoad, HostReading, "
                    + "DeviceReading); the engine adapts gauges and samplers to those readings and subscribes "
                    + "alerting as a listener, so health needs no device, resource or alert type");

    static final ArchRule DIAGNOSE_KNOWS_NO_FACADE_ENGINE_EXPORT_OR_PEER = noClasses().that()
            .resideInAPackage(DIAGNOSE)
            .should().dependOnClassesThat(resideInAnyPackage(ROOT, ENGINE, EXPORT, ALERT, HEALTH, DEVICE,
                    RESOURCES, PROBE, RECORD).and(not(belongToAnyOf(HEALTH_VOCABULARY.toArray(Class<?>[]::new)))))
            .because("diagnostics read gauge readings (spi) and an input the engine gathers; component health "
                    + "arrives as a plain map, so diagnose never reaches the record path or a peer beyond health's "
                    + "vocabulary");

    static final ArchRule DEVICE_KNOWS_NO_FACADE_ENGINE_EXPORT_OR_PEER = noClasses().that().resideInAPackage(DEVICE)
            .should().dependOnClassesThat().resideInAnyPackage(ROOT, ENGINE, EXPORT, ALERT, HEALTH, DIAGNOSE,
                    RESOURCES, STORE)
            .because("device timelines produce marks and durations; the engine turns them into stats and health "
                    + "readings, so timelines stay usable without the monitor");

    static final ArchRule RESOURCES_KNOW_NO_FACADE_ENGINE_EXPORT_OR_PEER = noClasses().that()
            .resideInAPackage(RESOURCES)
            .should().dependOnClassesThat().resideInAnyPackage(ROOT, ENGINE, EXPORT, ALERT, HEALTH, DIAGNOSE,
                    DEVICE, STORE)
            .because("samplers produce plain gauge maps; the engine carries them into intervals and health inputs");

    static final ArchRule PROFILE_KNOWS_ONLY_RECORD_AND_IO = noClasses().that().resideInAPackage(PROFILE)
            .should().dependOnClassesThat(resideInAPackage(PROJECT)
                    .and(not(resideInAnyPackage(PROFILE, RECORD, IO))))
            .because("the profiler's analysis works on what a block captured (spans, durations, samples) and "
                    + "profile.json alone, so reports and compare can run on a saved profile without a monitor");

    static final ArchRule PROBE_IS_USED_ONLY_BY_DEVICE_AND_RESOURCES = classes().that().resideInAPackage(PROBE)
            .should().onlyHaveDependentClassesThat().resideInAnyPackage(DEVICE, RESOURCES, PROBE)
            .because("the JavaCPP binding is raw native access; device and resources wrap it in typed classes "
                    + "that check arguments and turn native error codes into exceptions in one place");

    static final ArchRule ENGINE_USES_VALUE_TYPES_NOT_THE_FACADE = noClasses().that().resideInAPackage(ENGINE)
            .should().dependOnClassesThat(resideInAPackage(ROOT).and(not(belongToAnyOf(
                    VALUE_TYPES.toArray(Class<?>[]::new)))))
            .orShould().dependOnClassesThat().resideInAPackage(EXPORT)
            .because("the facade owns the engine's services; a service that called back into the facade would "
                    + "hide a cycle, and exports are built on the facade's stats");

    static final ArchRule ROOT_DOES_NOT_KNOW_EXPORT = noClasses().that().resideInAPackage(ROOT)
            .should().dependOnClassesThat().resideInAPackage(EXPORT)
            .because("exports are built on the facade's stats, not the other way round");

    static final ArchRule CORE_IMPORTS_NO_TRANSPORT = noClasses().that().resideInAPackage(MONITOR)
            .and().resideOutsideOfPackage(EXPORT).and().resideOutsideOfPackage(HTTP)
            .should().dependOnClassesThat().resideInAnyPackage("io.prometheus..", "io.micrometer..", "jdk.jfr..",
                    "com.sun.net.httpserver..")
            .because("exporters and transports live in export and http, on top of the core");

    static final ArchRule MONITOR_DOES_NOT_DEPEND_ON_MODEL = noClasses().that().resideInAPackage(MONITOR)
            .should().dependOnClassesThat().resideInAnyPackage(MODEL, CLI)
            .because("the monitor observes the model through durations, counts and gauges, never its types");

    static final ArchRule MODEL_USES_ONLY_THE_MONITORS_PUBLIC_API = noClasses().that().resideInAPackage(MODEL)
            .should().dependOnClassesThat(resideInAPackage(MONITOR)
                    .and(not(resideInAnyPackage(ROOT, RECORD, DEVICE, SPI))))
            .because("the model talks to the monitor through the facade, pre-bound recorders, device timelines and "
                    + "the spi gauges; anything deeper would tie the runtime to monitor internals");

    static final ArchRule MODEL_LEAVES_KNOW_NO_OTHER_MODEL_PACKAGE = CompositeArchRule
            .of(modelLeaf("dev.cmr.model.io..")).and(modelLeaf("dev.cmr.model.memory.."))
            .and(modelLeaf("dev.cmr.model.cpu.."))
            .because("the safetensors format, the memory buffer and native arrays are usable on their own; the "
                    + "model's root wires them (model -> hooks -> memory, opencl -> model)");

    private static ArchRule modelLeaf(String leaf) {
        return noClasses().that().resideInAPackage(leaf)
                .should().dependOnClassesThat(resideInAPackage(MODEL).and(not(resideInAPackage(leaf))))
                .allowEmptyShould(true); // a planted violation sits in one leaf; the import check guards the rest
    }

    static final ArchRule NOTHING_DEPENDS_ON_CLI = noClasses().that().resideInAnyPackage(MODEL, MONITOR, IO, SERVE)
            .should().dependOnClassesThat().resideInAPackage(CLI)
            .because("dependencies run cli -> serve -> model -> monitor");

    static final ArchRule ONLY_CLI_DEPENDS_ON_SERVE = noClasses().that().resideInAnyPackage(MODEL, MONITOR, IO)
            .should().dependOnClassesThat().resideInAPackage(SERVE)
            .because("the inference service is an application of the model and the monitor, started by the cli");

    static final ArchRule SERVE_USES_THE_MONITORS_PUBLIC_API = noClasses().that().resideInAPackage(SERVE)
            .should().dependOnClassesThat(resideInAPackage(MONITOR)
                    .and(not(resideInAnyPackage(ROOT, RECORD, SPI, HTTP, "dev.cmr.monitor.profile.."))))
            .because("the service talks to the monitor through the facade, its handles, the spi gauges, the "
                    + "profile results and the HTTP server's routes, like any application would");

    static final ArchRule THE_CORE_DOES_NOT_KNOW_HTTP = noClasses().that().resideInAPackage(MONITOR)
            .and().resideOutsideOfPackage(HTTP)
            .should().dependOnClassesThat().resideInAPackage(HTTP)
            .because("the HTTP server reads the monitor like any application; the monitor works without it");

    static final ArchRule NO_PACKAGE_CYCLES = slices().matching("dev.cmr.(**)").should().beFreeOfCycles()
            .ignoreDependency(resideInAPackage(ENGINE), belongToAnyOf(VALUE_TYPES.toArray(Class<?>[]::new)))
            .because("each package must be understandable from the ones below it; the engine's use of the "
                    + "facade's value types is the one allowed way back (ENGINE_USES_VALUE_TYPES_NOT_THE_FACADE)");

    private static JavaClasses mainClasses;

    @BeforeAll
    static void importMainClasses() {
        mainClasses = new ClassFileImporter()
                .withImportOption(new ImportOption.DoNotIncludeTests())
                .importPackages("dev.cmr");
    }

    @Test
    void importSeesEveryPackageAndNoTestClasses() {
        // Guards against the rules passing vacuously because the import found nothing.
        for (String p : List.of("dev.cmr.io", "dev.cmr.monitor.record", "dev.cmr.monitor.spi",
                "dev.cmr.monitor.store", "dev.cmr.monitor.engine", "dev.cmr.monitor.export", "dev.cmr.monitor.alert",
                "dev.cmr.monitor.health", "dev.cmr.monitor.diagnose", "dev.cmr.monitor.device",
                "dev.cmr.monitor.resources", "dev.cmr.monitor.probe", "dev.cmr.monitor.profile", "dev.cmr.model", "dev.cmr.model.hooks",
                "dev.cmr.model.io", "dev.cmr.model.memory", "dev.cmr.model.opencl", "dev.cmr.cli",
                "dev.cmr.monitor.http", "dev.cmr.monitor.export.prometheus", "dev.cmr.monitor.export.micrometer",
                "dev.cmr.monitor.export.jfr", "dev.cmr.serve")) {
            assertThat(mainClasses.containPackage(p)).as(p).isTrue();
        }
        assertThat(mainClasses.contain(CmrPerformanceMonitor.class)).isTrue();
        assertThat(mainClasses.contain(ArchitectureTest.class)).isFalse();
    }

    /** A rule, the planted classes that break it, and a class each violation must name. */
    record Case(String name, ArchRule rule, List<String> planted, String mustName) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> rules() {
        return Stream.of(
                new Case("io", IO_KNOWS_NO_PROJECT_PACKAGE, List.of("dev.cmr.io.PlantedIoViolation"),
                        "MonitorStats"),
                new Case("record", RECORD_IS_THE_BOTTOM_LAYER,
                        List.of("dev.cmr.monitor.record.PlantedRecordViolation"), "TieredHistory"),
                new Case("spi", SPI_IS_THE_BOTTOM_LAYER, List.of("dev.cmr.monitor.spi.PlantedSpiViolation"),
                        "IntervalSnapshot"),
                new Case("store", STORE_KNOWS_ONLY_RECORD_AND_SPI,
                        List.of("dev.cmr.monitor.store.PlantedStoreViolation"), "SnapshotService"),
                new Case("alert", ALERT_KNOWS_NO_FACADE_ENGINE_EXPORT_OR_PEER,
                        List.of("dev.cmr.monitor.alert.PlantedAlertViolation"), "HealthReport"),
                new Case("health", HEALTH_KNOWS_NO_FACADE_ENGINE_EXPORT_OR_PEER,
                        List.of("dev.cmr.monitor.health.PlantedHealthViolation"), "DeviceStats"),
                new Case("diagnose", DIAGNOSE_KNOWS_NO_FACADE_ENGINE_EXPORT_OR_PEER,
                        List.of("dev.cmr.monitor.diagnose.PlantedDiagnoseViolation"), "record.Stage"),
                new Case("device", DEVICE_KNOWS_NO_FACADE_ENGINE_EXPORT_OR_PEER,
                        List.of("dev.cmr.monitor.device.PlantedDeviceViolation"), "ResourceSample"),
                new Case("resources", RESOURCES_KNOW_NO_FACADE_ENGINE_EXPORT_OR_PEER,
                        List.of("dev.cmr.monitor.resources.PlantedResourcesViolation"), "DeviceStats"),
                new Case("profile", PROFILE_KNOWS_ONLY_RECORD_AND_IO,
                        List.of("dev.cmr.monitor.profile.PlantedProfileViolation"), "MonitorStats"),
                new Case("probe", PROBE_IS_USED_ONLY_BY_DEVICE_AND_RESOURCES,
                        List.of(RootUsingProbe.class.getName(), CmrProbe.class.getName()), "RootUsingProbe"),
                new Case("engine", ENGINE_USES_VALUE_TYPES_NOT_THE_FACADE,
                        List.of("dev.cmr.monitor.engine.PlantedEngineViolation"), "CmrPerformanceMonitor"),
                new Case("root", ROOT_DOES_NOT_KNOW_EXPORT, List.of(RootUsingExport.class.getName()), "Exports"),
                new Case("transport", CORE_IMPORTS_NO_TRANSPORT, List.of(RootUsingJfr.class.getName()),
                        "jdk.jfr.Event"),
                new Case("monitor-model", MONITOR_DOES_NOT_DEPEND_ON_MODEL,
                        List.of("dev.cmr.monitor.spi.PlantedSpiViolation"), "HiddenStates"),
                new Case("model-api", MODEL_USES_ONLY_THE_MONITORS_PUBLIC_API,
                        List.of("dev.cmr.model.PlantedModelViolation"), "Aggregator"),
                new Case("model-leaves", MODEL_LEAVES_KNOW_NO_OTHER_MODEL_PACKAGE,
                        List.of("dev.cmr.model.io.PlantedCycleInIo"), "PlantedCycleInHooks"),
                new Case("cli", NOTHING_DEPENDS_ON_CLI, List.of("dev.cmr.serve.PlantedServeViolation"),
                        "cli.Main"),
                new Case("serve", ONLY_CLI_DEPENDS_ON_SERVE, List.of(RootUsingServe.class.getName()),
                        "GenerateRequest"),
                new Case("serve-api", SERVE_USES_THE_MONITORS_PUBLIC_API,
                        List.of("dev.cmr.serve.PlantedServeViolation"), "Aggregator"),
                new Case("http", THE_CORE_DOES_NOT_KNOW_HTTP, List.of(RootUsingHttp.class.getName()),
                        "MonitorServer"),
                new Case("cycles", NO_PACKAGE_CYCLES,
                        List.of("dev.cmr.model.hooks.PlantedCycleInHooks", "dev.cmr.model.io.PlantedCycleInIo"),
                        "PlantedCycleInIo"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void ruleHoldsForTheMainClasses(Case c) {
        c.rule().check(mainClasses);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void ruleDetectsItsPlantedViolation(Case c) throws ClassNotFoundException {
        Class<?>[] planted = new Class<?>[c.planted().size()];
        for (int i = 0; i < planted.length; i++) {
            planted[i] = Class.forName(c.planted().get(i)); // package-private in their packages: loaded by name
        }
        EvaluationResult result = c.rule().evaluate(new ClassFileImporter().importClasses(planted));

        assertThat(result.hasViolation()).isTrue();
        assertThat(String.join("\n", result.getFailureReport().getDetails())).contains(c.mustName());
    }

    @Test
    void cycleRuleAllowsTheEngineToUseValueTypesOnly() {
        // The engine uses MonitorStats and MonitoringConfig; the facade uses the engine. That pair is the one
        // ignored dependency; the engine reaching the facade class itself is a cycle the rule still reports.
        JavaClasses planted = new ClassFileImporter().importClasses(CmrPerformanceMonitor.class,
                dev.cmr.monitor.engine.HealthMonitoring.class, MonitorStats.class);
        assertThat(NO_PACKAGE_CYCLES.evaluate(planted).hasViolation()).isFalse();
    }

    @Test
    void rootPatternMatchesOnlyTheRootPackageNotSubpackages() {
        // store classes depend on record classes; if ROOT matched subpackages, a record-only dependency would
        // count as a dependency on the root package.
        ArchRule storeMustNotUseRoot = noClasses().that().resideInAPackage(STORE)
                .should().dependOnClassesThat().resideInAPackage(ROOT);
        ArchRule storeMustNotUseRecord = noClasses().that().resideInAPackage(STORE)
                .should().dependOnClassesThat().resideInAPackage(RECORD);

        assertThat(storeMustNotUseRoot.evaluate(mainClasses).hasViolation()).isFalse();
        assertThat(storeMustNotUseRecord.evaluate(mainClasses).hasViolation()).isTrue();
    }

    // ---- planted root-package classes (the others live in their packages' test sources) ----

    /** Uses export, as a facade method returning a report would. */
    @SuppressWarnings("unused")
    static final class RootUsingExport {
        private dev.cmr.monitor.export.Exports exports;
    }

    /** Calls the native binding directly instead of going through device or resources. */
    static final class RootUsingProbe {
        @SuppressWarnings("unused")
        int version() {
            return CmrProbe.cmrp_version();
        }
    }

    /** The core starting the HTTP server, as a facade convenience method would. */
    @SuppressWarnings("unused")
    static final class RootUsingHttp {
        private dev.cmr.monitor.http.MonitorServer server;
    }

    /** The monitor reaching into the inference service. */
    @SuppressWarnings("unused")
    static final class RootUsingServe {
        private dev.cmr.serve.GenerateRequest request;
    }

    /** A JFR event in the core. */
    @SuppressWarnings("unused")
    static final class RootUsingJfr {
        private jdk.jfr.Event event;
    }
}
