package dev.cove.api;

import java.util.Map;

/**
 * A Java function. Cove calls {@link #handle} once per activation, possibly from several threads at
 * once when the function's concurrency limit is above one.
 *
 * <p>Parameters arrive as JSON decoded to {@code Map}, {@code List}, {@code String}, {@code Number},
 * {@code Boolean} and {@code null}; the returned map must be made of the same types. A result with
 * an {@code "error"} key ends the activation as an application error, as in Apache OpenWhisk; an
 * exception ends it as a developer error carrying the exception's message, its stack trace in the
 * activation's logs, and so does a {@code null} result.
 *
 * <pre>{@code
 * public class Hello implements Handler {
 *     public Map<String, Object> handle(Map<String, Object> params, Context context) {
 *         return Map.of("greeting", "Hello, " + params.getOrDefault("name", "world") + "!");
 *     }
 * }
 * }</pre>
 *
 * <p>A class with {@code public static Map<String, Object> main(Map<String, Object> params)}
 * works too, without implementing this interface.
 */
@FunctionalInterface
public interface Handler {

    /**
     * Runs one activation.
     *
     * @param params the invocation's parameters merged over the function's default parameters
     * @param context facts about this activation
     * @return the activation's result, a JSON object
     * @throws Exception to end the activation as a developer error
     */
    Map<String, Object> handle(Map<String, Object> params, Context context) throws Exception;
}
