package org.mlflowharness.stack.compose;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * Static validation of compose/docker-compose.yml (no Docker engine needed): the Compose JSON schema
 * (src/main/resources/compose-spec.json, Apache-2.0, see the README there) and this project's rules. Each rule has a
 * negative case: the real file with exactly one thing broken must be reported.
 */
class ComposeFileTest {

    private static final Path COMPOSE_DIR = Path.of("compose");
    private static final ComposeFileChecker CHECKER = new ComposeFileChecker();
    private static String composeYaml;
    private static Map<String, String> envExample;

    @BeforeAll
    static void read() throws IOException {
        composeYaml = Files.readString(COMPOSE_DIR.resolve("docker-compose.yml"));
        envExample = ComposeFileChecker.parseEnv(Files.readString(COMPOSE_DIR.resolve(".env.example")));
    }

    @Test
    void theComposeFileSatisfiesTheSchemaAndEveryRule() {
        assertThat(CHECKER.problems(composeYaml, envExample, COMPOSE_DIR))
                .as("problems in compose/docker-compose.yml")
                .isEmpty();
    }

    @Test
    void theArticlesServicesAreAllThere() {
        assertThat(ComposeFileChecker.parse(composeYaml).get("services"))
                .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                .containsOnlyKeys("nginx-proxy", "mlflow", "db", "rustfs", "rustfs-init", "volume-permission-helper");
    }

    @Test
    void envExampleHasTheRequiredDefaults() {
        assertThat(envExample)
                .as(".env.example")
                .containsEntry("MLFLOW_VERSION", "3.17.2")
                .containsEntry("RUSTFS_VERSION", "1.0.0-beta.12")
                .containsEntry("MYSQL_VERSION", "8.4")
                .containsEntry("NGINX_PROXY_VERSION", "1.7")
                .containsEntry("S3_BUCKET", "mlflow")
                .containsEntry("VIRTUAL_HOST", "localhost")
                .containsEntry("NGINX_VARIANT", "article")
                .containsEntry("NGINX_PORT", "15000")
                .containsKeys(
                        "AWS_CLI_VERSION",
                        "ALPINE_VERSION",
                        "MLFLOW_DB_PASSWORD",
                        "MYSQL_ROOT_PASSWORD",
                        "S3_ACCESS_KEY",
                        "S3_SECRET_KEY");
    }

    @Test
    void theDockerfilePinsMlflowFromTheBuildArg() throws IOException {
        String dockerfile = Files.readString(COMPOSE_DIR.resolve("mlflow/Dockerfile"));
        assertThat(dockerfile)
                .contains("ARG MLFLOW_VERSION")
                .contains("mlflow==${MLFLOW_VERSION}")
                .contains("mysqlclient")
                .contains("boto3")
                .contains("default-libmysqlclient-dev")
                .contains("ARG BASE_IMAGE=python:${PYTHON_VERSION}")
                .contains("FROM ${BASE_IMAGE}");
    }

    @Test
    void theOfflineOverrideNamesALocalImageForEveryServiceAndNothingElse() throws IOException {
        String override = Files.readString(COMPOSE_DIR.resolve(ComposeRunDir.OFFLINE_FILE));
        assertThat(CHECKER.overrideProblems(override, composeYaml))
                .as("problems in " + ComposeRunDir.OFFLINE_FILE)
                .isEmpty();
        assertThat(override).contains(OfflineImages.mlflowImage("${MLFLOW_VERSION:-3.17.2}"));
        for (String dir : List.of("mysql", "s3proxy", "rustfs", "aws-cli", "nginx-proxy", "python")) {
            assertThat(COMPOSE_DIR.resolve("offline").resolve(dir).resolve("Dockerfile"))
                    .as("offline image " + dir)
                    .isRegularFile();
        }
    }

    @Test
    void anOverrideThatChangesMoreThanImagesIsReported() {
        String base = "services:\n  db:\n    image: mlflowharness/mysql:offline\n";
        assertThat(CHECKER.overrideProblems(base + "    ports: [\"3306:3306\"]\n", composeYaml))
                .contains("override: service db sets [image, ports]; only image may be set");
        assertThat(CHECKER.overrideProblems(base.replace("mlflowharness/mysql:offline", "mysql:8.4"), composeYaml))
                .anyMatch(p -> p.startsWith("override: service db uses 'mysql:8.4'"));
        assertThat(CHECKER.overrideProblems(base, composeYaml)).contains("override: service rustfs gets no image");
        assertThat(CHECKER.overrideProblems(base + "  extra:\n    image: mlflowharness/x:1\n", composeYaml))
                .contains("override: service extra is not in the base file");
    }

    // --- negative cases: each rule must be able to fail ---

    @Test
    void aSchemaViolationIsReported() {
        assertThat(problemsAfter(c -> service(c, "db").put("imagee", "mysql:8.4")))
                .anyMatch(p -> p.startsWith("schema:"));
        assertThat(problemsAfter(c -> service(c, "db").put("restart", List.of("no"))))
                .anyMatch(p -> p.startsWith("schema:"));
    }

    @Test
    void latestFixedAndBareImageTagsAreReported() {
        assertThat(problemsAfter(c -> service(c, "db").put("image", "mysql:latest")))
                .anyMatch(p -> p.contains("service db uses 'mysql:latest'"));
        assertThat(problemsAfter(c -> service(c, "db").put("image", "mysql:8.4")))
                .anyMatch(p -> p.contains("service db uses"));
        assertThat(problemsAfter(c -> service(c, "volume-permission-helper").put("image", "alpine")))
                .anyMatch(p -> p.contains("service volume-permission-helper uses 'alpine'"));
        assertThat(problemsAfter(c -> service(c, "rustfs").put("image", "rustfs/rustfs:${RUSTFS_VERSION:-latest}")))
                .anyMatch(p -> p.contains("service rustfs uses"));
    }

    @Test
    void portsOnAnyServiceButNginxAreReported() {
        assertThat(problemsAfter(c -> service(c, "rustfs").put("ports", List.of("9000:9000"))))
                .contains("ports: service rustfs publishes ports; only nginx-proxy may");
        assertThat(problemsAfter(c -> service(c, "nginx-proxy").remove("ports")))
                .contains("ports: nginx-proxy publishes no port");
    }

    @Test
    void aProxyConfNotSelectedByTheVariantIsReported() {
        assertThat(problemsAfter(c -> service(c, "nginx-proxy")
                        .put(
                                "volumes",
                                List.of(
                                        "./nginx/htpasswd:/etc/nginx/htpasswd",
                                        "./nginx/conf.d/proxy.conf:/etc/nginx/conf.d/proxy.conf",
                                        "/var/run/docker.sock:/tmp/docker.sock:ro"))))
                .anyMatch(p -> p.startsWith("volumes: nginx-proxy must mount ./nginx/conf.d/proxy-${NGINX_VARIANT"));
        assertThat(
                        problemsAfter(
                                c -> service(c, "nginx-proxy")
                                        .put(
                                                "volumes",
                                                List.of(
                                                        "./nginx/htpasswd:/etc/nginx/htpasswd",
                                                        "./nginx/conf.d/proxy-${NGINX_VARIANT:-article}.conf:/etc/nginx/conf.d/proxy.conf:ro"))))
                .contains("volumes: nginx-proxy needs ./nginx/htpasswd and the docker socket mounted")
                .contains(
                        "volumes: nginx-proxy needs ./nginx/vhost.d mounted (server-info with presigned transfers off)");
    }

    @Test
    void internalServicesOnAnotherNetworkAreReported() {
        assertThat(problemsAfter(
                        c -> service(c, "rustfs").put("networks", List.of("mlflow-internal-net", "mlflow-net"))))
                .anyMatch(p -> p.startsWith("networks: service rustfs is on"));
        assertThat(problemsAfter(c -> service(c, "db").remove("networks")))
                .anyMatch(p -> p.startsWith("networks: service db is on"));
    }

    @Test
    void aNonInternalInternalNetworkIsReported() {
        assertThat(problemsAfter(c ->
                        map(map(c.get("networks")).get("mlflow-internal-net")).put("internal", false)))
                .contains("networks: mlflow-internal-net must be declared internal: true");
    }

    @Test
    void rustfsRacingThePermissionHelperIsReported() {
        String expected =
                "depends_on: rustfs must wait for volume-permission-helper with condition service_completed_successfully";
        assertThat(problemsAfter(c -> service(c, "rustfs").remove("depends_on")))
                .contains(expected);
        assertThat(problemsAfter(
                        c -> map(map(service(c, "rustfs").get("depends_on")).get("volume-permission-helper"))
                                .put("condition", "service_started")))
                .contains(expected);
    }

    @Test
    void variablesWithoutADefaultOrMissingFromEnvExampleAreReported() {
        assertThat(problemsAfter(
                        c -> map(service(c, "mlflow").get("environment")).put("EXTRA", "${NOT_IN_EXAMPLE:-x}")))
                .contains("variables: NOT_IN_EXAMPLE is not listed in .env.example");
        assertThat(problemsAfter(
                        c -> map(service(c, "mlflow").get("environment")).put("EXTRA", "${MLFLOW_VERSION}")))
                .contains("variables: ${MLFLOW_VERSION} has no default; write ${MLFLOW_VERSION:-value}");
        Map<String, String> drifted = new LinkedHashMap<>(envExample);
        drifted.put("MYSQL_VERSION", "9.0");
        assertThat(CHECKER.problems(composeYaml, drifted, COMPOSE_DIR))
                .anyMatch(p -> p.startsWith("variables: MYSQL_VERSION defaults to '8.4'"));
    }

    @Test
    void aMissingProxyConfIsReported(@TempDir Path emptyComposeDir) throws IOException {
        Files.createDirectories(emptyComposeDir.resolve("nginx/conf.d"));
        Files.writeString(emptyComposeDir.resolve("nginx/conf.d/proxy-article.conf"), "client_max_body_size 100g;\n");
        assertThat(CHECKER.problems(composeYaml, envExample, emptyComposeDir))
                .containsExactly("files: nginx/conf.d/proxy-hardened.conf (nginx variant hardened) does not exist");
    }

    /** The real Compose file with one change, dumped back to YAML and checked. */
    private static List<String> problemsAfter(Consumer<Map<String, Object>> change) {
        Map<String, Object> compose = ComposeFileChecker.parse(composeYaml);
        change.accept(compose);
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        options.setWidth(Integer.MAX_VALUE);
        List<String> problems =
                new ArrayList<>(CHECKER.problems(new Yaml(options).dump(compose), envExample, COMPOSE_DIR));
        assertThat(problems).as("a broken file must be reported").isNotEmpty();
        return problems;
    }

    private static Map<String, Object> service(Map<String, Object> compose, String name) {
        return map(map(compose.get("services")).get(name));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }
}
