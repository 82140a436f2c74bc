package dev.cove.worker;

/** How an activation ended: with its result encoded, or with a failure (the function's fault). */
sealed interface Ending {

    /** The result's JSON, in a borrowed writer the sender of the done frame releases. */
    record Returned(JsonWriter json) implements Ending {}

    record Failed(String failure) implements Ending {}
}
