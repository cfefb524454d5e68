package org.mlflowharness.model;

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
}
