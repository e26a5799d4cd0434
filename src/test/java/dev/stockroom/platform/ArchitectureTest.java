package dev.stockroom.platform;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.conditions.ArchConditions;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** Dependencies between features point one way, so that a decision to sell can never read the cache. */
class ArchitectureTest {

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.stockroom");

    @Test
    void writePath_neverUsesTheAvailabilityCache() {
        noClasses().that().resideInAnyPackage("dev.stockroom.stock..", "dev.stockroom.reservation..",
                        "dev.stockroom.warehouse..")
                .should().dependOnClassesThat().resideInAPackage("dev.stockroom.availability..")
                .allowEmptyShould(true)
                .check(CLASSES);
    }

    @Test
    void stock_dependsOnNoOtherFeature() {
        noClasses().that().resideInAPackage("dev.stockroom.stock..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.stockroom.reservation..",
                        "dev.stockroom.warehouse..", "dev.stockroom.availability..", "dev.stockroom.outbox..")
                .check(CLASSES);
    }

    // ---------------------------------------------------------------- history (movement history and reports)

    @Test
    void writePath_neverUsesHistory() {
        noClasses().that().resideInAnyPackage("dev.stockroom.stock..", "dev.stockroom.reservation..",
                        "dev.stockroom.warehouse..", "dev.stockroom.outbox..", "dev.stockroom.availability..",
                        "dev.stockroom.platform..")
                .should().dependOnClassesThat().resideInAPackage("dev.stockroom.history..")
                .check(CLASSES);
    }

    @Test
    void history_dependsOnlyOnStockAndPlatform() {
        noClasses().that().resideInAPackage("dev.stockroom.history..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.stockroom.reservation..",
                        "dev.stockroom.warehouse..", "dev.stockroom.availability..", "dev.stockroom.outbox..")
                .check(CLASSES);
    }

    @Test
    void history_showsOnlyItsResourcesServiceAndRecords() {
        classes().that().resideInAPackage("dev.stockroom.history..")
                .and(DescribedPredicate.describe("are visible outside their package", ArchitectureTest::visible))
                .should(ArchConditions.be(DescribedPredicate.describe("a record, an enum or a sealed interface",
                                (JavaClass c) -> c.isRecord() || c.isEnum() || c.reflect().isSealed()))
                        .or(ArchConditions.haveSimpleNameEndingWith("Resource"))
                        .or(ArchConditions.haveSimpleNameEndingWith("Service")))
                .check(CLASSES);
    }

    /** Public, and nested (if at all) in classes that are visible too. */
    private static boolean visible(JavaClass c) {
        return c.getModifiers().contains(JavaModifier.PUBLIC)
                && c.getEnclosingClass().map(ArchitectureTest::visible).orElse(true);
    }

    // ---------------------------------------------------------------- platform

    @Test
    void platform_dependsOnNoFeature() {
        noClasses().that().resideInAPackage("dev.stockroom.platform..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.stockroom.stock..",
                        "dev.stockroom.reservation..", "dev.stockroom.warehouse..", "dev.stockroom.availability..",
                        "dev.stockroom.outbox..")
                .check(CLASSES);
    }
}
