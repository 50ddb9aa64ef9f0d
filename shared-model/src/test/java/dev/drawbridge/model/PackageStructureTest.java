package dev.drawbridge.model;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/** The shared model's packages (api, tunnel, tls, ...) form no cycle; the build fails on a new one. */
@AnalyzeClasses(packages = "dev.drawbridge.model", importOptions = ImportOption.DoNotIncludeTests.class)
class PackageStructureTest {
    @ArchTest
    static final ArchRule NO_PACKAGE_CYCLES = slices().matching("dev.drawbridge.model.(**)").should().beFreeOfCycles();
}
