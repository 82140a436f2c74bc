package dev.cove.node;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The walls between Cove's parts (docs/architecture.md), checked over the compiled classes of the core,
 * the adapters and this module: a wall that is only written down is soon walked through.
 */
class ArchitectureTest {
    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(location -> !location.contains("-tests.jar")) // cove-core's contract tests
            .importPackages("dev.cove");

    /** The libraries that only adapters may use. */
    private static final String[] ADAPTER_LIBRARIES = {
        "redis.clients..", "java.sql..", "org.sqlite..", "net.jpountz..", "org.objectweb.asm..", "io.vertx..",
        "io.netty..", "io.nats.."};

    private static final String[] MODEL_AND_SPIS = {"dev.cove.core.model..", "dev.cove.core.spi.."};

    /** The adapters' packages. */
    private static final String[] ADAPTERS = {
        "dev.cove.store..", "dev.cove.cache..", "dev.cove.bus..", "dev.cove.sandbox..", "dev.cove.transport..", "dev.cove.java.."};

    /**
     * Each concept package of the core and the types it shows the rest: one entry type, or a few where
     * the package is read from several sides. invoke runs activations (Dispatcher), records them
     * (ActivationLog) and keeps those nobody waits for (AsyncInvocations). runtime asks the platform
     * for what its functions call (Calls, which the bus answers); cache answers what they ask of their
     * cache (CacheCalls) and tells a worker's copies of changes (CacheCopies).
     */
    private static final Map<String, Set<String>> ENTRY_TYPES = Map.of(
            "dev.cove.core.bus", Set.of("LocalBus"),
            "dev.cove.core.cache", Set.of("CacheGateway", "CacheCalls", "CacheCopies"),
            "dev.cove.core.debug", Set.of("DebugSessions"),
            "dev.cove.core.invoke", Set.of("Dispatcher", "ActivationLog", "AsyncInvocations"),
            "dev.cove.core.registry", Set.of("Registry"),
            "dev.cove.core.runtime", Set.of("Runtimes", "Calls"),
            "dev.cove.core.sandbox", Set.of("Unconfined"),
            "dev.cove.core.trigger", Set.of("Triggers"),
            "dev.cove.core.workflow", Set.of("Executions"));

    @Test
    void theCoreUsesNoAdaptersLibrary() {
        noClasses().that().resideInAPackage("dev.cove.core..")
                .should().dependOnClassesThat().resideInAnyPackage(ADAPTER_LIBRARIES)
                .check(CLASSES);
    }

    @Test
    void theCoresPackagesFormNoCycle() {
        slices().matching("dev.cove.core.(*)..").should().beFreeOfCycles().check(CLASSES);
    }

    @Test
    void theModelAndTheSpisStandOnTheirOwn() {
        noClasses().that().resideInAnyPackage(MODEL_AND_SPIS)
                .should().dependOnClassesThat(theCoreBeyond(MODEL_AND_SPIS))
                .check(CLASSES);
    }

    @Test
    void adaptersSeeOnlyTheModelAndTheSpis() {
        noClasses().that().resideInAnyPackage(ADAPTERS)
                .should().dependOnClassesThat(theCoreBeyond(MODEL_AND_SPIS))
                .check(CLASSES);
    }

    @Test
    void onlyTheNodeNamesTheAdapters() {
        noClasses().that().resideOutsideOfPackages(ADAPTERS).and().resideOutsideOfPackage("dev.cove.node..")
                .should().dependOnClassesThat().resideInAnyPackage(ADAPTERS)
                .check(CLASSES);
    }

    /** Classes of the core outside these packages. */
    private static DescribedPredicate<JavaClass> theCoreBeyond(String... packages) {
        return resideInAPackage("dev.cove.core..").and(not(resideInAnyPackage(packages)));
    }

    @Test
    void eachConceptPackageShowsOnlyItsEntryTypes() {
        Map<String, Set<String>> shown = new TreeMap<>();
        for (JavaClass c : CLASSES) {
            if (ENTRY_TYPES.containsKey(c.getPackageName()) && c.isTopLevelClass()
                    && c.getModifiers().contains(JavaModifier.PUBLIC)) {
                shown.computeIfAbsent(c.getPackageName(), p -> new TreeSet<>()).add(c.getSimpleName());
            }
        }
        assertThat(shown).isEqualTo(new TreeMap<>(ENTRY_TYPES));
    }
}
