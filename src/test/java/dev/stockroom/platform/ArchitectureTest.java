package dev.stockroom.platform;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

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

    @Test
    void platform_dependsOnNoFeature() {
        noClasses().that().resideInAPackage("dev.stockroom.platform..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.stockroom.stock..",
                        "dev.stockroom.reservation..", "dev.stockroom.warehouse..", "dev.stockroom.availability..",
                        "dev.stockroom.outbox..")
                .check(CLASSES);
    }
}
