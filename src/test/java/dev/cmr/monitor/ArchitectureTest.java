package dev.cmr.monitor;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import dev.cmr.monitor.export.Exports;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layering of the monitor: {@code record} (the wait-free record path) knows nothing above it; {@code store}
 * (aggregation, history) knows only {@code record}; the root package (the facade) does not know {@code export};
 * and the monitor never depends on the model it observes.
 */
class ArchitectureTest {
    static final String ROOT = "dev.cmr.monitor"; // without "..": only classes directly in the root package
    static final String RECORD = "dev.cmr.monitor.record..";
    static final String STORE = "dev.cmr.monitor.store..";
    static final String EXPORT = "dev.cmr.monitor.export..";
    static final String MONITOR = "dev.cmr.monitor..";
    static final String MODEL = "dev.cmr.model..";
    static final String CLI = "dev.cmr.cli..";

    static final ArchRule RECORD_IS_THE_BOTTOM_LAYER = noClasses().that().resideInAPackage(RECORD)
            .should().dependOnClassesThat().resideInAnyPackage(STORE, EXPORT, ROOT)
            .because("the record path must not know how its counts are aggregated, stored or exported");

    static final ArchRule STORE_DEPENDS_ONLY_DOWNWARDS = noClasses().that().resideInAPackage(STORE)
            .should().dependOnClassesThat().resideInAnyPackage(EXPORT, ROOT)
            .because("store sits between record and the facade");

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
        assertThat(mainClasses.contain(CmrPerformanceMonitor.class)).isTrue();
        assertThat(mainClasses.contain(ArchitectureTest.class)).isFalse();
    }

    @Test
    void recordDependsOnNeitherStoreNorExportNorRootPackage() {
        RECORD_IS_THE_BOTTOM_LAYER.check(mainClasses);
    }

    @Test
    void storeDependsOnNeitherExportNorRootPackage() {
        STORE_DEPENDS_ONLY_DOWNWARDS.check(mainClasses);
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
