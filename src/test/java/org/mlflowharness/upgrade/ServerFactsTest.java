package org.mlflowharness.upgrade;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.Charset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Least privilege read from the grants MySQL and MariaDB print; text a latin1 schema can store. */
class ServerFactsTest {

    @Test
    void leastPrivilegedMeansEveryGrantIsOnTheSchemaAlone() {
        assertThat(ServerFacts.onlyOnSchema(
                        List.of(
                                "GRANT USAGE ON *.* TO `mlflow`@`%`",
                                "GRANT ALL PRIVILEGES ON `mlflow`.* TO `mlflow`@`%`"),
                        "mlflow"))
                .isTrue();
        assertThat(ServerFacts.onlyOnSchema(
                        List.of(
                                "GRANT USAGE ON *.* TO `mlflow`@`127.0.0.1` IDENTIFIED BY PASSWORD ...",
                                "GRANT ALL PRIVILEGES ON `mlflow`.* TO `mlflow`@`127.0.0.1`"),
                        "mlflow"))
                .as("MariaDB's form")
                .isTrue();
        assertThat(ServerFacts.onlyOnSchema(
                        List.of(
                                "GRANT SUPER ON *.* TO `mlflow`@`%`",
                                "GRANT ALL PRIVILEGES ON `mlflow`.* TO `mlflow`@`%`"),
                        "mlflow"))
                .isFalse();
        assertThat(ServerFacts.onlyOnSchema(List.of("GRANT ALL PRIVILEGES ON `other`.* TO `mlflow`@`%`"), "mlflow"))
                .isFalse();
        assertThat(ServerFacts.onlyOnSchema(List.of(), "mlflow")).isFalse();
    }

    @Test
    void binaryLoggingIsReadFromTheServersVariable() {
        assertThat(new ServerFacts(Map.of("log_bin", "1"), Map.of(), List.of()).binaryLogging())
                .isEqualTo("on");
        assertThat(new ServerFacts(Map.of("log_bin", "OFF"), Map.of(), List.of()).binaryLogging())
                .isEqualTo("off");
    }

    @Test
    void aLatin1SchemaGetsWhatItCanStoreAndTheRestAsQuestionMarks() {
        Optional<Charset> latin1 = Optional.of(Charset.forName("windows-1252"));
        assertThat(Seeder.storable("sëcond-実験", latin1)).isEqualTo("sëcond-??");
        assertThat(Seeder.storable("ß∂ƒ ✓", latin1)).isEqualTo("ß?ƒ ?");
        assertThat(Seeder.storable("données ✓ データ", Optional.empty())).isEqualTo("données ✓ データ");
    }
}
