package dev.stockroom.platform;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.conditions.ArchConditions;
import io.smallrye.config.ConfigMapping;
import jakarta.persistence.Entity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * Dependencies between features point one way, so that a decision to sell can never read the cache; a feature is
 * used by the others only through its face.
 */
class ArchitectureTest {

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.stockroom");

    @Test
    void writePath_neverUsesTheAvailabilityCache() {
        noClasses().that().resideInAnyPackage("dev.stockroom.stock..", "dev.stockroom.reservation..",
                "dev.stockroom.warehouse..", "dev.stockroom.outbox..")
                .should().dependOnClassesThat().resideInAPackage("dev.stockroom.availability..")
                .allowEmptyShould(true)
                .check(CLASSES);
    }

    @Test
    void stock_dependsOnNoOtherFeature() {
        noClasses().that().resideInAPackage("dev.stockroom.stock..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.stockroom.reservation..",
                        "dev.stockroom.warehouse..", "dev.stockroom.availability..", "dev.stockroom.outbox..",
                        "dev.stockroom.history..")
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
                        "dev.stockroom.outbox..", "dev.stockroom.history..")
                .check(CLASSES);
    }

    // ---------------------------------------------------------------- feature faces: stock, reservation, warehouse, outbox

    /**
     * What each feature offers the others: its face. Another feature may use these classes (and the records and
     * enums nested in them) and nothing else of it; everything else is the feature's own business.
     */
    private static final Map<String, Set<String>> FACES = Map.of(
            "stock", Set.of("StockService", "LockedStock", "StockKey", "StockLevel", "StockLevelChanged", "Movement",
                    "MovementKind", "StockView", "LocationKind"),
            "reservation", Set.of("ReservationService", "ShippingOrder", "ReservationView", "ReservationStatus",
                    "HoldRequest", "Shortage"),
            "warehouse", Set.of("StockEventsListener"),
            "outbox", Set.of("StockChanged"));

    static Stream<String> featuresWithFaces() {
        return FACES.keySet().stream().sorted();
    }

    @ParameterizedTest
    @MethodSource("featuresWithFaces")
    void otherFeatures_useOnlyTheFaceOf(String feature) {
        String inside = "dev.stockroom." + feature + "..";
        noClasses().that().resideOutsideOfPackage(inside)
                .should().dependOnClassesThat(DescribedPredicate.describe(
                        "are in " + feature + " but not of its face " + FACES.get(feature),
                        (JavaClass c) -> inFeature(c, feature)
                                && !FACES.get(feature).contains(topLevel(c).getSimpleName())))
                .check(CLASSES);
    }

    /**
     * Nothing in stock, warehouse or outbox is public beyond its face, except what the framework needs public:
     * REST resources (and the records they take and give), configuration mappings and JPA entities.
     */
    @ParameterizedTest
    @ValueSource(strings = {"stock", "warehouse", "outbox"})
    void feature_showsNothingPublicBeyondItsFace(String feature) {
        classes().that().resideInAPackage("dev.stockroom." + feature + "..")
                .and(DescribedPredicate.describe("are visible outside their package", ArchitectureTest::visible))
                .should(ArchConditions.be(DescribedPredicate.describe("of the face " + FACES.get(feature)
                        + ", a resource, a configuration mapping or an entity",
                        (JavaClass c) -> FACES.get(feature).contains(topLevel(c).getSimpleName())
                                || topLevel(c).getSimpleName().endsWith("Resource")
                                || c.isAnnotatedWith(ConfigMapping.class)
                                || c.isAnnotatedWith(Entity.class))))
                .check(CLASSES);
    }

    private static boolean inFeature(JavaClass c, String feature) {
        String base = "dev.stockroom." + feature;
        return c.getPackageName().equals(base) || c.getPackageName().startsWith(base + ".");
    }

    private static JavaClass topLevel(JavaClass c) {
        return c.getEnclosingClass().map(ArchitectureTest::topLevel).orElse(c);
    }
}
