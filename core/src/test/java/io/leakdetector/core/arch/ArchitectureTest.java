package io.leakdetector.core.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** Core stays pure Java: no Spring, no JDBC, no servlet API, no app classes, and no cycles between its packages. */
@AnalyzeClasses(packages = "io.leakdetector.core", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule coreDependsOnNoFrameworkOrStorage = noClasses()
            .that().resideInAPackage("io.leakdetector.core..")
            .should().dependOnClassesThat().resideInAnyPackage(
                    "org.springframework..", "java.sql..", "javax.sql..", "jakarta.servlet..", "javax.servlet..",
                    "io.leakdetector.app..")
            .because("core is the pure domain: storage, HTTP and Spring live in app (DESIGN.md §2)");

    @ArchTest
    static final ArchRule onlyTheXgboostPackageNamesXgboost = noClasses()
            .that().resideOutsideOfPackage("io.leakdetector.core.ml.xgboost..")
            .should().dependOnClassesThat().resideInAnyPackage("ml.dmlc..")
            .because("the gradient-boosting library stays behind SupervisedLearner / SupervisedModel");

    @ArchTest
    static final ArchRule corePackagesHaveNoCycles = slices()
            .matching("io.leakdetector.core.(*)..")
            .should().beFreeOfCycles();
}
