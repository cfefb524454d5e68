package org.mlflowharness.client;

import static io.restassured.RestAssured.given;

import io.restassured.builder.RequestSpecBuilder;
import io.restassured.config.HttpClientConfig;
import io.restassured.config.LogConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.filter.Filter;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.mlflowharness.guard.StackGuard;

/**
 * Where every request of {@link MlflowClient} and {@link ArtifactClient} meets the {@link StackGuard}, for both
 * transports they use: rest-assured (typed calls and raw specs, with the reporting filters) and the JDK HttpClient
 * (streamed artifact bodies and probes). No request is sent once a component of the stack is down (the test is aborted
 * instead), every answer is seen by the breaker, and a request cut by a component going down is aborted too.
 */
public final class GuardedHttp {

    private static final List<Filter> FILTERS = new ArrayList<>();

    /** Not sent when a component is down; an answer goes to the breaker; a request cut by a component going down is aborted. */
    private static final Filter GUARD = (request, response, ctx) -> {
        StackGuard.check();
        try {
            Response r = ctx.next(request, response);
            StackGuard.observe(r.statusCode(), r.statusCode() >= 500 ? r.asString() : null);
            return r;
        } catch (Throwable t) { // rest-assured lets checked IOExceptions through unchecked
            StackGuard.check(); // it went down while this request waited: the test found no defect, it could not run
            StackGuard.observeNoAnswer(String.valueOf(t.getMessage()));
            throw GuardedHttp.<RuntimeException>rethrow(t);
        }
    };

    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    private GuardedHttp() {}

    /** Filters added to every rest-assured request of every client (reporting attaches requests and responses this way). */
    public static synchronized void addGlobalFilter(Filter filter) {
        if (FILTERS.stream().noneMatch(f -> f.getClass() == filter.getClass())) {
            FILTERS.add(filter);
        }
    }

    /** A rest-assured request to {@code baseUri} without credentials, guarded and with the global filters. */
    static RequestSpecification anonymous(URI baseUri) {
        RequestSpecBuilder b = new RequestSpecBuilder()
                .setBaseUri(baseUri.toString())
                .setConfig(RestAssuredConfig.config()
                        .httpClient(HttpClientConfig.httpClientConfig()
                                .setParam("http.connection.timeout", 10_000)
                                .setParam("http.socket.timeout", 600_000))
                        // Reports (the Allure filter) show requests with the credentials masked.
                        .logConfig(LogConfig.logConfig().blacklistHeader("Authorization")))
                .setUrlEncodingEnabled(true)
                .addFilter(GUARD);
        synchronized (GuardedHttp.class) {
            FILTERS.forEach(b::addFilter);
        }
        return given().spec(b.build());
    }

    /** Sends with the JDK HttpClient (HTTP/1.1, no redirects followed); a failure to connect or read is unchecked. */
    static <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        StackGuard.check();
        try {
            HttpResponse<T> r = HTTP.send(request, handler);
            StackGuard.observe(r.statusCode(), r.body() instanceof String text ? text : "");
            return r;
        } catch (IOException e) {
            StackGuard.check();
            StackGuard.observeNoAnswer(e.toString());
            throw new UncheckedIOException(request.method() + " " + request.uri() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + request.method() + " " + request.uri(), e);
        }
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> T rethrow(Throwable t) throws T {
        throw (T) t;
    }
}
