package org.mlflowharness.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** Test support: the head of an HTTP request a test's stand-in server received, up to its blank line. */
public final class RequestHeads {

    private RequestHeads() {}

    /** Reads the request line and headers (ISO-8859-1) up to and including the blank line, or to the stream's end. */
    public static String read(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.write(b);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }
}
