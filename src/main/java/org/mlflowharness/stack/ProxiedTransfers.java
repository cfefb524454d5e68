package org.mlflowharness.stack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The nginx location both stacks put in front of MLflow's server-info so that the official client keeps artifact bytes
 * on the proxied path: {@code compose/nginx/server-info.location} (which says why) with the stack's Basic auth lines and
 * the path, as that nginx sees it, of the shared proxy headers ({@code compose/nginx/proxy-headers.conf}).
 */
public final class ProxiedTransfers {

    private ProxiedTransfers() {}

    /** The shared proxy headers every location the harness writes includes, relative to compose/. */
    public static final String PROXY_HEADERS = "nginx/proxy-headers.conf";

    /**
     * The location block, with {@code authLines} ({@code auth_basic ...; auth_basic_user_file ...;}) and the include of
     * {@code proxyHeaders} (where that nginx finds {@link #PROXY_HEADERS}) in it.
     */
    public static String location(Path composeDir, String authLines, String proxyHeaders) throws IOException {
        return Files.readString(composeDir.resolve("nginx/server-info.location"), StandardCharsets.UTF_8)
                .replace("${AUTH}", authLines)
                .replace("${PROXY_HEADERS}", proxyHeaders);
    }
}
