package dev.strata.server.internal;

import java.util.List;

/**
 * The API's routes: path template and methods, as {@code openapi.yaml} documents them (a test holds the two together).
 * The name tags the request meters, so their number stays bounded whatever the URLs.
 */
public enum Route {
    APPEND("/streams/{stream}", "append", List.of("POST")),
    APPEND_MULTI("/streams", "append-multi", List.of("POST")),
    READ_STREAM("/streams/{stream}", "read-stream", List.of("GET", "HEAD")),
    READ_ALL("/all", "read-all", List.of("GET", "HEAD")),
    READ_CATEGORY("/categories/{category}", "read-category", List.of("GET", "HEAD")),
    HEALTH("/health", "health", List.of("GET")),
    METRICS("/metrics", "metrics", List.of("GET")),
    OPENAPI("/openapi.yaml", "openapi", List.of("GET"));

    private final String template;
    private final String meterName;
    private final List<String> methods;

    Route(String template, String meterName, List<String> methods) {
        this.template = template;
        this.meterName = meterName;
        this.methods = methods;
    }

    public String template() {
        return template;
    }

    public String meterName() {
        return meterName;
    }

    public List<String> methods() {
        return methods;
    }

    /** The routes served: those that read or write the store, and the service ones. */
    public static List<Route> all() {
        return List.of(values());
    }
}
