package org.mlflowharness.suites.support;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.mlflowharness.client.MlflowClient;
import org.mlflowharness.http.RawHttp;
import org.mlflowharness.http.RawResponse;
import org.mlflowharness.model.Answer;
import org.mlflowharness.model.Endpoints;
import org.mlflowharness.model.Endpoints.InternalService;

/**
 * One request with valid credentials sent twice: through nginx, and straight to MLflow with the same Host (what nginx
 * must forward). "Got through" means nginx's answer is MLflow's own: the same status, body and Location, but for a
 * rewrite nginx documents. A 403 "Invalid Host header", an nginx page or another body is a difference, said in words.
 */
public record ProxiedAnswer(String request, RawResponse proxied, RawResponse direct) {

    /** Where MLflow listens for the harness, when the provider says (native, compose); empty on external stacks. */
    public static Optional<InternalService> directMlflow(Endpoints endpoints) {
        return endpoints.internalServices().stream()
                .filter(s -> s.name().equals("mlflow"))
                .findFirst();
    }

    /** Sends {@code method target} (with a JSON {@code body}, or none) through nginx, then to MLflow at {@code mlflow}. */
    public static ProxiedAnswer of(
            MlflowClient client, InternalService mlflow, String method, String target, String body) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Host", client.endpoints().trackingUri().getAuthority());
        byte[] bytes = body == null ? null : body.getBytes(StandardCharsets.UTF_8);
        if (body != null) {
            headers.put("Content-Type", "application/json");
        }
        RawResponse proxied = client.raw(method, target, headers, bytes);
        RawResponse direct = RawHttp.exchange(mlflow.host(), mlflow.port(), method, target, headers, bytes);
        return new ProxiedAnswer(method + " " + target, proxied, direct);
    }

    /** Empty when nginx answered as MLflow does directly, {@code rewrite} applied to MLflow's body; else what differs. */
    public Optional<String> difference(UnaryOperator<String> rewrite) {
        String expected = rewrite.apply(direct.bodyText());
        String location = String.valueOf(proxied.header("location"));
        if (proxied.status() == direct.status()
                && proxied.bodyText().equals(expected)
                && location.equals(String.valueOf(direct.header("location")))) {
            return Optional.empty();
        }
        Answer through = Answer.of(proxied.status(), proxied.bodyText());
        String what = proxied.status() != direct.status()
                ? "status " + proxied.status() + " (" + through.meaning() + ")"
                : !proxied.bodyText().equals(expected)
                        ? "another body: " + abbreviate(proxied.bodyText())
                        : "Location " + location + " (MLflow saw another Host or scheme than the client's)";
        return Optional.of(request + " through nginx answered " + what + "; MLflow directly, with the client's Host: "
                + direct.status() + (direct.header("location") == null ? "" : " Location " + direct.header("location"))
                + " " + abbreviate(expected));
    }

    private static String abbreviate(String s) {
        String one = s.replaceAll("\\s+", " ").strip();
        return one.length() > 200 ? one.substring(0, 200) + "..." : one;
    }
}
