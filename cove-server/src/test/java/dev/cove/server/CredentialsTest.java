package dev.cove.server;

import dev.cove.core.model.Namespace;
import io.vertx.core.MultiMap;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Basic authentication's answers, remembered for a while, and only when they are yes. */
class CredentialsTest {
    private final AtomicLong nanos = new AtomicLong();
    /** The node's keys, by uuid, which a test may change behind the server's back. */
    private final Map<String, Namespace> keys = new HashMap<>();
    private final List<String> checked = new ArrayList<>();
    private final Credentials credentials = new Credentials((uuid, key) -> {
        checked.add(uuid + ":" + key);
        return Optional.ofNullable(keys.get(uuid)).filter(n -> n.key().equals(key));
    }, nanos::get);

    private static MultiMap basic(String credentials) {
        return MultiMap.caseInsensitiveMultiMap().add("Authorization",
                "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void anAcceptedKeyIsCheckedOnceWhileItIsRemembered() {
        Namespace guest = new Namespace("guest", "uuid", "key");
        keys.put("uuid", guest);
        for (int i = 0; i < 3; i++) {
            assertThat(credentials.namespace(basic("uuid:key"))).contains(guest);
        }
        assertThat(checked).containsExactly("uuid:key");
    }

    @Test
    void aChangedKeyStopsWorkingOnceItsAnswerIsForgotten() {
        keys.put("uuid", new Namespace("guest", "uuid", "key"));
        assertThat(credentials.namespace(basic("uuid:key"))).isPresent();
        keys.put("uuid", new Namespace("guest", "uuid", "new-key"));
        nanos.addAndGet(Credentials.REMEMBERED_FOR.toNanos() - 1);
        assertThat(credentials.namespace(basic("uuid:key"))).as("still remembered").isPresent();
        nanos.addAndGet(1);
        assertThat(credentials.namespace(basic("uuid:key"))).isEmpty();
        assertThat(credentials.namespace(basic("uuid:new-key"))).isPresent();
    }

    @Test
    void aRefusedKeyIsNotRememberedSoItWorksAsSoonAsTheNodeKnowsIt() {
        assertThat(credentials.namespace(basic("uuid:key"))).isEmpty();
        keys.put("uuid", new Namespace("guest", "uuid", "key"));
        assertThat(credentials.namespace(basic("uuid:key"))).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Bearer dXVpZDprZXk=", "Basic %%%", "Basic dXVpZGtleQ=="})
    void aHeaderThatIsNoBasicUuidAndKeyNamesNoOne(String header) {
        keys.put("uuid", new Namespace("guest", "uuid", "key"));
        assertThat(credentials.namespace(MultiMap.caseInsensitiveMultiMap().add("Authorization", header))).isEmpty();
        assertThat(credentials.namespace(MultiMap.caseInsensitiveMultiMap())).isEmpty();
        assertThat(checked).isEmpty();
    }
}
