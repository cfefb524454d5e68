package org.mlflowharness.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mlflowharness.config.HarnessConfig.ConfigException;
import org.mlflowharness.config.HarnessConfig.StackKind;
import org.mlflowharness.stack.NginxVariant;
import org.mlflowharness.stack.nativestack.ObjectStoreKind;

class HarnessConfigTest {

    @Test
    void defaultsApplyWhenNothingIsGiven() {
        HarnessConfig c = HarnessConfig.parse(List.of(), Map.of());
        assertThat(c.stack()).isEqualTo(StackKind.AUTO);
        assertThat(c.nginxVariant()).isEqualTo(NginxVariant.ARTICLE);
        assertThat(c.port()).isZero();
        assertThat(c.flag(Option.DETACH)).isFalse();
        assertThat(c.mlflowVersion()).isEqualTo(Option.MLFLOW_VERSION.defaultValue());
    }

    @Test
    void commandLineBeatsEnvironmentAndBothForms() {
        HarnessConfig c = HarnessConfig.parse(List.of("--stack", "native", "--mlflow-version=3.16.1", "--detach"),
                Map.of("HARNESS_STACK", "external", "MLFLOW_VERSION", "3.15.0", "NGINX_VARIANT", "hardened"));
        assertThat(c.stack()).isEqualTo(StackKind.NATIVE);
        assertThat(c.mlflowVersion()).isEqualTo("3.16.1");
        assertThat(c.nginxVariant()).as("from the environment").isEqualTo(NginxVariant.HARDENED);
        assertThat(c.flag(Option.DETACH)).isTrue();
    }

    @Test
    void lastOccurrenceWins() {
        HarnessConfig c = HarnessConfig.parse(List.of("--stack", "native", "--stack", "external"), Map.of());
        assertThat(c.stack()).isEqualTo(StackKind.EXTERNAL);
    }

    @Test
    void unknownOptionFailsNamingIt() {
        assertThatThrownBy(() -> HarnessConfig.parse(List.of("--stak", "native"), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessage("unknown option --stak; see ./harness --help");
    }

    @Test
    void unknownStackFailsListingTheChoices() {
        assertThatThrownBy(() -> HarnessConfig.parse(List.of("--stack", "kubernetes"), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("unknown stack 'kubernetes'; use one of auto, compose, native, external");
    }

    @Test
    void badValuesFailFast() {
        assertThatThrownBy(() -> HarnessConfig.parse(List.of("--nginx-variant", "fast"), Map.of()))
                .hasMessageContaining("unknown nginx variant 'fast'");
        assertThatThrownBy(() -> HarnessConfig.parse(List.of("--port", "http"), Map.of()))
                .hasMessageContaining("--port 'http' is not a port number");
        assertThatThrownBy(() -> HarnessConfig.parse(List.of("--port", "70000"), Map.of()))
                .hasMessageContaining("is not a port number");
        assertThatThrownBy(() -> HarnessConfig.parse(List.of("--mlflow-version"), Map.of()))
                .hasMessage("option --mlflow-version needs a value; see ./harness --help");
    }

    @Test
    void objectStoreIsValidatedAndOnlyForTheNativeStack() {
        assertThat(HarnessConfig.parse(List.of(), Map.of()).objectStore()).isEqualTo(ObjectStoreKind.AUTO);
        assertThat(HarnessConfig.parse(List.of("--object-store", "s3proxy", "--stack", "native"), Map.of()).objectStore())
                .isEqualTo(ObjectStoreKind.S3PROXY);
        assertThatThrownBy(() -> HarnessConfig.parse(List.of("--object-store", "minio"), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessage("unknown object store 'minio'; use one of auto, rustfs, s3proxy");
        assertThatThrownBy(() -> HarnessConfig.parse(List.of("--object-store", "rustfs", "--stack", "compose"), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("--object-store works only on the native stack");
    }

    @Test
    void positionalWordsAreKept() {
        assertThat(HarnessConfig.parse(List.of("metric-logging", "--stack", "native"), Map.of()).positional())
                .containsExactly("metric-logging");
    }

    @Test
    void helpListsEveryOption() {
        String help = HarnessConfig.optionsHelp();
        for (Option o : Option.values()) {
            assertThat(help).contains("--" + o.cliName()).contains(o.envName());
        }
    }
}
