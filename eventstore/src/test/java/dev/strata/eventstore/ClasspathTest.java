package dev.strata.eventstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.syntax.ArchRuleDefinition;
import java.io.File;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** What must (not) be on a Strata classpath, and which way the packages may depend. */
class ClasspathTest {

    @Test
    void chronicleAnalyticsIsNotOnTheClasspath() {
        // It sends a Google Analytics event each time a queue is built (STACK.md trap 1): excluded in the parent pom.
        assertThatThrownBy(() -> Class.forName("net.openhft.chronicle.analytics.Analytics"))
                .isInstanceOf(ClassNotFoundException.class);
        assertThat(Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator)))
                .noneMatch(entry -> entry.contains("chronicle-analytics"));
    }

    @Test
    void thePublicApiDependsOnInternalsOnlyToOpenTheStore() {
        JavaClasses classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.strata.eventstore");
        ArchRuleDefinition.noClasses()
                .that().resideInAPackage("dev.strata.eventstore")
                .and().doNotHaveSimpleName("EventStoreBuilder")
                .should().dependOnClassesThat().resideInAPackage("dev.strata.eventstore.internal..")
                .check(classes);
        ArchRuleDefinition.noClasses()
                .that().resideInAPackage("dev.strata.eventstore.internal..")
                .should().dependOnClassesThat().resideInAPackage("dev.strata.eventstore.cloudevents..")
                .check(classes);
    }
}
