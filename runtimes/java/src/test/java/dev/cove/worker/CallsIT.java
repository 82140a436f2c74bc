package dev.cove.worker;

import static dev.cove.worker.PlatformEnd.frame;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A function's calls to other functions and its cache, over real frames (docs/worker-protocol.md,
 * "call", "cache", "peer and unpeer", "fused"): the test answers as the platform would.
 */
class CallsIT extends WorkerTesting {

    /** Runs Behaviours' {@code invoke} of {@code name}, answers its call frame, and gives the run's result. */
    private static Object invoked(PlatformEnd worker, String runId, Map<String, Object> params,
            Object... answer) throws IOException {
        worker.send(run(runId, frame("do", "invoke", "name", "price", "params", params)));
        Map<String, Object> call = worker.expect("call");
        assertThat(call).isEqualTo(frame("type", "call", "id", call.get("id"), "activation", runId, "name", "price",
                "params", params, "wait", true));
        Map<String, Object> called = frame("type", "called", "id", call.get("id"));
        called.putAll(frame(answer));
        worker.send(called);
        return done(worker, runId).get("result");
    }

    private static Map<String, Object> failure(String message, String activationId, String status,
            Map<String, Object> result) {
        return frame("message", message, "activationId", activationId, "status", status, "result", result);
    }

    @Test
    void invokeSendsACallFrameAndAnswersAsTheCalledFrameSays() throws IOException {
        try (PlatformEnd worker = ready("Behaviours")) {
            Map<String, Object> tea = frame("sku", "tea");
            assertThat(invoked(worker, "r-1", tea, "activationId", "01a2", "success", true, "status", "success",
                    "result", frame("price", 3)))
                    .isEqualTo(frame("result", frame("price", 3)));
            assertThat(invoked(worker, "r-2", tea, "activationId", "01a2", "success", false,
                    "status", "application error", "result", frame("error", "no product")))
                    .isEqualTo(failure("no product", "01a2", "application error", frame("error", "no product")));
            assertThat(invoked(worker, "r-3", tea, "activationId", "01a2", "success", false,
                    "status", "application error", "result", frame("error", frame("code", 7))))
                    .isEqualTo(failure("{\"code\":7}", "01a2", "application error", frame("error", frame("code", 7))));
            assertThat(invoked(worker, "r-4", frame(), "error", "There is no function named price in the namespace guest."))
                    .isEqualTo(failure("There is no function named price in the namespace guest.", "", "refused", frame()));
            assertThat(invoked(worker, "r-5", tea, "activationId", "01a2", "success", true, "status", "success",
                    "result", List.of(1, 2)))
                    .isEqualTo(frame("result", frame("result", List.of(1, 2))));
        }
    }

    @Test
    void sendGoesWithoutWaitingAndParametersThatAreNotJsonAreRefusedWithoutAFrame() throws IOException {
        try (PlatformEnd worker = ready("Behaviours")) {
            worker.send(run("r-send", frame("do", "send", "name", "audit")));
            Map<String, Object> call = worker.expect("call");
            assertThat(call).containsEntry("wait", false).containsEntry("name", "audit")
                    .containsEntry("params", frame("n", 1)).containsEntry("activation", "r-send");
            worker.send(frame("type", "called", "id", call.get("id"), "activationId", "01a3"));
            assertThat(done(worker, "r-send")).containsEntry("result", frame("activationId", "01a3"));

            worker.send(run("r-bad", frame("do", "invokeNotJson")));
            assertThat(worker.expect("done")).containsEntry("result", failure(
                    "The parameters of the call are not valid JSON: a java.lang.Object at $.x", "", "refused", frame()));
        }
    }

    @Test
    void eachCacheOperationIsAFrameAnsweredByACachedFrame() throws IOException {
        try (PlatformEnd worker = ready("Behaviours")) {
            worker.send(run(RUN_ID, frame("do", "cache")));
            answerCache(worker, frame("scope", "function", "op", "set", "key", "k", "value", frame("v", 1),
                    "ttlMs", 60000), frame());
            answerCache(worker, frame("scope", "function", "op", "get", "key", "k"),
                    frame("found", true, "value", frame("v", 1)));
            worker.send(frame("type", "uncache", "scope", "function", "function", "hello", "key", "k"));
            answerCache(worker, frame("scope", "function", "op", "get", "key", "none"), frame("found", false));
            answerCache(worker, frame("scope", "app", "op", "set", "key", "raw", "bytes", "AQID"), frame());
            answerCache(worker, frame("scope", "app", "op", "get", "key", "raw"),
                    frame("found", true, "bytes", "AQID", "keepMs", 59480));
            answerCache(worker, frame("scope", "function", "op", "delete", "key", "k"), frame("deleted", true));
            answerCache(worker, frame("scope", "function", "op", "increment", "key", "hits", "by", 2), frame("value", 2));
            answerCache(worker, frame("scope", "function", "op", "setIfAbsent", "key", "once", "value", "x",
                    "ttlMs", 1500), frame("written", true));
            answerCache(worker, frame("scope", "function", "op", "set", "key", "huge", "value", "x"),
                    frame("error", "The value is 2097152 bytes, over the cache's limit of 1048576 bytes."));
            assertThat(worker.expect("done")).containsEntry("result", frame("got", frame("v", 1), "missing", false,
                    "raw", "[1, 2, 3]", "deleted", true, "hits", 2, "written", true,
                    "error", "The value is 2097152 bytes, over the cache's limit of 1048576 bytes.",
                    "notJson", "The value is not valid JSON: a java.lang.Object at $[0]"));
        }
    }

    /** Expects the run's next cache frame, with these fields, and answers it. */
    private static void answerCache(PlatformEnd worker, Map<String, Object> fields, Map<String, Object> answer)
            throws IOException {
        Map<String, Object> request = worker.expect("cache");
        Map<String, Object> expected = frame("type", "cache", "id", request.get("id"), "activation", RUN_ID);
        expected.putAll(fields);
        assertThat(request).isEqualTo(expected);
        Map<String, Object> cached = frame("type", "cached", "id", request.get("id"));
        cached.putAll(answer);
        worker.send(cached);
    }

    static Map<String, Object> peer(String name, String main) {
        return frame("type", "peer", "name", name, "version", "0.0.2", "entry", classes.toString(), "main", main,
                "kind", "java:21", "params", frame("currency", "EUR", "keep", 1), "timeoutMs", 3000,
                "memoryMb", 256, "maxLogBytes", 1048576);
    }

    private static Map<String, Object> invokeCallee(Map<String, Object> params) {
        return frame("do", "invoke", "name", "callee", "params", params);
    }

    @Test
    void aPeersCallIsRunInTheWorkerAnnouncedByAFusedFrameUnderTheIdThePlatformComputes() throws IOException {
        try (PlatformEnd worker = ready("Behaviours")) {
            worker.send(peer("callee", "Callee"));
            long before = System.currentTimeMillis();
            worker.send(run(RUN_ID, invokeCallee(frame("sku", "tea", "currency", "USD"))));
            List<Map<String, Object>> frames = worker.until("done", RUN_ID);
            String callee = FusedIds.of(RUN_ID, 1);
            assertThat(callee).isEqualTo("0193a1b2c3d4326ae47e55e33ad5ebec");
            assertThat(frames).hasSize(4);
            assertThat(frames.get(0)).isEqualTo(frame("type", "fused", "id", callee, "activation", RUN_ID, "n", 1,
                    "name", "callee", "version", "0.0.2"));
            assertThat(frames.get(1)).isEqualTo(log(callee, "stdout", "callee says hi"));
            Map<String, Object> result = Frames.object(frames.get(2).get("result"));
            assertThat(frames.get(2)).containsEntry("type", "done").containsEntry("id", callee);
            assertThat(result).containsEntry("params", frame("currency", "USD", "keep", 1, "sku", "tea"))
                    .containsEntry("activationId", callee).containsEntry("functionName", "callee")
                    .containsEntry("functionVersion", "0.0.2");
            assertThat(((Number) result.get("deadline")).longValue()).isBetween(before + 3000, before + 3000 + 60_000);
            assertThat(List.copyOf(Frames.object(result.get("params")).keySet())).containsExactly("currency", "keep", "sku");
            assertThat(frames.get(3)).isEqualTo(frame("type", "done", "id", RUN_ID, "result", frame("result", result)));
        }
    }

    @Test
    void aFusedCallThatFailsIsAnInvocationExceptionAsACalledFrameWouldMakeIt() throws IOException {
        try (PlatformEnd worker = ready("Behaviours")) {
            worker.send(peer("callee", "Callee"));
            worker.send(run("r-app", invokeCallee(frame("fail", "app"))));
            assertThat(done(worker, "r-app")).containsEntry("result", failure("no product",
                    FusedIds.of("r-app", 1), "application error", frame("error", "no product")));
            worker.send(run("r-throw", invokeCallee(frame("fail", "throw"))));
            List<Map<String, Object>> frames = worker.until("done", "r-throw");
            String failure = "java.lang.IllegalStateException: callee threw";
            assertThat(frames.get(frames.size() - 2)).isEqualTo(frame("type", "done", "id", FusedIds.of("r-throw", 1),
                    "failure", failure));
            assertThat(frames.getLast()).containsEntry("result", failure(failure, FusedIds.of("r-throw", 1),
                    "action developer error", frame("error", failure)));
        }
    }

    @Test
    void aFusedCalleesOwnCallsAreFusedUnderItsIdOneLevelDeeper() throws IOException {
        try (PlatformEnd worker = ready("Behaviours")) {
            worker.send(peer("callee", "Callee"));
            worker.send(run(RUN_ID, invokeCallee(frame("deeper", true))));
            String outer = FusedIds.of(RUN_ID, 1);
            String inner = FusedIds.of(outer, 1);
            assertThat(worker.until("done", RUN_ID)).extracting(f -> f.get("type") + " " + f.get("id"))
                    .containsExactly("fused " + outer, "log " + outer, "fused " + inner, "log " + inner,
                            "done " + inner, "done " + outer, "done " + RUN_ID);
        }
    }

    @Test
    void callsGoAsCallFramesPastTheDepthLimitAfterUnpeerForSendsAndForAPeerThatFailsToLoad() throws IOException {
        try (PlatformEnd worker = ready("Behaviours", "maxCallDepth", 3)) {
            worker.send(peer("callee", "Callee"));
            worker.send(peer("broken", "CalleeBroken"));
            Map<String, Object> deep = run("r-deep", invokeCallee(frame()));
            deep.put("depth", 3);
            worker.send(deep);
            answerWithRefusal(worker, "r-deep", "callee");
            worker.send(run("r-send", frame("do", "send", "name", "callee")));
            answerWithRefusal(worker, "r-send", "callee");
            for (String id : List.of("r-broken-1", "r-broken-2")) {
                worker.send(run(id, frame("do", "invoke", "name", "broken", "params", frame())));
                answerWithRefusal(worker, id, "broken");
            }
            worker.send(frame("type", "unpeer", "name", "callee"));
            worker.send(run("r-unpeered", invokeCallee(frame())));
            answerWithRefusal(worker, "r-unpeered", "callee");
        }
    }

    private static void answerWithRefusal(PlatformEnd worker, String runId, String name) throws IOException {
        Map<String, Object> call = worker.expect("call");
        assertThat(call).containsEntry("activation", runId).containsEntry("name", name);
        worker.send(frame("type", "called", "id", call.get("id"), "error", "not now"));
        assertThat(done(worker, runId)).containsKey("result");
    }
}
