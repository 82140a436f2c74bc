package dev.cove.core.spi;

/** Hears what one activation (or one initialisation) does. Called from any thread. */
public interface RunListener {

    /**
     * A line the function printed.
     *
     * @param stream {@code stdout} or {@code stderr}
     * @param line without its line break
     */
    void log(String stream, String line);

    /** The activation ended; called once. */
    void done(RunOutcome outcome);
}
