package dev.cove.server;

import io.vertx.core.http.HttpMethod;
import java.time.Instant;
import java.util.List;

/**
 * Every message the HTTP API answers a person with, in one place. Where OpenWhisk's clients and tests
 * expect OpenWhisk's own words, these are they; the others say what was wrong and with which value.
 */
final class Messages {
    private Messages() {}

    // Routes, credentials and requests as a whole

    static final String NOT_FOUND = "The requested resource does not exist.";
    static final String UNAUTHENTICATED = "The supplied authentication is invalid.";
    static final String INTERNAL = "The server failed to handle the request.";
    static final String NO_AUTHORITY = "The request names no host: HTTP/1.1 asks for a Host header, HTTP/2 for :authority.";
    static final String BAD_QUERY = "The query string is not percent-encoded correctly.";

    static String notFound(String what) {
        return "The requested resource '" + what + "' does not exist.";
    }

    static String notAuthorized(String namespace) {
        return "The supplied authentication is not authorized to access '" + namespace + "'.";
    }

    static String methodNotAllowed(HttpMethod method) {
        return "The method " + method + " is not allowed here.";
    }

    static String tooLarge(long limit) {
        return "The request is larger than the limit of " + limit + " bytes.";
    }

    static String badPathSegment(String segment, String why) {
        return "The path segment '" + segment + "' is not percent-encoded correctly: " + why + ".";
    }

    static final String PERCENT_WITHOUT_HEX = "'%' must be followed by two hex digits";
    static final String SEGMENT_NOT_UTF8 = "its bytes are not UTF-8";

    // Query parameters

    static String repeatedParameter(String name, int times) {
        return "The query parameter " + name + " is given " + times + " times.";
    }

    static String badParameter(String name, String expected, String value) {
        return "The query parameter " + name + " must be " + expected + ", was '" + value + "'.";
    }

    static final String EXPECTED_FLAG = "true or false";
    static final String EXPECTED_EPOCH_MILLIS = "milliseconds since the epoch (a whole number, 0 or more)";
    static final String EXPECTED_NAME = "a name";

    static String expectedWholeNumber(int min, int max) {
        return "a whole number from " + min + " to " + max;
    }

    static String expectedOneOf(List<String> words) {
        return "one of " + String.join(", ", words);
    }

    // JSON bodies: the parser's own words name its classes and features, which are nothing to the caller

    static final String MALFORMED = "The request content was malformed:\n";
    static final String JSON_CUT_SHORT =
            "the JSON ends before it is complete (an object, an array or a string is not closed)";
    static final String JSON_TRAILING = "more follows the JSON value";
    static final String JSON_NOT_UTF8 = "the body is not UTF-8";
    static final String NOT_JSON = "not JSON";
    static final String NOT_AN_OBJECT = "the body must be a JSON object.";

    static String unexpected(String character) {
        return "unexpected " + character;
    }

    static String controlCharacter(byte b) {
        return String.format("control character U+%04X (in a string it must be escaped)", b);
    }

    static String at(int line, int column) {
        return " at line " + line + ", column " + column;
    }

    // Actions and applications

    static final String EXISTS = "resource already exists";
    static final String EXEC_REQUIRED = "exec is required: {\"kind\": …, \"code\": …}";
    static final String COMPONENTS_REQUIRED =
            "exec.components of a sequence must be a list of one or more action names";
    static final String CODE_REQUIRED = "exec.code is required and must be a string";
    static final String DEPENDENCIES_NOT_TEXT =
            "exec.dependencies must be a string: the text of a package.json (nodejs) or a requirements.txt (python)";
    static final String PARAMETERS_NOT_A_LIST = "parameters must be a list of {\"key\": …, \"value\": …}";
    static final String PARAMETER_WITHOUT_KEY = "every parameter needs a key";
    static final String LIMITS_NOT_AN_OBJECT = "limits must be an object";
    static final String FUNCTIONS_REQUIRED = "functions is required: a list of actions, each with its name";
    static final String FUNCTION_WITHOUT_NAME = "every function of an application needs a name";
    static final String WORKFLOW_NOT_AN_OBJECT =
            "workflow must be an object (a state machine in the Amazon States Language)";

    static String kindNotYetSupported(String kind) {
        return "The kind '" + kind + "' is not supported by Cove yet.";
    }

    static String unknownKind(String kind, List<String> spellings) {
        return "The specified runtime '" + kind + "' is not supported by this platform. Valid values are: '"
                + String.join("', '", spellings) + "'.";
    }

    static String componentNotAName(String component) {
        return "exec.components must hold action names, was " + component;
    }

    static String binaryNotBase64(String why) {
        return "exec.code of a binary action must be base64: " + why;
    }

    static String limitNotWhole(String field, String value) {
        return "limits." + field + " must be a whole number, was " + value;
    }

    static final String DEBUG_NEEDS_WEBSOCKET = "A debug shell is a WebSocket (docs/debugging.md): open it with"
            + " cove debug, or a WebSocket client that sends Upgrade: websocket.";

    static String limitNotBoolean(String field, String value) {
        return "limits." + field + " must be true or false, was " + value;
    }

    /** A field's own message (from the model's validation), prefixed with the object it is in. */
    static String in(String object, String message) {
        return object + "." + message;
    }

    static String ofFunction(String function, String message) {
        return "The function " + function + ": " + message;
    }

    // Activations and workflow executions

    static final String BAD_ACTIVATION_ID = "The activation id is not valid.";
    static final String BAD_EXECUTION_ID = "The execution id is not valid.";

    // Debug shells

    static final String DEBUG_SESSION_NOT_RECORDED =
            "No shell was opened: the server could not record the debug session in its store.";

    // Triggers, rules and their schedules

    static final String ANNOTATIONS_NOT_A_LIST = "annotations must be a list of {\"key\": …, \"value\": …}";
    static final String ANNOTATION_WITHOUT_KEY = "every annotation needs a key";
    static final String SCHEDULE_NOT_AN_OBJECT = "schedule must be an object, {\"cron\": …}, {\"once\": …} or"
            + " {\"interval\": …}, or null for none";
    /** OpenWhisk's words. */
    static final String RULE_NEEDS_TRIGGER_AND_ACTION = "rule requires a valid trigger and a valid action";
    static final String RULE_ACTION_OR_SELECTOR = "A rule names one action or a label selector, not both.";
    static final String SELECTOR_NOT_TEXT = "A rule's selector is a text, such as \"created-by=cove,function in (a,b)\".";
    static final String TOPIC_NOT_TEXT = "A trigger's topic is a name, or null for none.";
    static final String HTTP_ROUTE_SHAPE = "A trigger's http is {\"path\": \"/PATH\", \"methods\": [\"POST\"], "
            + "\"function\": \"NAME\"}, or null for none.";
    static final String RETRIES_NOT_A_NUMBER = "retries must be a whole number from 0 to 10.";
    static final String LABELS_NOT_AN_OBJECT = "labels must be an object of texts, {\"function\": \"downscale\", …}.";

    static String selectorMatchesNothingYet(String selector) {
        return "The selector '" + selector + "' matches no function yet; the rule invokes the functions that "
                + "match it when its trigger fires.";
    }

    static String notAnObject(String field, String value) {
        return field + " must be a JSON object, was " + value;
    }

    static String notText(String field, String value) {
        return field + " must be a string, was " + value;
    }

    static String notAFlag(String field, String value) {
        return field + " must be true or false, was " + value;
    }

    static String badTime(String field, String value) {
        return field + " must be an ISO-8601 time with its offset, like 2026-12-24T18:00:00Z, or milliseconds since"
                + " the epoch; was '" + value + "'";
    }

    static String badZone(String field, String value) {
        return field + " must be a time zone like Europe/Paris or UTC, was '" + value + "'";
    }

    static String badInterval(String field, String value) {
        return field + " must be an ISO-8601 duration like PT10M or PT30S, was '" + value + "'";
    }

    static String badMissed(String field, String value) {
        return field + " must be once or skip, was '" + value + "'";
    }

    static String notInTheFuture(String field, Instant time) {
        return field + " must be in the future, was " + time;
    }

    static String badReference(String field, String value) {
        return field + " must name something of this namespace, as \"NAME\", \"/_/NAME\" or \"/NAMESPACE/NAME\";"
                + " was " + value;
    }

    /** OpenWhisk's words. */
    static String badRuleStatus(String value) {
        return "'" + value + "' is not a recognized rule state, must be one of ['active', 'inactive']";
    }

    // The alarms feed (whisk.system/alarms), in the words of OpenWhisk's alarms package where it has them

    static final String TRIGGER_NAME_REQUIRED = "no trigger name parameter was provided";

    static String badMinutes(String value) {
        return "the minutes parameter must be an integer greater than zero, was " + value;
    }

    static String badDeleteAfterFire(String value) {
        return "deleteAfterFire parameter must be one of [false, true, rules], was " + value;
    }

    static String badTriggerPayload(String value) {
        return "trigger_payload must be a JSON object, or a string (passed as {\"payload\": …}), was " + value;
    }

    static String missingFeedParameter(String feed, String parameter) {
        return "the alarms feed " + feed + " is missing the " + parameter + " parameter";
    }

    static String unsupportedLifecycleEvent(String event) {
        return "unsupported lifecycleEvent '" + event + "': the alarms feed answers CREATE, READ, UPDATE and DELETE";
    }

    static String noTrigger(String trigger) {
        return "The trigger " + trigger + " does not exist: create it first.";
    }

    static String noSchedule(String trigger) {
        return "The trigger " + trigger + " has no schedule.";
    }

    // Web routes, in OpenWhisk's words where its web actions answer with them

    /** OpenWhisk's 401 for a web action the request may not call. */
    static final String WEB_UNAUTHORIZED = "Authentication is possible but has failed or not yet been provided.";
    static final String RESERVED_PARAMETERS =
            "Request defines parameters that are not allowed (e.g., reserved properties).";
    static final String WEB_FAILED = "There was an error processing your request.";
    static final String INVALID_MEDIA = "Response is not valid '%s'.";
    static final String PROPERTY_NOT_FOUND = "Response does not include requested property.";
    static final String UNKNOWN_CONTENT_TYPE = "Response did not specify a known content-type.";
    static final String CONTENT_TYPE_MISMATCH = "Response type in header did not match generated content type.";
    static final String NOT_ACCEPTABLE = "Resource representation is only available with these types:\n";

    static String invalidStatusCode(String statusCode) {
        return "The function answered with an invalid statusCode: " + statusCode;
    }
}
