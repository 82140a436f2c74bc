package dev.cove.core.model;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.CompletableFuture;

/** A workflow execution just started: its id, and its document once it has ended. */
public record ExecutionStarted(String executionId, CompletableFuture<ObjectNode> ended) {}
