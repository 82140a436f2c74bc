package dev.cove.worker;

import dev.cove.api.Handler;

/**
 * A function loaded and ready to run: the worker's own, or a peer whose calls it runs itself.
 *
 * @param maxLogBytes the most log bytes each of its activations may send
 */
record Function(String name, String version, Handler handler, long maxLogBytes) {}
