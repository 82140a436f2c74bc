package dev.cove.core.runtime;

import dev.cove.core.spi.RunListener;
import dev.cove.core.spi.RunOutcome;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** A listener that keeps an activation's log lines and completes with its outcome. Public for InlineTierContract. */
public record Recording(List<String> logs, CompletableFuture<RunOutcome> outcome) implements RunListener {
    @Override
    public void log(String stream, String line) {
        logs.add(line);
    }

    @Override
    public void done(RunOutcome o) {
        outcome.complete(o);
    }
}
