package dev.cove.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cove.core.Node;
import dev.cove.core.model.ActivationQuery;
import dev.cove.core.model.ActivationRecord;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** {@code /api/v1/namespaces/{ns}/activations}: list, get, logs, result, and chain (what one caused). */
final class Activations {
    private static final Pattern ID = Pattern.compile("[0-9a-fA-F]{32}");
    private static final int DEFAULT_LIMIT = 30;

    private final Node platform;

    Activations(Node platform) {
        this.platform = platform;
    }

    /** What of an activation a route answers: its record, its logs, or its result. */
    enum Part { RECORD, LOGS, RESULT }

    void get(Exchange ex, String ns, String id, Part part) throws ApiError {
        requireId(id);
        ex.blocking(() -> platform.activation(ns, id.toLowerCase(Locale.ROOT)).orElseThrow(() -> ApiError.notFound(id)),
                record -> answer(ex, record, part));
    }

    void chain(Exchange ex, String ns, String id) throws ApiError {
        requireId(id);
        boolean docs = ex.query().flag("docs", false);
        ex.blocking(() -> chainOf(ns, id.toLowerCase(Locale.ROOT)), records -> ex.json(200, render(records, docs)));
    }

    static void requireId(String id) throws ApiError {
        if (!ID.matcher(id).matches()) {
            throw ApiError.badRequest(Messages.BAD_ACTIVATION_ID);
        }
    }

    private List<ActivationRecord> chainOf(String ns, String id) throws ApiError {
        List<ActivationRecord> chain = platform.chain(ns, id);
        if (chain.isEmpty()) {
            throw ApiError.notFound(id);
        }
        return chain;
    }

    private void answer(Exchange ex, ActivationRecord record, Part part) {
        ObjectNode activation = parse(record);
        switch (part) {
            case LOGS -> ex.json(200, Exchange.JSON.createObjectNode().set("logs", activation.path("logs")));
            case RESULT -> {
                JsonNode response = activation.path("response");
                ObjectNode result = Exchange.JSON.createObjectNode();
                result.set("result", response.path("result"));
                result.put("success", response.path("success").asBoolean());
                result.put("status", response.path("status").asText());
                result.put("size", response.path("result").toString().length());
                ex.json(200, result);
            }
            case RECORD -> ex.json(200, activation);
        }
    }

    void list(Exchange ex, String ns) throws ApiError {
        Query params = ex.query();
        ActivationQuery query = new ActivationQuery(ns, params.name("name"), params.epochMillis("since"),
                params.epochMillis("upto"), params.integer("skip", 0, 0, Integer.MAX_VALUE),
                params.integer("limit", DEFAULT_LIMIT, 0, ActivationQuery.MAX_LIMIT));
        boolean docs = ex.query().flag("docs", false);
        ex.blocking(() -> platform.activations(query), records -> ex.json(200, render(records, docs)));
    }

    /** Without {@code docs}, as OpenWhisk: no logs and no result. */
    private static ArrayNode render(List<ActivationRecord> records, boolean docs) {
        ArrayNode list = Exchange.JSON.createArrayNode();
        for (ActivationRecord r : records) {
            ObjectNode a = parse(r);
            if (!docs) {
                a.remove("logs");
                ((ObjectNode) a.path("response")).remove("result");
            }
            list.add(a);
        }
        return list;
    }

    private static ObjectNode parse(ActivationRecord record) {
        try {
            return (ObjectNode) Exchange.JSON.readTree(record.json());
        } catch (IOException e) {
            throw new IllegalStateException("a stored activation is not JSON: " + record.activationId(), e);
        }
    }
}
