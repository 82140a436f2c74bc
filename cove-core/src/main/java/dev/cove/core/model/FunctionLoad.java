package dev.cove.core.model;

/**
 * What one function of a node is doing, for {@code cove top}.
 *
 * @param name the function
 * @param instances its instances now, and the activations waiting for one
 * @param activations the activations of its current version ended on this node since it was deployed
 *     or the node started
 * @param coldStarts the instances started for it since then
 */
public record FunctionLoad(String name, InstanceCounts instances, long activations, long coldStarts) {}
