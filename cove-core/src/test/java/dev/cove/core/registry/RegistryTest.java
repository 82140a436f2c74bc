package dev.cove.core.registry;

import dev.cove.core.model.ApplicationRevision;
import dev.cove.core.model.ApplicationSpec;
import dev.cove.core.model.Code;
import dev.cove.core.model.ConflictException;
import dev.cove.core.model.FunctionRevision;
import dev.cove.core.model.FunctionSpec;
import dev.cove.core.model.Kind;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RegistryTest {
    private final Registry registry = Registry.load(Registry.memoryStore(), Clock.systemUTC());

    private static FunctionSpec fn(String name) {
        return FunctionSpec.of(name, Kind.NODEJS, Code.source("function main() {}"), "main");
    }

    private static ApplicationSpec app(String name, String... functions) {
        return new ApplicationSpec(name, Arrays.stream(functions).map(RegistryTest::fn).toList(), Optional.empty());
    }

    @Test
    void aFunctionDeployedAloneIsAnApplicationOfOne() {
        FunctionRevision f = registry.deploy("guest", fn("hello"));
        assertThat(f.application()).isEqualTo("hello");
        assertThat(f.applicationPath()).isEqualTo("guest/hello");
        assertThat(registry.applications("guest")).isEmpty();
    }

    @Test
    void anApplicationAdoptsFunctionsDeployedAloneAndReportsWhatItDropped() {
        registry.deploy("guest", fn("cart"));
        Registry.Deployed first = registry.deploy("guest", app("shop", "cart", "pay"));
        assertThat(registry.function("guest", "cart").orElseThrow().application()).isEqualTo("shop");
        assertThat(first.removedFunctions()).isEmpty();
        Registry.Deployed second = registry.deploy("guest", app("shop", "cart"));
        assertThat(second.removedFunctions()).containsExactly("pay");
        assertThat(registry.function("guest", "pay")).isEmpty();
        assertThat(registry.application("guest", "shop").orElseThrow().version()).isEqualTo(2);
    }

    @Test
    void aFunctionOfOneApplicationCantJoinAnother() {
        registry.deploy("guest", app("shop", "cart"));
        assertThatThrownBy(() -> registry.deploy("guest", app("store", "cart", "pay")))
                .isInstanceOf(ConflictException.class)
                .hasMessage("The function cart belongs to the application shop.");
        assertThat(registry.function("guest", "pay")).isEmpty();
    }

    @Test
    void applicationsAndFunctionsOutsideThemDontShareNames() {
        registry.deploy("guest", fn("shop"));
        assertThatThrownBy(() -> registry.deploy("guest", app("shop", "cart")))
                .isInstanceOf(ConflictException.class)
                .hasMessageContaining("A function named shop exists outside the application");
        registry.deploy("guest", app("store", "cart"));
        assertThatThrownBy(() -> registry.deploy("guest", fn("store")))
                .isInstanceOf(ConflictException.class)
                .hasMessageContaining("The application store has that name");
        assertThat(registry.deploy("guest", app("shop", "shop", "pay")).removedFunctions()).isEmpty();
        assertThat(registry.function("guest", "shop").orElseThrow().application()).isEqualTo("shop");
    }

    @Test
    void aMemberRedeployedAloneStaysAndDeletingTheApplicationTakesItsFunctions() {
        registry.deploy("guest", app("shop", "cart", "pay"));
        assertThat(registry.deploy("guest", fn("cart")).application()).isEqualTo("shop");
        assertThat(registry.application("guest", "shop").orElseThrow().function("cart").orElseThrow().version())
                .isEqualTo(2);
        registry.deleteApplication("guest", "shop");
        assertThat(registry.functions("guest")).isEmpty();
        assertThat(registry.applications("guest")).extracting(ApplicationRevision::name).isEqualTo(List.of());
    }
}
