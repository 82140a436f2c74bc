package dev.cove.core.runtime;

import dev.cove.core.spi.Sandbox;
import dev.cove.core.spi.SandboxEndedException;
import dev.cove.core.spi.StartFailure;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where a new worker of an application goes: into the sandbox its application has, or, when it has
 * none, into a stem cell, whose sandbox becomes the application's. So all workers of one application
 * share one sandbox, and workers of two applications never do.
 *
 * <p>One concurrent map from the application's path to the future of its sandbox. The first start of
 * an application puts its claim there and takes a stem cell; starts that come meanwhile wait for the
 * claim and then start a worker in its sandbox, so two cold starts at once can't give an application
 * two sandboxes. A claim is removed when its stem cell can't be had (the waiters try again) and when
 * its sandbox ends; a start that meets an ending sandbox removes the claim and tries again.
 */
final class AppSandboxes {
    /** Enough for a sandbox ending at each attempt, few enough that a fault can't loop. */
    private static final int ATTEMPTS = 3;

    private final Map<String, CompletableFuture<Sandbox>> homes = new ConcurrentHashMap<>();

    /** A started worker for a function of the application, in the application's sandbox. */
    CompletableFuture<ProcessWorker> place(String application, StemCells cells) {
        return place(application, cells, 1);
    }

    private CompletableFuture<ProcessWorker> place(String application, StemCells cells, int attempt) {
        CompletableFuture<Sandbox> claim = new CompletableFuture<>();
        CompletableFuture<Sandbox> home = homes.putIfAbsent(application, claim);
        if (home == null) {
            return cells.take().whenComplete((worker, failure) -> settle(application, claim, worker, failure));
        }
        return home.handle((sandbox, failure) -> failure)
                .thenCompose(failure -> failure == null ? join(application, home, cells, attempt)
                        : retry(application, cells, attempt, failure));
    }

    private void settle(String application, CompletableFuture<Sandbox> claim, ProcessWorker worker, Throwable failure) {
        if (failure != null) {
            homes.remove(application, claim);
            claim.completeExceptionally(failure);
            return;
        }
        claim.complete(worker.sandbox());
        worker.sandbox().ended().thenRun(() -> homes.remove(application, claim));
    }

    private CompletableFuture<ProcessWorker> join(String application, CompletableFuture<Sandbox> home, StemCells cells,
            int attempt) {
        return cells.startIn(home.join()).exceptionallyCompose(failure -> {
            Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
            if (cause instanceof SandboxEndedException) {
                homes.remove(application, home);
            }
            return retry(application, cells, attempt, cause);
        });
    }

    private CompletableFuture<ProcessWorker> retry(String application, StemCells cells, int attempt, Throwable cause) {
        Throwable reason = cause instanceof CompletionException ? cause.getCause() : cause;
        if (attempt >= ATTEMPTS || !(reason instanceof SandboxEndedException || reason instanceof StartFailure)) {
            return CompletableFuture.failedFuture(reason);
        }
        return place(application, cells, attempt + 1);
    }

    /** The sandbox an application has now, if any (for tests and diagnostics). */
    Optional<Sandbox> of(String application) {
        CompletableFuture<Sandbox> home = homes.get(application);
        return home == null || !home.isDone() || home.isCompletedExceptionally() ? Optional.empty()
                : Optional.of(home.join());
    }
}
