package dev.cove.core.model;

import java.time.Duration;
import java.time.Instant;

/**
 * The words Cove's users read when something is refused or fails, in one place so that they read
 * alike, carry their numbers, and are changed once. Each says what happened and, where there is
 * one, what to do; none carries an internal exception's text.
 */
public final class Messages {
    private Messages() {}

    public static final String SHUTTING_DOWN = "The platform is shutting down.";
    public static final String OVERLOADED =
            "The platform is overloaded: activation records are not being stored fast enough. Try again shortly.";
    public static final String REDEPLOYED = "The function was redeployed or deleted.";

    public static String stoppedIdle(Duration idleTimeout) {
        return "The instance ran nothing for its idle timeout of " + idleTimeout.toMillis() + " ms and stopped.";
    }
    public static final String COULD_NOT_START = "The platform could not start the function.";
    public static final String CALL_PARAMETERS_NOT_OBJECT = "The parameters of a call must be a JSON object.";

    public static String tooManyRequests(String function, int waiting, int maxInstances) {
        return "Too many requests: " + function + " has " + waiting + " activations waiting and all of its "
                + maxInstances + " instances busy.";
    }

    public static String chainTooDeep(int depth, int maxDepth) {
        return "The call would make a chain of " + depth + " activations, over the limit of " + maxDepth
                + ": a function that calls itself needs a condition that ends the chain.";
    }

    public static String overTimeLimit(long timeoutMs) {
        return "The function exceeded its time limit of " + timeoutMs + " ms.";
    }

    public static String waitedTooLong(String function, long waitedMs, int instances, int maxInstances, long maxWaitMs) {
        return "The activation waited " + waitedMs + " ms for an instance of " + function + " (" + instances + " of "
                + maxInstances + " started, all busy) and gave up before it ran: an activation of " + function
                + " waits at most " + maxWaitMs + " ms (its time limit, or the node's longest wait when that is longer).";
    }

    public static final String NO_DEBUG_SHELL = "The activation's sandbox is kept, but has no shell to open:"
            + " its function is not in a sandbox, or the server's machine lacks busybox-static.";

    public static String notKeptForDebugging(String activationId) {
        return "No sandbox is kept for activation " + activationId + ": only one that failed as a developer error or"
                + " a timeout (cove up --debug-on adds application errors) is kept, for its debug window"
                + " (cove up --debug-window, 5 minutes by default), and only the most recent (cove up --debug-keep).";
    }

    public static String noLiveInstance(String function) {
        return "There is no instance of " + function + " started to open a shell in: invoke it first, or deploy it"
                + " with --min-instances 1.";
    }

    public static String noSuchFunction(String function, String namespace) {
        return "There is no function named " + function + " in the namespace " + namespace + ".";
    }

    public static String notRemembered(String activationId, int keptPerNamespace) {
        return "Activation " + activationId + " can't run again: the server keeps the parameters of each namespace's"
                + " last " + keptPerNamespace + " failed activations, across restarts and as long as their records,"
                + " but not of successes, nor of functions deployed with --debug off.";
    }

    public static String paramsNotKept(String activationId, String function) {
        return "Activation " + activationId + " can't run again: " + function + " was deployed with --debug off"
                + " when it failed, and the parameters of its failures are not kept.";
    }

    public static String codeNotKept(String activationId, String function, String ranOn, String current) {
        return "Activation " + activationId + " of " + function + " ran on version " + ranOn + ", whose code is no"
                + " longer kept since " + current + " was deployed: cove replay " + activationId + " --latest"
                + " (latest=true) runs it on " + current + ".";
    }

    public static final String REPLAYED_IN_PROCESS = "a replay of an activation that ran inline runs in the"
            + " process tier, in a sandbox a debugger can open a shell in";

    public static String debugOff(String function) {
        return function + " is deployed with --debug off: no debug shell opens in its sandboxes and none is kept"
                + " after a failure (cove deploy --debug on allows them).";
    }

    public static String notInSandbox(String activationId) {
        return "Activation " + activationId + " ran inline, in the server's JVM, which leaves no sandbox to debug:"
                + " cove replay " + activationId + " --debug runs it again in the process tier and keeps its sandbox.";
    }

    public static final String DEBUG_WINDOW_OVER =
            "The instance was kept for debugging after its activation failed, and its time is over.";

    public static final String STOPPED_FOR_MEMORY =
            "The instance ran nothing and stopped to give its memory to another function's.";

    public static String noWorkerMemory(String function, long waitedMs, int memoryMb, long budgetMb) {
        return "No memory for an instance of " + function + ": the node's workers have a budget of " + budgetMb
                + " MB, held by busy instances, and this one needs " + memoryMb + " MB; the activation waited "
                + waitedMs + " ms for some to be given back, the longest it may wait.";
    }

    public static String overWorkerMemory(String function, int memoryMb, long budgetMb) {
        return "The memory limit of " + function + ", " + memoryMb + " MB, is more than all of this node's workers"
                + " may have together (" + budgetMb + " MB, cove up --worker-memory).";
    }

    public static String overTimeLimitAtInit(long timeoutMs) {
        return "The function exceeded its time limit of " + timeoutMs + " ms during initialization.";
    }

    public static String stoppedForTimeout(String activationId) {
        return "The function's instance was stopped because activation " + activationId
                + " ran past its time limit.";
    }

    public static String failedToInitialise(String why) {
        return "The function failed to initialise: " + why;
    }

    /** The workers' own words for it too (runtimes/), so that the message is the same whoever noticed. */
    public static String resultTooLarge(long size, long maxBytes, String start) {
        return "The function's result is " + size + " bytes, over the limit of " + maxBytes + " bytes; it began: "
                + start;
    }

    public static String errorTooLarge(long size, long maxBytes, String start) {
        return "The function's error is " + size + " bytes, over the limit of " + maxBytes + " bytes; it began: "
                + start;
    }

    public static String applicationHasTheName(String name) {
        return "The application " + name + " has that name; a function outside it can't.";
    }

    public static String functionBelongsTo(String function, String application) {
        return "The function " + function + " belongs to the application " + application + ".";
    }

    public static String sequenceComponentOutsideNamespace(String component) {
        return "A sequence's components are actions of its own namespace; " + component + " is not.";
    }

    public static String sequenceComponentMissing(String component) {
        return "Sequence component does not exist: " + component + ".";
    }

    public static String sequenceCallsItself(String component) {
        return "The sequence would call itself through " + component + ".";
    }

    public static String sequenceInApplication(String function) {
        return "The function " + function + ": a sequence can't be part of an application; the application's "
                + "workflow chains its functions.";
    }

    /** A deployment's error about one of its functions. */
    public static String ofFunction(String function, String message) {
        return "The function " + function + ": " + message;
    }

    public static String noWorkflow(String application) {
        return "The application " + application + " has no workflow.";
    }

    public static final String DELETE_AFTER_FIRE_ONCE_ONLY = "Only a trigger that fires once can delete itself after its fire.";

    public static final String PUBLISH_OUTSIDE_ACTIVATION =
            "A function can publish only while one of its activations runs.";
    public static final String PUBLISH_WITHOUT_TOPIC = "A message needs the name of the topic to publish it on.";
    public static final String MESSAGE_NOT_OBJECT = "A message on a topic must be a JSON object.";
    public static final String PUBLISH_FAILED = "The message could not be published inside the platform.";
    public static final String TOPICS_UNAVAILABLE = "Topics are not available here.";

    public static String topicFunctionRefused(String topic) {
        return "A function a message on topic " + topic + " fires refused work just now (its queue is full, or the"
                + " node is stopping): the message comes again in a moment.";
    }

    public static String messageTooLarge(long size, long maxBytes) {
        return "The message is " + size + " bytes, over the limit of " + maxBytes + " bytes.";
    }

    public static String scheduleKinds(int given) {
        return "A schedule is one of a cron expression, one time, or an interval; " + given + " were given.";
    }

    public static String intervalTooShort(Duration interval) {
        return "An interval is at least 1 s; was " + interval.toMillis() + " ms.";
    }

    public static String stopBeforeStart(Instant start, Instant stop) {
        return "The stop time (" + stop + ") must come after the start time (" + start + ").";
    }

    public static String badCron(String expression, String reason) {
        return "The cron expression '" + expression + "' is not valid: " + reason;
    }

    public static String triggerMissing(String trigger) {
        return "The trigger " + trigger + " does not exist.";
    }

    public static String ruleMissing(String rule) {
        return "The rule " + rule + " does not exist.";
    }

    public static String functionMissing(String function) {
        return "The function " + function + " does not exist.";
    }

    public static String triggerExists(String trigger) {
        return "The trigger " + trigger + " exists already; update it (overwrite), or delete it first.";
    }

    public static String ruleExists(String rule) {
        return "The rule " + rule + " exists already; change its status, or delete it and create it again.";
    }

    public static String emptySelector(String text) {
        return "The selector '" + text + "' names no label.";
    }

    public static String badSelector(String text, String part) {
        return "The selector '" + text + "' does not read at '" + part + "': write key=value, key!=value, "
                + "key in (a,b), key notin (a,b), key or !key, separated by commas.";
    }

    public static String badLabelKey(String key) {
        return "A label's key is up to 63 letters, digits, '-', '_' or '.', beginning and ending with a letter "
                + "or digit, after an optional DNS prefix and '/'; was '" + key + "'.";
    }

    public static String badLabelValue(String value) {
        return "A label's value is empty, or up to 63 letters, digits, '-', '_' or '.', beginning and ending "
                + "with a letter or digit; was '" + value + "'.";
    }

    public static String selectorMatchesNothing(String selector) {
        return "The selector '" + selector + "' matches no function.";
    }

    public static String ruleTargets(String rule) {
        return "The rule " + rule + " names one function or a label selector, not both and not neither.";
    }

    public static String badRoutePath(String path) {
        return "An HTTP trigger's path begins with '/' and holds letters, digits and -._~!$&'()*+,;=:@ between "
                + "slashes; was '" + path + "'.";
    }

    public static String reservedRoutePath(String path, String reserved) {
        return "The path " + path + " is under " + reserved + ", which the server answers itself.";
    }

    public static String badRouteMethod(String method) {
        return "An HTTP trigger answers GET, POST, PUT, PATCH or DELETE; was '" + method + "'.";
    }

    public static String routeTaken(String path, String trigger) {
        return "The path " + path + " is the trigger " + trigger + "'s already.";
    }

    public static String badRetries(int retries, int max) {
        return "A rule retries 0 to " + max + " times; was " + retries + ".";
    }

    public static String failureMissing(String id) {
        return "The trigger has no failure " + id + ".";
    }

    public static String installerMissing(String kind, String installer, String debianPackage) {
        return "A " + kind + " function's dependencies are installed with " + installer + ", which this server"
                + " does not have: install the package " + debianPackage + " (e.g. sudo apt-get install "
                + debianPackage + ") and deploy again.";
    }

    public static String installFailed(String installer, int exitStatus, String output) {
        return "Installing the dependencies failed: " + installer + " ended with exit status " + exitStatus
                + ". It said:\n" + output;
    }

    public static String installTimedOut(String installer, Duration limit, String output) {
        return "Installing the dependencies took longer than " + limit.toSeconds() + " s, so "
                + installer + " was stopped. It said:\n" + output;
    }

    public static String dependencyRefused(String file, String line, String why) {
        return "The dependencies' " + file + " names '" + line + "', which Cove does not install: " + why;
    }
}
