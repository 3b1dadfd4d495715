package dev.strata.examples.orders;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The example is what a user writes: it uses Strata through its public APIs only, and its services keep to themselves
 * (the saga and the read models know them all; no service knows another).
 */
class ExampleArchitectureTest {

    // this module's own classes only: scanning the whole test classpath (Kafka's test kit, ...) is slow
    final JavaClasses example = new ClassFileImporter().importPath(Path.of("target", "classes"));

    @Test
    void usesNoInternalsOfStrata() {
        noClasses().should().dependOnClassesThat().resideInAPackage("dev.strata..internal..").check(example);
    }

    @Test
    void servicesDoNotDependOnEachOther() {
        String[] services = {"order", "inventory", "payment", "shipping"};
        for (String service : services) {
            for (String other : services) {
                if (!other.equals(service)) {
                    noClasses().that().resideInAPackage("dev.strata.examples.orders." + service + "..")
                            .should().dependOnClassesThat().resideInAPackage("dev.strata.examples.orders." + other + "..")
                            .check(example);
                }
            }
        }
    }
}
