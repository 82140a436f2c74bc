package dev.cove.server;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.nameMatching;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The server sees a node through {@code dev.cove.core.Node} (and its timers, {@code spi.Deadlines}), the model, and the module that starts it; nothing of
 * how the node is built (docs/architecture.md).
 */
class ServerWallTest {
    private static final JavaClasses SERVER = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.cove.server");

    @Test
    void theServerSeesTheNodeAndTheModelOnly() {
        noClasses().should().dependOnClassesThat(resideInAPackage("dev.cove..")
                        .and(not(resideInAnyPackage("dev.cove.server..", "dev.cove.core.model..", "dev.cove.node..")))
                        .and(not(nameMatching("dev\\.cove\\.core\\.(Node|spi\\.Deadlines)(\\$.*)?"))))
                .because("the server is a client of one node: it must not reach the core's parts or an adapter")
                .check(SERVER);
    }
}
