package org.mlflowharness.model;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The nginx settings in front of MLflow: as the article deploys them, or hardened for large artifacts. */
public enum NginxVariant {
    /** The article's proxy.conf: only {@code client_max_body_size 100g}, nginx defaults otherwise. */
    ARTICLE("article"),
    /** No body limit, no request/response buffering, long upstream timeouts. */
    HARDENED("hardened");

    private final String id;

    NginxVariant(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    /** The proxy.conf that selects this variant, relative to {@code compose/}. */
    public String proxyConf() {
        return "nginx/conf.d/proxy-" + id + ".conf";
    }

    public static NginxVariant parse(String value) {
        return Arrays.stream(values())
                .filter(v -> v.id.equalsIgnoreCase(value))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown nginx variant '" + value + "'; use one of "
                        + Arrays.stream(values()).map(NginxVariant::id).collect(Collectors.joining(", "))));
    }
}
