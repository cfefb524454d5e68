package org.mlflowharness.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ProtocolException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 on a bare socket, for checks that need the exact bytes on the wire (security checks: no client-side
 * normalization of the target or the headers), and the one parser of raw HTTP responses in the harness.
 */
public final class RawHttp {

    /** At most this much of a response is read; a longer body is cut. */
    private static final int MAX_RESPONSE = 4 * 1024 * 1024;

    private RawHttp() {}

    /**
     * Sends {@code METHOD target HTTP/1.1} to {@code host:port} exactly as given (the target is not normalized or
     * re-encoded) with exactly the given headers, plus Content-Length when there is a body and
     * {@code Connection: close}. One connection per request, closed after it. A connection that fails is an
     * {@link UncheckedIOException}; an answer that is not HTTP is an {@link AssertionError}.
     */
    public static RawResponse exchange(
            String host, int port, String method, String target, Map<String, String> headers, byte[] body) {
        StringBuilder head =
                new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n");
        headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
        if (body != null) {
            head.append("Content-Length: ").append(body.length).append("\r\n");
        }
        head.append("Connection: close\r\n\r\n");
        byte[] raw;
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 5000);
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.UTF_8));
            if (body != null) {
                out.write(body);
            }
            out.flush();
            raw = readAll(s.getInputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + target + " to " + host + ":" + port + " failed", e);
        }
        try {
            return parse(raw);
        } catch (ProtocolException e) {
            throw new AssertionError(method + " " + target + ": " + e.getMessage());
        }
    }

    /** Reads until the server closes (or stops sending for the socket's timeout), at most {@link #MAX_RESPONSE}. */
    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buf = new byte[16 * 1024];
        int n;
        try {
            while (all.size() < MAX_RESPONSE && (n = in.read(buf)) >= 0) {
                all.write(buf, 0, n);
            }
        } catch (SocketTimeoutException e) {
            // keep what arrived: a server that holds the connection open has answered all it will
        }
        return all.toByteArray();
    }

    /**
     * Parses a whole HTTP/1.x response as read from the connection: status line, headers (names lower-cased, repeated
     * ones joined with ", "), and the body, de-chunked when it is sent chunked (a truncated chunk keeps what came).
     *
     * @throws ProtocolException when there is no complete response head or no status line
     */
    public static RawResponse parse(byte[] raw) throws ProtocolException {
        int end = headEnd(raw);
        if (end < 0) {
            throw new ProtocolException("no complete HTTP response head in " + raw.length + " bytes: "
                    + abbreviate(new String(raw, StandardCharsets.ISO_8859_1)));
        }
        String[] lines = new String(raw, 0, end, StandardCharsets.ISO_8859_1).split("\r\n");
        String[] status = lines[0].split(" ", 3);
        if (!status[0].startsWith("HTTP/") || status.length < 2 || !status[1].matches("\\d{3}")) {
            throw new ProtocolException("not an HTTP status line: " + abbreviate(lines[0]));
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.merge(
                        lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        lines[i].substring(colon + 1).trim(),
                        (a, b) -> a + ", " + b);
            }
        }
        byte[] body = Arrays.copyOfRange(raw, end + 4, raw.length);
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            body = dechunk(body);
        }
        return new RawResponse(Integer.parseInt(status[1]), lines[0], headers, body);
    }

    /** Where the head ends: the index of the first CRLF CRLF, or -1. */
    private static int headEnd(byte[] raw) {
        for (int i = 0; i + 3 < raw.length; i++) {
            if (raw[i] == '\r' && raw[i + 1] == '\n' && raw[i + 2] == '\r' && raw[i + 3] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static byte[] dechunk(byte[] in) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int p = 0;
        while (p < in.length) {
            int lineEnd = p;
            while (lineEnd + 1 < in.length && !(in[lineEnd] == '\r' && in[lineEnd + 1] == '\n')) {
                lineEnd++;
            }
            String sizeText = new String(in, p, lineEnd - p, StandardCharsets.ISO_8859_1).split(";")[0].trim();
            int size;
            try {
                size = Integer.parseInt(sizeText, 16);
            } catch (NumberFormatException e) {
                break; // truncated: keep what was decoded
            }
            if (size == 0) {
                break;
            }
            int start = lineEnd + 2;
            int n = Math.min(size, in.length - start);
            if (n <= 0) {
                break;
            }
            out.write(in, start, n);
            p = start + size + 2;
        }
        return out.toByteArray();
    }

    private static String abbreviate(String s) {
        return s.length() > 500 ? s.substring(0, 500) + "..." : s;
    }
}
