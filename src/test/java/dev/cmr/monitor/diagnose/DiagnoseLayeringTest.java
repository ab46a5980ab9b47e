package dev.cmr.monitor.diagnose;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * Diagnostics read gauge readings (store) and an input the facade gathers; they never reach back into the facade,
 * the record path or the model, so the facade can depend on them without a cycle.
 */
class DiagnoseLayeringTest {
    @Test
    void diagnoseDependsOnNeitherTheFacadeNorTheRecordPathNorTheModel() {
        JavaClasses classes = new ClassFileImporter().withImportOption(new ImportOption.DoNotIncludeTests())
                .importPackages("dev.cmr");
        noClasses().that().resideInAPackage("dev.cmr.monitor.diagnose..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.cmr.monitor", "dev.cmr.monitor.record..",
                        "dev.cmr.monitor.export..", "dev.cmr.model..", "dev.cmr.cli..")
                .check(classes);
    }
}
