package dev.drawbridge.proxy;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The package structure of the proxy server (docs/architecture.md): one package per feature, no package cycles, and
 * the layering that keeps them apart. Fails the build on a new cycle or a dependency against the grain.
 */
@AnalyzeClasses(packages = "dev.drawbridge.proxy", importOptions = ImportOption.DoNotIncludeTests.class)
class PackageStructureTest {
    /** jOOQ's generated code: its packages refer to each other, and nothing there is written by hand. */
    private static final String GENERATED = "dev.drawbridge.proxy.store.db..";

    @ArchTest
    static final ArchRule NO_PACKAGE_CYCLES = slices().matching("dev.drawbridge.proxy.(**)")
            .should().beFreeOfCycles()
            .ignoreDependency(resideInAPackage(GENERATED), resideInAPackage(GENERATED));

    /** The admin API builds on the features; a feature never reaches up into it (only the composition root wires it). */
    @ArchTest
    static final ArchRule FEATURES_DO_NOT_DEPEND_ON_THE_ADMIN_API = noClasses()
            .that().resideOutsideOfPackages("dev.drawbridge.proxy", "dev.drawbridge.proxy.admin..")
            .should().dependOnClassesThat().resideInAPackage("dev.drawbridge.proxy.admin..");

    /** web (JSON, problem bodies, pages) and store (the database) are the leaves every feature may use. */
    @ArchTest
    static final ArchRule WEB_IS_A_LEAF = noClasses().that().resideInAPackage("dev.drawbridge.proxy.web..")
            .should().dependOnClassesThat(resideInAPackage("dev.drawbridge.proxy..").and(not(resideInAPackage("dev.drawbridge.proxy.web.."))));

    @ArchTest
    static final ArchRule STORE_IS_A_LEAF = noClasses().that().resideInAPackage("dev.drawbridge.proxy.store..")
            .should().dependOnClassesThat(resideInAPackage("dev.drawbridge.proxy..").and(not(resideInAPackage("dev.drawbridge.proxy.store.."))));

    /** The token issuer (oauth) builds on the sign-in host; the sign-in host reaches it through {@code signin.OAuthEndpoints}. */
    @ArchTest
    static final ArchRule SIGN_IN_DOES_NOT_DEPEND_ON_OAUTH = noClasses().that().resideInAPackage("dev.drawbridge.proxy.signin..")
            .should().dependOnClassesThat().resideInAPackage("dev.drawbridge.proxy.oauth..");
}
