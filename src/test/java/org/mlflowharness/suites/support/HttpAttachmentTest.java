package org.mlflowharness.suites.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.http.Header;
import org.junit.jupiter.api.Test;

class HttpAttachmentTest {

    @Test
    void credentialsAreMaskedAndOtherHeadersKept() {
        StringBuilder text = new StringBuilder();
        HttpAttachment.header(text, "> ", new Header("Authorization", "Basic bWxmbG93OnNlY3JldA=="));
        HttpAttachment.header(text, "< ", new Header("Set-Cookie", "session=abc"));
        HttpAttachment.header(text, "> ", new Header("Content-Type", "application/json"));
        assertThat(text.toString())
                .isEqualTo("> Authorization: [masked]\n< Set-Cookie: [masked]\n> Content-Type: application/json\n")
                .doesNotContain("bWxmbG93");
    }

    @Test
    void longBodiesAreCutAndSaySoEmptyOnesLeaveNothing() {
        StringBuilder text = new StringBuilder();
        HttpAttachment.body(text, "x".repeat(HttpAttachment.MAX_BODY + 10));
        assertThat(text.toString())
                .startsWith("x".repeat(HttpAttachment.MAX_BODY) + "\n... (10 more characters)")
                .hasSize(HttpAttachment.MAX_BODY + "\n... (10 more characters)\n".length());
        StringBuilder none = new StringBuilder();
        HttpAttachment.body(none, "");
        HttpAttachment.body(none, null);
        assertThat(none.toString()).isEmpty();
    }

    @Test
    void requestBodiesThatAreNotTextAreNamedNotDumped() {
        assertThat(HttpAttachment.requestBody("{\"a\":1}")).isEqualTo("{\"a\":1}");
        assertThat(HttpAttachment.requestBody(new byte[3])).isEqualTo("(3 bytes)");
        assertThat(HttpAttachment.requestBody(new java.io.ByteArrayInputStream(new byte[0])))
                .isEqualTo("(ByteArrayInputStream)");
        assertThat(HttpAttachment.requestBody(null)).isNull();
    }
}
