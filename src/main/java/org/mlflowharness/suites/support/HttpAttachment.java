package org.mlflowharness.suites.support;

import io.qameta.allure.Allure;
import io.restassured.filter.Filter;
import io.restassured.filter.FilterContext;
import io.restassured.http.Header;
import io.restassured.response.Response;
import io.restassured.specification.FilterableRequestSpecification;
import io.restassured.specification.FilterableResponseSpecification;
import java.util.Locale;
import java.util.Set;

/**
 * Attaches every request a test makes, with its answer, to the test in Allure as plain text: method, URL, headers
 * (credentials masked), body, status, time, the answer's headers and body, each body cut at {@value #MAX_BODY}
 * characters. Only while a test runs on the calling thread: the filter is global (every MlflowClient), and requests made
 * outside a test (the gate's load stage: warm-up, verification, cleanup) have no test to attach to.
 *
 * <p>Plain text on purpose: Allure's own rest-assured filter renders each exchange through FreeMarker templates and
 * pretty-prints bodies, which was a tenth of the harness's CPU in a profiled gate on a 2-core machine.
 */
final class HttpAttachment implements Filter {

    static final int MAX_BODY = 4096;

    private static final Set<String> MASKED = Set.of("authorization", "proxy-authorization", "cookie", "set-cookie");

    @Override
    public Response filter(
            FilterableRequestSpecification request, FilterableResponseSpecification response, FilterContext ctx) {
        if (Allure.getLifecycle().getCurrentTestCaseOrStep().isEmpty()) {
            return ctx.next(request, response);
        }
        long t0 = System.nanoTime();
        Response answer = ctx.next(request, response);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        StringBuilder text = new StringBuilder();
        text.append(request.getMethod()).append(' ').append(request.getURI()).append('\n');
        request.getHeaders().forEach(h -> header(text, "> ", h));
        body(text, requestBody(request.getBody()));
        text.append("\n< ")
                .append(answer.getStatusLine())
                .append(" (")
                .append(ms)
                .append(" ms)\n");
        answer.getHeaders().forEach(h -> header(text, "< ", h));
        body(text, answer.getBody().asString());
        Allure.addAttachment(
                request.getMethod() + " " + request.getDerivedPath() + " -> " + answer.getStatusCode(),
                "text/plain",
                text.toString(),
                ".txt");
        return answer;
    }

    /** A text body as sent; other bodies (bytes, streams, files) by their kind and size only. */
    static String requestBody(Object body) {
        if (body == null || body instanceof String) {
            return (String) body;
        }
        return body instanceof byte[] bytes
                ? "(" + bytes.length + " bytes)"
                : "(" + body.getClass().getSimpleName() + ")";
    }

    static void header(StringBuilder text, String prefix, Header h) {
        boolean masked = MASKED.contains(h.getName().toLowerCase(Locale.ROOT));
        text.append(prefix)
                .append(h.getName())
                .append(": ")
                .append(masked ? "[masked]" : h.getValue())
                .append('\n');
    }

    static void body(StringBuilder text, String body) {
        if (body == null || body.isEmpty()) {
            return;
        }
        text.append(body.length() > MAX_BODY ? body.substring(0, MAX_BODY) : body);
        if (body.length() > MAX_BODY) {
            text.append("\n... (").append(body.length() - MAX_BODY).append(" more characters)");
        }
        text.append('\n');
    }
}
