package org.mlflowharness.proc;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.Set;

/**
 * A readiness check, after testcontainers' wait strategies: one small object per way of knowing that a component
 * is ready. {@link ManagedProcess#awaitReady} polls it under one outer timeout and stops early if the process died.
 */
public interface Readiness {

    /** True when the component is ready; false (or an exception) when not yet. */
    boolean isReady() throws Exception;

    /** What is being waited for, for error messages: "HTTP 200 from http://127.0.0.1:5000/health". */
    String describe();

    HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    static Readiness tcp(String host, int port) {
        return new Readiness() {
            public boolean isReady() throws IOException {
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress(host, port), 1000);
                    return true;
                }
            }

            public String describe() {
                return "a TCP listener on " + host + ":" + port;
            }
        };
    }

    /** Any of {@code statuses} from a GET of {@code uri}. */
    static Readiness http(URI uri, Integer... statuses) {
        Set<Integer> expected = Set.of(statuses);
        return new Readiness() {
            public boolean isReady() throws Exception {
                HttpRequest req = HttpRequest.newBuilder(uri)
                        .timeout(Duration.ofSeconds(5))
                        .GET()
                        .build();
                return expected.contains(
                        HTTP.send(req, HttpResponse.BodyHandlers.discarding()).statusCode());
            }

            public String describe() {
                return "HTTP " + expected + " from " + uri;
            }
        };
    }

    static Readiness jdbc(String url, String user, String password) {
        return new Readiness() {
            public boolean isReady() throws Exception {
                try (var c = DriverManager.getConnection(url, user, password)) {
                    return c.isValid(2);
                }
            }

            public String describe() {
                return "a JDBC connection to " + url + " as " + user;
            }
        };
    }
}
