package dev.cove.core.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cove.core.cache.CacheCopies;
import dev.cove.core.spi.CacheScope;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A worker's cache operations (docs/worker-protocol.md, "cache"), each on behalf of an activation it
 * runs and answered with one {@code cached} frame. The worker keeps copies of the entries it gets and
 * hears of their changes ("uncache") until it dies.
 */
final class CacheProxy {
    private final ProcessWorker worker;
    private final WorkerLink link;
    private final Map<String, WorkerRun> runs;
    private final CacheCopies copies = this::uncache;

    CacheProxy(ProcessWorker worker, WorkerLink link, Map<String, WorkerRun> runs) {
        this.worker = worker;
        this.link = link;
        this.runs = runs;
    }

    void onCache(ObjectNode fields) {
        String id = fields.path("id").asText("");
        CompletableFuture<ObjectNode> answer;
        WorkerRun run = runs.get(fields.path("activation").asText(""));
        if (run == null) {
            answer = CompletableFuture.completedFuture(Frames.object()
                    .put("error", "A function can use its cache only while one of its activations runs."));
        } else {
            answer = worker.services().cache().handle(run.revision, fields, Optional.of(copies));
        }
        answer.whenComplete((fieldsOut, error) -> {
            ObjectNode out = Frames.object().put("type", "cached").put("id", id);
            out.setAll(error == null ? fieldsOut : Frames.object().put("error", "The cache failed inside the platform."));
            link.send(out);
        });
    }

    /** The gets of an ended run that the worker answered from its copies ({@code cacheHits} of its done frame). */
    void countHits(WorkerRun run, JsonNode hits) {
        if (hits.isObject()) {
            worker.services().cache().countHits(run.revision, hits.path("function").asLong(0), hits.path("app").asLong(0));
        }
    }

    /** The specialised worker died: its copies are gone. */
    void close() {
        worker.services().cache().forget(copies);
    }

    /** An entry the worker may keep a copy of changed (docs/worker-protocol.md, "uncache"). */
    private void uncache(CacheScope scope, Optional<String> key) {
        ObjectNode frame = Frames.object().put("type", "uncache");
        scope.function().ifPresentOrElse(name -> frame.put("scope", "function").put("function", name),
                () -> frame.put("scope", "app"));
        key.ifPresent(k -> frame.put("key", k));
        link.send(frame);
    }
}
