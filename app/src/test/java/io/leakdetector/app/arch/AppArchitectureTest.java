package io.leakdetector.app.arch;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The app's feature packages (ingest, detect, api, realtime, webhook, security, …) depend on each other without cycles. */
class AppArchitectureTest {
    private static final JavaClasses APP = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.leakdetector.app");

    @Test
    void featurePackagesHaveNoCycles() {
        slices().matching("io.leakdetector.app.(*)..").should().beFreeOfCycles().check(APP);
    }
}
