package dev.drawbridge.console;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The console's packages form no cycle (the build fails on a new one), and view models stay testable without the FX
 * toolkit: {@code session}, what every screen shares, knows nothing of the windows ({@code shell}) or the screens.
 */
@AnalyzeClasses(packages = "dev.drawbridge.console", importOptions = ImportOption.DoNotIncludeTests.class)
class PackageStructureTest {
    @ArchTest
    static final ArchRule NO_PACKAGE_CYCLES = slices().matching("dev.drawbridge.console.(**)").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule SESSION_KNOWS_NO_WINDOW = noClasses().that().resideInAPackage("dev.drawbridge.console.session..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.drawbridge.console.shell..", "javafx.scene..");
}
