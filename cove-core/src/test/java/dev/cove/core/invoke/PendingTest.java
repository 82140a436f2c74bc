package dev.cove.core.invoke;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.cove.core.model.Activation;
import dev.cove.core.model.ActivationStatus;
import dev.cove.core.model.JsonValue;
import dev.cove.core.spi.RunOutcome;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Optional;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The platform's own checks on what a worker reports. A worker shares its process with the function,
 * which can write to the worker's socket itself, so the worker's checks are not enough.
 */
class PendingTest {
    static final long LIMIT = 1000;

    static Activation outcome(RunOutcome outcome) {
        Pending pending = new Pending("a".repeat(32), ActivationTest.HELLO, JsonNodeFactory.instance.objectNode(),
                Optional.empty(), Clock.systemUTC(), 1024, LIMIT);
        pending.done(outcome);
        return pending.completion.join();
    }

    static JsonValue data(int chars) {
        return JsonValue.of(JsonNodeFactory.instance.objectNode().put("data", "x".repeat(chars)));
    }

    @Test
    void aResultUpToTheLimitIsKept() {
        JsonValue result = data((int) LIMIT - 11); // {"data":"…"} adds 11 bytes
        Activation activation = outcome(new RunOutcome.Returned(result));
        assertThat(activation.status()).isEqualTo(ActivationStatus.SUCCESS);
        assertThat(activation.result()).isSameAs(result);
    }

    @Test
    void aResultOverTheLimitIsAnApplicationErrorShowingItsStart() { // as OpenWhisk ends it
        Activation activation = outcome(new RunOutcome.Returned(data((int) LIMIT - 10)));
        assertThat(activation.status()).isEqualTo(ActivationStatus.APPLICATION_ERROR);
        assertThat(activation.result().tree().path("error").asText())
                .isEqualTo("The function's result is 1001 bytes, over the limit of 1000 bytes; it began: "
                        + new String(data((int) LIMIT - 10).bytes(), 0, 1000, StandardCharsets.UTF_8));
    }

    @Test
    void anErrorMessageOverTheLimitKeepsOnlyItsStart() {
        String message = "Error: " + "\u00e9".repeat(3000);
        Activation activation = outcome(new RunOutcome.Failed(message));
        assertThat(activation.status()).isEqualTo(ActivationStatus.DEVELOPER_ERROR);
        String error = activation.result().tree().path("error").asText();
        assertThat(error).startsWith("The function's error is 6019 bytes, over the limit of 1000 bytes; it began: Error: \u00e9");
        assertThat(error).endsWith(message.substring(0, 1000));
    }

    @Test
    void anErrorMessageThatFitsIsKeptWhole() {
        String message = "Error: " + "\"".repeat(400); // each quote is escaped: two bytes of JSON
        Activation activation = outcome(new RunOutcome.Failed(message));
        assertThat(activation.result().tree().path("error").asText()).isEqualTo(message);
    }
}
