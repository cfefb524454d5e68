package org.mlflowharness.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mlflowharness.config.HarnessConfig.ConfigException;
import org.mlflowharness.config.HarnessConfig.StackKind;
import org.mlflowharness.model.DatabaseConditions;
import org.mlflowharness.model.DatabaseKind;
import org.mlflowharness.model.Fault;
import org.mlflowharness.model.NginxVariant;
import org.mlflowharness.model.ObjectStoreKind;

/** Resolution and validation of settings; the command-line syntax is picocli's, tested in HarnessTest. */
class HarnessConfigTest {

    @Test
    void defaultsApplyWhenNothingIsGiven() {
        HarnessConfig c = HarnessConfig.of(Map.of(), Map.of());
        assertThat(c.stack()).isEqualTo(StackKind.AUTO);
        assertThat(c.nginxVariant()).isEqualTo(NginxVariant.ARTICLE);
        assertThat(c.port()).isZero();
        assertThat(c.flag(Option.DETACH)).isFalse();
        assertThat(c.mlflowVersion()).isEqualTo(Option.MLFLOW_VERSION.defaultValue());
    }

    @Test
    void givenValuesBeatTheEnvironmentWhichBeatsDefaults() {
        HarnessConfig c = HarnessConfig.of(
                Map.of(Option.STACK, "native", Option.MLFLOW_VERSION, "3.16.1"),
                Map.of("HARNESS_STACK", "external", "MLFLOW_VERSION", "3.15.0", "NGINX_VARIANT", "hardened"));
        assertThat(c.stack()).isEqualTo(StackKind.NATIVE);
        assertThat(c.mlflowVersion()).isEqualTo("3.16.1");
        assertThat(c.nginxVariant()).as("from the environment").isEqualTo(NginxVariant.HARDENED);
    }

    @Test
    void theDatabaseIsAnOptionASpecKeyAndOneLineErrors() {
        assertThat(HarnessConfig.of(Map.of(), Map.of()).database()).isEqualTo(DatabaseKind.AUTO);
        assertThat(HarnessConfig.of(Map.of(), Map.of("HARNESS_DATABASE", "mariadb"))
                        .database())
                .isEqualTo(DatabaseKind.MARIADB);
        HarnessConfig base = HarnessConfig.of(Map.of(Option.STACK, "native"), Map.of());
        assertThat(StackSpec.parse("--candidate", "database=mysql").apply(base).database())
                .isEqualTo(DatabaseKind.MYSQL);
        assertThatThrownBy(() -> HarnessConfig.of(Map.of(Option.DATABASE, "postgres"), Map.of()))
                .hasMessageContaining("postgres")
                .hasMessageContaining("mysql");
        assertThatThrownBy(() -> HarnessConfig.of(
                        Map.of(Option.STACK, "external", Option.DATABASE, "mysql", Option.TRACKING_URI, "http://x"),
                        Map.of()))
                .hasMessageContaining("--database works only on the native and the compose stack");
        assertThat(HarnessConfig.of(Map.of(Option.STACK, "compose", Option.FAULT, "db-article-exact"), Map.of())
                        .fault())
                .isEqualTo(Fault.DB_ARTICLE_EXACT);
    }

    @Test
    void productionShapedDatabaseConditionsAreOptionsWithOneLineErrors() {
        assertThat(HarnessConfig.of(Map.of(), Map.of()).databaseConditions().isDefault())
                .isTrue();
        var c = HarnessConfig.of(
                        Map.of(Option.LEGACY_CHARSET, "latin1", Option.LEAST_PRIVILEGE, "true"),
                        Map.of("HARNESS_BINARY_LOG", "true"))
                .databaseConditions();
        assertThat(c.legacyCharset()).isEqualTo(DatabaseConditions.LegacyCharset.LATIN1);
        assertThat(c.leastPrivilege()).isTrue();
        assertThat(c.binaryLog()).isTrue();
        assertThatThrownBy(() -> HarnessConfig.of(Map.of(Option.LEGACY_CHARSET, "utf8"), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("utf8")
                .hasMessageContaining("utf8mb3");
    }

    @Test
    void theClientsLargestArtifactIsAutoOrASizeAndABadOneIsOneLine() {
        assertThat(HarnessConfig.of(Map.of(), Map.of()).clientLargeArtifact()).isEmpty();
        assertThat(HarnessConfig.of(Map.of(Option.CLIENT_LARGE_ARTIFACT, "600MiB"), Map.of())
                        .clientLargeArtifact())
                .hasValue(600L << 20);
        assertThatThrownBy(() -> HarnessConfig.of(Map.of(Option.CLIENT_LARGE_ARTIFACT, "600MB"), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("--client-large-artifact: '600MB' is not auto or a size like 64MiB, 600MiB or 2GiB");
    }

    @Test
    void systemPropertiesBeatTheEnvironment() {
        System.setProperty(Option.PROFILE.systemProperty(), "capacity");
        try {
            assertThat(HarnessConfig.of(Map.of(), Map.of("HARNESS_PROFILE", "soak"))
                            .get(Option.PROFILE))
                    .isEqualTo("capacity");
        } finally {
            System.clearProperty(Option.PROFILE.systemProperty());
        }
    }

    @Test
    void anEmptyValueGivenOnTheCommandLineStaysEmpty() {
        HarnessConfig c = HarnessConfig.of(Map.of(Option.TRACKING_URI, ""), Map.of("MLFLOW_TRACKING_URI", "http://x"));
        assertThat(c.optional(Option.TRACKING_URI)).isEmpty();
    }

    @Test
    void unknownStackFailsListingTheChoices() {
        assertThatThrownBy(() -> HarnessConfig.of(Map.of(Option.STACK, "kubernetes"), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("--stack: unknown stack 'kubernetes'; known: auto, compose, native, external");
        assertThatThrownBy(() -> HarnessConfig.of(Map.of(Option.STACK, "natve"), Map.of()))
                .hasMessage(
                        "--stack: unknown stack 'natve' (did you mean 'native'?); known: auto, compose, native, external");
    }

    @Test
    void badValuesFailFast() {
        assertThatThrownBy(() -> HarnessConfig.of(Map.of(Option.NGINX_VARIANT, "fast"), Map.of()))
                .hasMessage("--nginx-variant: unknown nginx variant 'fast'; known: article, hardened");
        assertThatThrownBy(() -> HarnessConfig.of(Map.of(Option.PORT, "http"), Map.of()))
                .hasMessage("--port: 'http' is not a port number (0-65535; 0 picks a free port)");
        assertThatThrownBy(() -> HarnessConfig.of(Map.of(Option.PORT, "70000"), Map.of()))
                .hasMessageContaining("is not a port number");
        assertThatThrownBy(() -> HarnessConfig.of(Map.of(), Map.of("HARNESS_FAULT", "gremlins")))
                .as("bad values from the environment fail too")
                .hasMessageStartingWith("--fault: unknown fault 'gremlins'; known: none, ");
        assertThatThrownBy(() -> HarnessConfig.of(Map.of(), Map.of("HARNESS_KEEP_RUNS", "0")))
                .hasMessage("--keep-runs: '0' is not a number of runs (1 or more)");
        assertThatThrownBy(() -> HarnessConfig.of(Map.of(Option.ROUNDS, "1"), Map.of()))
                .hasMessage("--rounds: '1' is not a number from 2 to 10 or auto (rounds per side; 2 gives A B B A)");
        assertThatThrownBy(() -> HarnessConfig.of(Map.of(), Map.of("HARNESS_IMAGES", "ofline")))
                .hasMessage(
                        "--images: unknown image source 'ofline' (did you mean 'offline'?); known: auto, registry, offline");
    }

    @Test
    void flagsFromTheEnvironmentAreTrueOrFalse() {
        assertThat(HarnessConfig.of(Map.of(), Map.of("HARNESS_DETACH", "TRUE")).flag(Option.DETACH))
                .isTrue();
        assertThatThrownBy(() -> HarnessConfig.of(Map.of(), Map.of("HARNESS_NO_INSTALL", "yes")))
                .hasMessage("--no-install: unknown value 'yes'; known: true, false");
    }

    @Test
    void suiteTagsAreCheckedAgainstTheKnownOnesOnlyWhenGiven() {
        HarnessConfig none = HarnessConfig.of(Map.of(), Map.of());
        assertThat(none.suiteTags()).isEmpty();
        none.checkSuiteTags(() -> {
            throw new AssertionError("no tags given: the suites are not asked for theirs");
        });
        HarnessConfig some = HarnessConfig.of(Map.of(Option.SUITES, " auth, ,tracking"), Map.of());
        assertThat(some.suiteTags()).containsExactly("auth", "tracking");
        some.checkSuiteTags(() -> List.of("auth", "health", "tracking"));
        assertThatThrownBy(() -> HarnessConfig.of(Map.of(Option.SUITES, "auth,trakcing"), Map.of())
                        .checkSuiteTags(() -> List.of("auth", "health", "tracking")))
                .hasMessage(
                        "--suites: unknown tag 'trakcing' (did you mean 'tracking'?); known: auth, health, tracking");
    }

    @Test
    void objectStoreIsValidatedAndOnlyForTheNativeStack() {
        assertThat(HarnessConfig.of(Map.of(), Map.of()).objectStore()).isEqualTo(ObjectStoreKind.AUTO);
        assertThat(HarnessConfig.of(Map.of(Option.OBJECT_STORE, "s3proxy", Option.STACK, "native"), Map.of())
                        .objectStore())
                .isEqualTo(ObjectStoreKind.S3PROXY);
        assertThatThrownBy(() -> HarnessConfig.of(Map.of(Option.OBJECT_STORE, "minio"), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("--object-store: unknown object store 'minio'; known: auto, rustfs, s3proxy");
        assertThatThrownBy(() ->
                        HarnessConfig.of(Map.of(Option.OBJECT_STORE, "rustfs", Option.STACK, "compose"), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("--object-store works only on the native stack");
    }

    @Test
    void withReplacesOneValue() {
        HarnessConfig c = HarnessConfig.of(Map.of(), Map.of()).with(Option.NGINX_VARIANT, "hardened");
        assertThat(c.nginxVariant()).isEqualTo(NginxVariant.HARDENED);
    }
}
