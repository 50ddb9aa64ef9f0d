package dev.drawbridge.connector;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The connector's packages (cli, identity, tunnel, upstream, http) form no cycle, and {@code http} (the HTTP clients as
 * the connector configures them) stays a leaf that the features share; the build fails on a new cycle.
 */
@AnalyzeClasses(packages = "dev.drawbridge.connector", importOptions = ImportOption.DoNotIncludeTests.class)
class PackageStructureTest {
    @ArchTest
    static final ArchRule NO_PACKAGE_CYCLES = slices().matching("dev.drawbridge.connector.(**)").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule HTTP_IS_A_LEAF = noClasses().that().resideInAPackage("dev.drawbridge.connector.http..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.drawbridge.connector.cli..", "dev.drawbridge.connector.identity..",
                    "dev.drawbridge.connector.tunnel..", "dev.drawbridge.connector.upstream..");
}
