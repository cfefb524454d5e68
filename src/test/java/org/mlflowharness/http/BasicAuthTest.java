package org.mlflowharness.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BasicAuthTest {

    @Test
    void userAndPasswordAreJoinedByAColonAndEncodedAsUtf8() {
        // RFC 7617's example, and a password beyond ASCII
        assertThat(BasicAuth.header("Aladdin", "open sesame")).isEqualTo("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
        assertThat(BasicAuth.header("mlflow", "pässwort")).isEqualTo("Basic bWxmbG93OnDDpHNzd29ydA==");
    }

    @Test
    void credentialsAreSentAsGivenForNegativeTests() {
        assertThat(BasicAuth.header("justauser")).isEqualTo("Basic anVzdGF1c2Vy");
    }
}
