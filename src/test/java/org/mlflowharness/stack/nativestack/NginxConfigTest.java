package org.mlflowharness.stack.nativestack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.mlflowharness.model.Fault;
import org.mlflowharness.model.NginxVariant;
import org.mlflowharness.proc.Command;

/** The native nginx.conf for every variant and fault is what nginx accepts, and carries the compose stack's settings. */
class NginxConfigTest {

    static final Path COMPOSE = Path.of("compose").toAbsolutePath();
    static final URI STORE = URI.create("http://127.0.0.1:9000");

    @TempDir
    Path work;

    static Stream<Arguments> variantsAndFaults() {
        return Stream.of(NginxVariant.values())
                .flatMap(v -> Stream.of(Fault.values()).map(f -> Arguments.of(v, f)));
    }

    @ParameterizedTest(name = "{0} / {1}")
    @MethodSource("variantsAndFaults")
    void nginxAcceptsTheConfig(NginxVariant variant, Fault fault) throws Exception {
        assumeTrue(
                Files.isExecutable(Path.of("/usr/sbin/nginx")),
                "nginx is not installed here (./harness installs it for the native stack)");
        NginxConfig c = new NginxConfig(COMPOSE, work, variant, fault, 18080, 18081, "localhost", STORE);
        Path conf = work.resolve("nginx.conf");
        Files.writeString(conf, c.render());
        Files.writeString(c.htpasswd(), "u:{PLAIN}p\n");
        Command.Output nginx = Command.capture(
                "nginx",
                List.of(
                        "nginx",
                        "-t",
                        "-c",
                        conf.toString(),
                        "-p",
                        work.toString(),
                        "-e",
                        c.errorLog().toString()),
                "");
        assertThat(nginx.exitCode())
                .as("nginx -t on the " + variant + "/" + fault + " config:\n" + nginx.text())
                .isZero();
    }

    @Test
    void usesTheComposeStacksProxySettingsAndRealm() throws Exception {
        String article =
                new NginxConfig(COMPOSE, work, NginxVariant.ARTICLE, Fault.NONE, 1, 2, "localhost", STORE).render();
        assertThat(article)
                .contains("include " + COMPOSE.resolve("nginx/conf.d/proxy-article.conf") + ";")
                .contains("auth_basic \"Restricted localhost\";")
                .contains("listen 127.0.0.1:1;")
                .contains("server 127.0.0.1:2;")
                .doesNotContain("${")
                .doesNotContain("proxy_set_body $harness_fault_body");
        String hardened =
                new NginxConfig(COMPOSE, work, NginxVariant.HARDENED, Fault.NONE, 1, 2, "localhost", STORE).render();
        assertThat(hardened).contains("include " + COMPOSE.resolve("nginx/conf.d/proxy-hardened.conf") + ";");
        assertThat(Files.readString(COMPOSE.resolve("nginx/conf.d/proxy-article.conf")))
                .as("the article's proxy.conf, unchanged")
                .contains("client_max_body_size 100g;")
                .doesNotContain("proxy_request_buffering");
    }

    @Test
    void faultsChangeOnlyWhatTheySay() throws Exception {
        String open = new NginxConfig(
                        COMPOSE, work, NginxVariant.ARTICLE, Fault.NGINX_OPEN_ARTIFACTS, 1, 2, "localhost", STORE)
                .render();
        String artifactsBlock = open.substring(open.indexOf("location /api/2.0/mlflow-artifacts/"));
        assertThat(artifactsBlock.substring(0, artifactsBlock.indexOf('}'))).doesNotContain("auth_basic");
        String drop = new NginxConfig(
                        COMPOSE, work, NginxVariant.ARTICLE, Fault.NGINX_ACK_DROP_METRICS, 1, 2, "localhost", STORE)
                .render();
        assertThat(drop).contains("return 200 \"{}\";").contains("log-(metric|batch)");
        String store = new NginxConfig(
                        COMPOSE, work, NginxVariant.ARTICLE, Fault.NGINX_OPEN_STORE, 1, 2, "localhost", STORE)
                .render();
        String storeBlock = store.substring(store.indexOf("location /storage/"));
        assertThat(storeBlock.substring(0, storeBlock.indexOf('}')))
                .contains("proxy_pass http://127.0.0.1:9000/;")
                .doesNotContain("auth_basic");
    }

    @Test
    void serverInfoKeepsTransfersProxiedUnlessTheFaultIsOn() throws Exception {
        String normal =
                new NginxConfig(COMPOSE, work, NginxVariant.ARTICLE, Fault.NONE, 1, 2, "localhost", STORE).render();
        String block = normal.substring(normal.indexOf("location ~ ^/(ajax-)?api/3\\.0/mlflow/server-info$"));
        assertThat(block.substring(0, block.indexOf('}')))
                .contains("auth_basic \"Restricted localhost\";")
                .contains("sub_filter '\"multipart_downloads_enabled\":true' '\"multipart_downloads_enabled\":false';")
                .contains("sub_filter '\"multipart_uploads_enabled\":true' '\"multipart_uploads_enabled\":false';");
        assertThat(new NginxConfig(
                                COMPOSE,
                                work,
                                NginxVariant.ARTICLE,
                                Fault.MLFLOW_PRESIGNED_URLS,
                                1,
                                2,
                                "localhost",
                                STORE)
                        .render())
                .doesNotContain("location ~ ^/(ajax-)?api/3")
                .doesNotContain("sub_filter");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Fault.class)
    void everyLocationThatSetsAProxyHeaderIncludesTheSharedOnes(Fault fault) throws Exception {
        String conf = new NginxConfig(COMPOSE, work, NginxVariant.ARTICLE, fault, 1, 2, "localhost", STORE).render();
        String include = "include " + COMPOSE.resolve("nginx/proxy-headers.conf") + ";";
        assertThat(conf.substring(0, conf.indexOf("server {"))).as("http level").contains(include);
        java.util.regex.Matcher m =
                java.util.regex.Pattern.compile("location [^{]+\\{[^}]*}").matcher(conf);
        while (m.find()) {
            String block = m.group();
            boolean faulty = (fault == Fault.NGINX_DROP_HEADERS && block.startsWith("location /ajax-api/"))
                    || (fault == Fault.NGINX_WRONG_HOST && block.startsWith("location /api/"));
            if (block.contains("proxy_set_header") && !faulty) {
                assertThat(block)
                        .as("a location that sets a proxy header inherits none: it must include the shared ones")
                        .contains(include);
            }
            if (faulty) {
                assertThat(block).as("the fault's location").doesNotContain(include);
            }
        }
    }
}
