package dev.cove.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.cove.server.Attacks.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The attacks only Java functions make, and the attacks on the inline tier, against a real server
 * (running in this JVM, as the inline tier runs in the server's) with real JVM workers in real
 * sandboxes, under the same {@link Attacks.Guard} as {@link HostileFunctionsIT}. {@code java} is
 * the platform's choice of tier (inline for the fixtures that pass the check), {@code java-process}
 * the process tier.
 */
class HostileJavaIT {
    /**
     * What stopped a memory bomb inline: its allocations, or the CPU they took first (zeroing fresh
     * memory is slow on some machines), either of which sends it to the process tier.
     */
    static final String STOPPED_INLINE = "stderr: The function (allocated more than its memory limit of 128 MB|ran for "
            + "more than 200 ms inside the platform)\\. It runs again in the process tier\\.";

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() throws Exception {
        serve(new TestCove(dir));
    }

    @AfterAll
    static void stop() {
        cove.close();
    }

    // ---- what the check keeps out of the platform's JVM ----

    /** Each reaches outside its activation: inline, it is refused at deploy, saying how it would. */
    @ParameterizedTest
    @ValueSource(strings = {"snoop", "forkbomb", "platform", "opens", "halt", "outlive", "exit", "network"})
    void codeThatReachesOutsideItsActivationIsRefusedInline(String fixture) throws Exception {
        ObjectNode inline = object();
        inline.putObject("exec").put("tier", "inline");
        TestCove.Answer refused = cove.deploy("inline-" + fixture, "java:21", Files.readString(fixture("java", fixture)),
                inline);
        assertThat(refused.status()).as(refused.json().toString()).isEqualTo(400);
        assertThat(refused.json().path("error").asText()).startsWith("the function can't run in the inline tier: ")
                .matches("(?s).*\\w+\\.\\w+ (calls|creates|reads|uses) .*");

        String fn = deploy("java", fixture, object());
        JsonNode action = cove.get(ACTIONS + fn).json();
        assertThat(action.path("tier").path("runs").asText()).as("left to the platform").isEqualTo("process");
        assertThat(action.path("tier").path("reason").asText()).isNotBlank();
    }

    @Test
    void thePlatformsOwnClassesAreNotThere() throws Exception {
        String fn = deploy("java", "platform", object());

        TestCove.Answer answer = underGuard(1, () -> cove.invoke(fn, object()));

        assertDeveloperError(answer, "java.lang.ClassNotFoundException: dev.cove.core.Platform");
    }

    @Test
    void reflectionIntoTheJdkEndsAsTheFunctionsOwnError() throws Exception {
        String fn = deploy("java", "opens", object());

        TestCove.Answer answer = underGuard(1, () -> cove.invoke(fn, object()));

        assertDeveloperError(answer, "java.lang.reflect.InaccessibleObjectException");
    }

    @Test
    void haltingItsJvmEndsOnlyItsOwnWorker() throws Exception {
        String fn = deploy("java", "halt", object());

        TestCove.Answer answer = underGuard(1, () -> cove.invoke(fn, object()));

        assertDeveloperError(answer, "The function's worker exited with status 5.");
        assertThat(answer.json().path("logs").toString()).contains("halting");
    }

    /** The thread spins on in its worker, held to the function's CPU share, and goes with its sandbox. */
    @Test
    void aThreadThatOutlivesItsActivationStaysInItsWorker() throws Exception {
        String fn = deploy("java", "outlive", limits(Map.of("memory", 128)));

        // two warm calls may take a few milliseconds in all: one healthy call overlapping them is what can be asked
        TestCove.Answer answer = underGuard(1, () -> {
            TestCove.Answer first = cove.invoke(fn, object());
            assertThat(cove.invoke(fn, object()).status()).as("the next call, beside the spinning thread").isEqualTo(200);
            return first;
        });

        assertThat(answer.status()).as(answer.json().toString()).isEqualTo(200);
        assertThat(cove.delete(ACTIONS + fn).status()).isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"java", "java-process"})
    void aStaticInitialiserThatThrowsIsADeveloperError(String runtime) throws Exception {
        String fn = deploy(runtime, "staticinit", object());

        TestCove.Answer answer = underGuard(1, () -> cove.invoke(fn, object()));

        assertDeveloperError(answer, "The function failed to initialise: the class Staticinit failed to initialise: "
                + "java.lang.IllegalStateException: static boom");
        assertThat(tier(answer)).isEqualTo(runtime.equals("java") ? "inline" : "process");
    }

    /** Inline, a stack overflow moves the function to the process tier, where it overflows again. */
    @ParameterizedTest
    @ValueSource(strings = {"java", "java-process"})
    void deepRecursionIsADeveloperError(String runtime) throws Exception {
        String fn = deploy(runtime, "recursion", object());

        TestCove.Answer answer = underGuard(1, () -> cove.invoke(fn, object()));

        assertDeveloperError(answer, "java.lang.StackOverflowError");
        assertThat(tier(answer)).isEqualTo(runtime.equals("java") ? "inline" : "process");
        assertThat(cove.get(ACTIONS + fn).json().path("tier").path("runs").asText()).isEqualTo("process");
        assertDeveloperError(cove.invoke(fn, object()), "java.lang.StackOverflowError");
    }

    // ---- the inline tier stops what it runs ----

    /**
     * The loop's ticks stop it at its deadline (one short enough that the CPU it may use inline does
     * not stop it first): the activation ends as a timeout then, the server's JVM spins no more, and
     * the function runs in the process tier from then on.
     */
    @Test
    void anEndlessLoopInlineEndsAtItsDeadlineAndMovesToTheProcessTier() throws Exception {
        String fn = deploy("java", "spin", limits(Map.of("timeout", 150)));
        assertThat(tier(cove.invoke(fn, object()))).isEqualTo("inline");

        TestCove.Answer attack = underGuard(1, () -> cove.invoke(fn, attack()));

        assertTimedOut(attack, 150);
        assertThat(tier(attack)).isEqualTo("inline");
        assertThat(attack.json().path("duration").asLong()).as("ended at its deadline").isBetween(150L, 650L);
        assertThat(serverCpuOver(Duration.ofSeconds(1))).as("the server's CPU in the second after").isLessThan(
                Duration.ofMillis(500));
        JsonNode moved = cove.get(ACTIONS + fn).json().path("tier");
        assertThat(moved.path("runs").asText()).isEqualTo("process");
        assertThat(moved.path("reason").asText()).isEqualTo("an inline activation ran past its time limit of 150 ms");
        TestCove.Answer again = cove.invoke(fn, attack());
        assertTimedOut(again, 150);
        assertThat(tier(again)).isEqualTo("process");
    }

    /**
     * Past the CPU an activation may use in the server's JVM, an endless loop runs again in the process
     * tier, where its sandbox's cgroup holds its CPU, until its time limit.
     */
    @Test
    void anEndlessLoopInlinePastItsCpuRunsAgainInTheProcessTierUntilItsTimeLimit() throws Exception {
        String fn = deploy("java", "spin", limits(Map.of("timeout", 2000)));

        TestCove.Answer attack = underGuard(5, () -> cove.invoke(fn, attack()));

        assertTimedOut(attack, 2000);
        assertThat(tier(attack)).isEqualTo("process");
        assertThat(attack.json().path("logs").toString()).contains(
                "stderr: The function ran for more than 200 ms inside the platform. It runs again in the process tier.");
        assertThat(cove.get(ACTIONS + fn).json().path("tier").path("reason").asText())
                .isEqualTo("an inline activation ran for more than 200 ms inside the platform");
        assertThat(serverCpuOver(Duration.ofSeconds(1))).as("the server's CPU in the second after").isLessThan(
                Duration.ofMillis(500));
    }

    /**
     * Long work is no attack: it runs again in the process tier and ends there. Inline, an activation may
     * use 200 ms of CPU; 2 s by the clock is more than that unless the machine gives it under a tenth of a
     * core.
     */
    @Test
    void aLongComputationInlineRunsAgainInTheProcessTierAndSucceeds() throws Exception {
        String fn = deploy("java", "crunch", limits(Map.of("timeout", 10_000)));

        TestCove.Answer answer = underGuard(1, () -> cove.invoke(fn, object().put("ms", 2000)));

        assertThat(answer.status()).as(answer.json().toString()).isEqualTo(200);
        assertThat(result(answer).path("done").asBoolean()).isTrue();
        assertThat(tier(answer)).isEqualTo("process");
        assertThat(tier(cove.invoke(fn, object().put("ms", 1)))).isEqualTo("process");
    }

    /** Stopped inline at its allocations, before it did anything with effects: it runs again in a JVM of its own. */
    @ParameterizedTest
    @ValueSource(strings = {"hog", "doubler"})
    void aMemoryBombInlineRunsAgainInTheProcessTierAndEndsAtItsLimit(String fixture) throws Exception {
        String fn = deploy("java", fixture, limits(Map.of("memory", 128, "timeout", 20_000)));
        assertThat(tier(cove.invoke(fn, object()))).isEqualTo("inline");

        TestCove.Answer attack = underGuard(1, () -> cove.invoke(fn, attack()));

        assertDeveloperError(attack, "The function exceeded its memory limit of 128 MB.");
        assertThat(tier(attack)).isEqualTo("process");
        assertThat(attack.json().path("logs").toString()).containsPattern(STOPPED_INLINE);
        assertThat(cove.get(ACTIONS + fn).json().path("tier").path("reason").asText())
                .matches("an inline activation (allocated more than its memory limit of 128 MB|ran for more than 200 ms "
                        + "inside the platform)");
    }

    /**
     * Garbage is no bomb: in the process tier the JVM's heap is sized for the function's limit, so it
     * collects instead of growing past it; inline, every byte allocated counts, so the function is
     * stopped there and runs again in the process tier, where it succeeds.
     */
    @ParameterizedTest
    @ValueSource(strings = {"java", "java-process"})
    void aFunctionThatMakesMuchGarbageWithinItsLimitSucceeds(String runtime) throws Exception {
        String fn = deploy(runtime, "garbage", limits(Map.of("memory", 128, "timeout", 20_000)));

        TestCove.Answer answer = underGuard(1, () -> cove.invoke(fn, object()));

        assertThat(answer.status()).as(answer.json().toString()).isEqualTo(200);
        assertThat(result(answer).path("allocatedMb").asLong()).isEqualTo(1024);
        assertThat(tier(answer)).isEqualTo("process");
        if (runtime.equals("java")) {
            assertThat(answer.json().path("logs").toString()).containsPattern(STOPPED_INLINE);
        }
    }

    /** One that wrote to its cache first is not run again: it would write twice. */
    @Test
    void aMemoryBombInlineThatWroteToItsCacheEndsWithoutRunningAgain() throws Exception {
        String fn = deploy("java", "cachehog", limits(Map.of("memory", 128, "timeout", 20_000)));
        TestCove.Answer probe = cove.invoke(fn, object());
        assertThat(tier(probe)).isEqualTo("inline");
        assertThat(result(probe).path("runs").asLong()).isEqualTo(1);

        TestCove.Answer attack = underGuard(1, () -> cove.invoke(fn, attack()));

        assertDeveloperError(attack, "The function allocated more than its memory limit of 128 MB. It had called "
                + "another function or written to its cache, so it was not run again");
        assertThat(tier(attack)).isEqualTo("inline");
        TestCove.Answer after = cove.invoke(fn, object());
        assertThat(tier(after)).isEqualTo("process");
        assertThat(result(after).path("runs").asLong()).as("the attack's one write, then this one").isEqualTo(3);
    }

    @Test
    void aLogFloodInlineIsCappedWithANoteSayingSo() throws Exception {
        String fn = deploy("java", "chatty", limits(Map.of("logs", 1)));

        TestCove.Answer answer = underGuard(1, () -> cove.invoke(fn, object().put("bytes", 4 * MB)));

        assertThat(answer.status()).as(answer.json().toString()).isEqualTo(200);
        assertThat(tier(answer)).isEqualTo("inline");
        List<String> logs = lines(answer.json().path("logs"));
        assertThat(logs.getLast()).endsWith(" stderr: Logs were truncated because they exceeded the limit of " + MB + " bytes.");
        assertThat(logs.size()).isLessThan(1100);
    }

    // ---- small things ----

    static String tier(TestCove.Answer answer) {
        for (JsonNode a : answer.json().path("annotations")) {
            if (a.path("key").asText().equals("tier")) {
                return a.path("value").asText();
            }
        }
        throw new AssertionError("no tier in " + answer.json());
    }

    /** The CPU this JVM (the server's, the inline tier's) spends over the next {@code window}. */
    static Duration serverCpuOver(Duration window) throws InterruptedException {
        var os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long before = os.getProcessCpuTime();
        Thread.sleep(window.toMillis());
        return Duration.ofNanos(os.getProcessCpuTime() - before);
    }
}
