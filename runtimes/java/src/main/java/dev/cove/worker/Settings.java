package dev.cove.worker;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the init frame sets for the worker's whole life.
 *
 * @param env the function's environment: Java can't change its process's, so {@code Context.env()}
 *     answers this map (values that are not strings in the frame as their JSON)
 * @param maxResultBytes the largest result (and call parameters) an activation may send
 * @param maxCallDepth how long a chain of calls may grow; a fused call past it goes as a call frame
 */
record Settings(String namespace, Map<String, String> env, long maxResultBytes, long maxLogBytes, long maxCallDepth) {

    static Settings of(Map<String, Object> init) {
        Map<String, String> env = new LinkedHashMap<>();
        Map<String, Object> given = Frames.object(init.get("env"));
        for (Map.Entry<String, Object> e : given.entrySet()) {
            env.put(e.getKey(), e.getValue() instanceof String s ? s : Frames.json(e.getValue()));
        }
        return new Settings(String.valueOf(Frames.text(init, "namespace")), Collections.unmodifiableMap(env),
                Frames.limit(init, "maxResultBytes"), Frames.limit(init, "maxLogBytes"),
                Frames.number(init, "maxCallDepth", 50));
    }
}
