package org.mlflowharness.http;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** The value of an HTTP Basic {@code Authorization} header, as nginx in front of MLflow expects it. */
public final class BasicAuth {

    private BasicAuth() {}

    /** {@code Basic base64(user:password)}, UTF-8. */
    public static String header(String user, String password) {
        return header(user + ":" + password);
    }

    /** {@code Basic base64(credentials)}, with the credentials as given (negative tests send ones without a colon). */
    public static String header(String credentials) {
        return "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
    }
}
