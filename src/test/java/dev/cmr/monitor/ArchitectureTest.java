package dev.cmr.monitor;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import dev.cmr.monitor.device.DeviceStats;
import dev.cmr.monitor.export.Exports;
import dev.cmr.monitor.probe.CmrProbe;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layering of the monitor, bottom up:
 * <ol>
 *   <li>{@code record} (the wait-free record path) knows no other monitor package;</li>
 *   <li>{@code store} (aggregation, history) knows only {@code record};</li>
 *   <li>{@code alert}, {@code health}, {@code diagnose} and {@code device} are side by side: each may use
 *       {@code store} and {@code record} but none knows the facade, {@code export} or another of the four (the
 *       JavaCPP binding {@code device.probe} is used by {@code device} alone);</li>
 *   <li>the root package (the facade) wires them together and does not know {@code export};</li>
 *   <li>{@code export} sits on top and may use everything below it.</li>
 * </ol>
 * The monitor never depends on the model it observes.
 */
class ArchitectureTest {
    static final String ROOT = "dev.cmr.monitor"; // without "..": only classes directly in the root package
    static final String RECORD = "dev.cmr.monitor.record..";
    static final String STORE = "dev.cmr.monitor.store..";
    static final String EXPORT = "dev.cmr.monitor.export..";
    static final String ALERT = "dev.cmr.monitor.alert..";
    static final String HEALTH = "dev.cmr.monitor.health..";
    static final String DIAGNOSE = "dev.cmr.monitor.diagnose..";
    static final String DEVICE = "dev.cmr.monitor.device..";
    static final String DEVICE_ONLY = "dev.cmr.monitor.device"; // without "..": not the probe subpackage
    static final String PROBE = "dev.cmr.monitor.probe..";
    static final String RESOURCES = "dev.cmr.monitor.resources..";
    static final String MONITOR = "dev.cmr.monitor..";
    static final String MODEL = "dev.cmr.model..";
    static final String CLI = "dev.cmr.cli..";

    static final ArchRule RECORD_IS_THE_BOTTOM_LAYER = noClasses().that().resideInAPackage(RECORD)
            .should().dependOnClassesThat(resideInAPackage(MONITOR).and(resideOutsideOfPackage(RECORD)))
            .because("the record path must not know how its counts are aggregated, stored, evaluated or exported");

    static final ArchRule STORE_DEPENDS_ONLY_DOWNWARDS = noClasses().that().resideInAPackage(STORE)
            .should().dependOnClassesThat().resideInAnyPackage(EXPORT, ROOT)
            .because("store sits between record and the facade");

    static final ArchRule ALERT_KNOWS_NO_FACADE_EXPORT_OR_PEER = noClasses().that().resideInAPackage(ALERT)
            .should().dependOnClassesThat().resideInAnyPackage(ROOT, EXPORT, HEALTH, DIAGNOSE, DEVICE)
            .because("alerting reads a metric map and its AlertSettings; the facade feeds it each health report's "
                    + "metrics, so alert needs neither the facade, nor MonitoringConfig, nor health's types");

    static final ArchRule HEALTH_KNOWS_NO_FACADE_EXPORT_OR_PEER = noClasses().that().resideInAPackage(HEALTH)
            .should().dependOnClassesThat().resideInAnyPackage(ROOT, EXPORT, ALERT, DIAGNOSE, DEVICE)
            .because("health evaluates samples of store snapshots and its own readings (HookReading, HostReading, "
                    + "DeviceReading); the facade adapts hook gauges and device samplers to those readings and "
                    + "subscribes alerting as a listener, so health needs no device or alert type");

    static final ArchRule DIAGNOSE_KNOWS_NO_FACADE_EXPORT_OR_PEER = noClasses().that().resideInAPackage(DIAGNOSE)
            .should().dependOnClassesThat().resideInAnyPackage(ROOT, EXPORT, ALERT, HEALTH, DEVICE, RECORD)
            .because("diagnostics read gauge readings (store) and an input the facade gathers; component health "
                    + "arrives as a plain map, so the facade can depend on diagnose without a cycle and diagnose "
                    + "never reaches the record path");

    static final ArchRule DEVICE_KNOWS_NO_FACADE_EXPORT_OR_PEER = noClasses().that().resideInAPackage(DEVICE)
            .should().dependOnClassesThat().resideInAnyPackage(ROOT, EXPORT, ALERT, HEALTH, DIAGNOSE)
            .because("device timelines and samplers produce marks, durations and samples; the facade turns them "
                    + "into stats and health readings, so device backends stay usable without the monitor");

    static final ArchRule PROBE_IS_USED_ONLY_BY_DEVICE = classes().that().resideInAPackage(PROBE)
            .should().onlyHaveDependentClassesThat().resideInAnyPackage(DEVICE_ONLY, RESOURCES, PROBE)
            .because("the JavaCPP binding is raw native access; device wraps it in typed classes (NativeProbe, "
                    + "NativeJournal, the timelines) that check arguments and turn native error codes into "
                    + "exceptions in one place");

    static final ArchRule ROOT_DOES_NOT_KNOW_EXPORT = noClasses().that().resideInAPackage(ROOT)
            .should().dependOnClassesThat().resideInAPackage(EXPORT)
            .because("exports are built on the facade's stats, not the other way round");

    static final ArchRule MONITOR_DOES_NOT_DEPEND_ON_MODEL = noClasses().that().resideInAPackage(MONITOR)
            .should().dependOnClassesThat().resideInAnyPackage(MODEL, CLI)
            .because("the monitor observes the model through durations and counts, never its types");

    static final ArchRule MODEL_DOES_NOT_DEPEND_ON_CLI = noClasses().that().resideInAPackage(MODEL)
            .should().dependOnClassesThat().resideInAPackage(CLI)
            .because("dependencies run cli -> model -> monitor");

    private static JavaClasses mainClasses;

    @BeforeAll
    static void importMainClasses() {
        mainClasses = new ClassFileImporter()
                .withImportOption(new ImportOption.DoNotIncludeTests())
                .importPackages("dev.cmr");
    }

    @Test
    void importSeesEveryLayerAndNoTestClasses() {
        // Guards against the rules passing vacuously because the import found nothing.
        assertThat(mainClasses.containPackage("dev.cmr.monitor.record")).isTrue();
        assertThat(mainClasses.containPackage("dev.cmr.monitor.store")).isTrue();
        assertThat(mainClasses.containPackage("dev.cmr.monitor.export")).isTrue();
        assertThat(mainClasses.containPackage("dev.cmr.monitor.alert")).isTrue();
        assertThat(mainClasses.containPackage("dev.cmr.monitor.health")).isTrue();
        assertThat(mainClasses.containPackage("dev.cmr.monitor.diagnose")).isTrue();
        assertThat(mainClasses.containPackage("dev.cmr.monitor.device")).isTrue();
        assertThat(mainClasses.containPackage("dev.cmr.monitor.probe")).isTrue();
        assertThat(mainClasses.contain(CmrPerformanceMonitor.class)).isTrue();
        assertThat(mainClasses.contain(ArchitectureTest.class)).isFalse();
    }

    @Test
    void recordDependsOnNoOtherMonitorPackage() {
        RECORD_IS_THE_BOTTOM_LAYER.check(mainClasses);
    }

    @Test
    void storeDependsOnNeitherExportNorRootPackage() {
        STORE_DEPENDS_ONLY_DOWNWARDS.check(mainClasses);
    }

    @Test
    void alertDependsOnNeitherFacadeNorExportNorPeers() {
        ALERT_KNOWS_NO_FACADE_EXPORT_OR_PEER.check(mainClasses);
    }

    @Test
    void healthDependsOnNeitherFacadeNorExportNorPeers() {
        HEALTH_KNOWS_NO_FACADE_EXPORT_OR_PEER.check(mainClasses);
    }

    @Test
    void diagnoseDependsOnNeitherFacadeNorExportNorPeersNorRecordPath() {
        DIAGNOSE_KNOWS_NO_FACADE_EXPORT_OR_PEER.check(mainClasses);
    }

    @Test
    void deviceDependsOnNeitherFacadeNorExportNorPeers() {
        DEVICE_KNOWS_NO_FACADE_EXPORT_OR_PEER.check(mainClasses);
    }

    @Test
    void nativeBindingIsUsedOnlyByDevice() {
        PROBE_IS_USED_ONLY_BY_DEVICE.check(mainClasses);
    }

    @Test
    void rootPackageDoesNotDependOnExport() {
        ROOT_DOES_NOT_KNOW_EXPORT.check(mainClasses);
    }

    @Test
    void monitorDoesNotDependOnModel() {
        MONITOR_DOES_NOT_DEPEND_ON_MODEL.check(mainClasses);
    }

    @Test
    void modelDoesNotDependOnCli() {
        MODEL_DOES_NOT_DEPEND_ON_CLI.check(mainClasses);
    }

    // ---- the rules can fail: each detects a violation planted in a class of the right package ----

    /** A root-package class that uses export, as a facade method returning a report would. */
    static final class RootUsingExport {
        @SuppressWarnings("unused")
        java.util.List<String> columns() {
            return Exports.timeSeriesColumns();
        }
    }

    @Test
    void rootRuleDetectsRootClassUsingExport() {
        JavaClasses planted = new ClassFileImporter().importClasses(RootUsingExport.class, Exports.class);

        assertThat(ROOT_DOES_NOT_KNOW_EXPORT.evaluate(planted).hasViolation()).isTrue();
    }

    @Test
    void peerRuleDetectsHealthClassUsingFacadeExportAndDevice() throws ClassNotFoundException {
        // The planted class lives in the health test package (package-private there), so it is loaded by name.
        Class<?> planted = Class.forName("dev.cmr.monitor.health.PlantedLayerViolation");
        JavaClasses classes = new ClassFileImporter().importClasses(planted, CmrPerformanceMonitor.class,
                Exports.class, DeviceStats.class);

        EvaluationResult result = HEALTH_KNOWS_NO_FACADE_EXPORT_OR_PEER.evaluate(classes);

        assertThat(result.hasViolation()).isTrue();
        String report = String.join("\n", result.getFailureReport().getDetails());
        assertThat(report).contains(CmrPerformanceMonitor.class.getName(), Exports.class.getName(),
                DeviceStats.class.getName());
    }

    /** A root-package class that calls the native binding directly instead of going through device. */
    static final class RootUsingProbe {
        @SuppressWarnings("unused")
        int version() {
            return CmrProbe.cmrp_version();
        }
    }

    @Test
    void probeRuleDetectsUseOfTheBindingOutsideDevice() {
        JavaClasses planted = new ClassFileImporter().importClasses(RootUsingProbe.class, CmrProbe.class);

        assertThat(PROBE_IS_USED_ONLY_BY_DEVICE.evaluate(planted).hasViolation()).isTrue();
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
}
