package dev.strata.relay;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The relay uses the store and the read side through their public APIs only. */
class RelayArchitectureTest {

    // this module's own classes only: scanning the whole test classpath (Kafka's test kit, ...) takes half a minute
    final JavaClasses relay = new ClassFileImporter().importPath(Path.of("target", "classes"));

    @Test
    void touchesNoOtherModulesInternals() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("dev.strata.eventstore.internal..",
                "dev.strata.projections..").check(relay);
    }

    @Test
    void thePublicPackageDoesNotLeakInternalTypesThroughItsInterfaces() {
        noClasses().that().resideInAPackage("dev.strata.relay").and().areInterfaces()
                .should().dependOnClassesThat().resideInAPackage("dev.strata.relay.internal..").check(relay);
    }
}
