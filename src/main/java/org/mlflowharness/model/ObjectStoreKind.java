package org.mlflowharness.model;

import java.util.Arrays;
import java.util.stream.Collectors;

/** {@code --object-store}: which S3 server the native stack runs. */
public enum ObjectStoreKind {
    /** RustFS when a binary exists (--rustfs-bin, or the cached build of --rustfs-version), else the S3Proxy stand-in. */
    AUTO,
    /** RustFS, or an error naming how to get it. */
    RUSTFS,
    /** The S3Proxy stand-in, even when a RustFS binary exists. */
    S3PROXY;

    public String id() {
        return name().toLowerCase();
    }

    public static ObjectStoreKind parse(String value) {
        return Arrays.stream(values()).filter(k -> k.id().equalsIgnoreCase(value)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown object store '" + value + "'; use one of "
                        + Arrays.stream(values()).map(ObjectStoreKind::id).collect(Collectors.joining(", "))));
    }
}
