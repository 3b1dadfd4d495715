package dev.strata.saga;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The module's boundaries: it uses the event store's public API only, and its public API hides its internals. */
class ArchitectureTest {

    private final JavaClasses classes = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
            .importPackages("dev.strata.saga");

    @Test
    void usesOnlyThePublicApiOfTheEventStore() {
        org.assertj.core.api.Assertions.assertThat(classes.contain(SagaOrchestrator.class)).as("the module's classes were imported").isTrue();
        noClasses().that().resideInAPackage("dev.strata.saga..")
                .should().dependOnClassesThat().resideInAPackage("dev.strata.eventstore.internal..")
                .check(classes);
    }

    @Test
    void publicMethodsOfTheFrontDoorReturnNoInternalTypes() {
        com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods()
                .that().arePublic().and().areDeclaredInClassesThat().resideInAPackage("dev.strata.saga")
                .should().haveRawReturnType(com.tngtech.archunit.base.DescribedPredicate.not(
                        com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage("dev.strata.saga.internal..")))
                .check(classes);
    }
}
