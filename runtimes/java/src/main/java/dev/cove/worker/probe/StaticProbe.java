package dev.cove.worker.probe;

import java.util.Map;

/** A function of the second shape, run once before hello like {@link HandlerProbe}. */
public final class StaticProbe {
    private StaticProbe() {}

    public static Map<String, Object> main(Map<String, Object> params) {
        return params;
    }
}
