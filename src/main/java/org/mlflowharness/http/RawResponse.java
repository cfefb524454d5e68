package org.mlflowharness.http;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import org.mlflowharness.model.Answer;

/** A raw HTTP/1.x response: status, status line, headers (names lower-cased), de-chunked body. */
public record RawResponse(int status, String statusLine, Map<String, String> headers, byte[] body) {

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    public String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    /** Who produced the answer: nginx's own error page, or the upstream (MLflow) behind it. */
    public String layer() {
        return Answer.isNginxPage(bodyText()) ? "nginx" : "upstream";
    }
}
