package org.mlflowharness.stack.compose;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.mlflowharness.model.NginxVariant;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Static checks of the stack's Compose file (no Docker engine needed): the Compose JSON schema plus the rules this
 * project adds to the article's file. {@link #problems} returns one line per violation; empty means the file is fine.
 */
final class ComposeFileChecker {

    static final String PROXY = "nginx-proxy";
    static final String INTERNAL_NET = "mlflow-internal-net";
    static final String PERMISSION_HELPER = "volume-permission-helper";
    static final List<String> INTERNAL_SERVICES = List.of("db", "rustfs");
    /** The repository prefix of the images the harness builds itself (OfflineImages). */
    static final String LOCAL_IMAGES = "mlflowharness/";

    /** {@code ${NAME}}, {@code ${NAME:-default}}, {@code ${NAME-default}}, ... ; {@code $$} is an escaped dollar. */
    private static final Pattern VARIABLE =
            Pattern.compile("(?<!\\$)\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([^}]*))?}");
    /** An image whose tag is nothing but a variable with a default: {@code repo:${VAR:-1.2}}. */
    private static final Pattern PINNED_BY_VARIABLE = Pattern.compile("^[^:$]+:\\$\\{[A-Z0-9_]+:-([^}]+)}$");

    private final Schema schema;

    ComposeFileChecker() {
        if (ComposeFileChecker.class.getResource("/compose-spec.json") == null) {
            throw new IllegalStateException("compose-spec.json is not on the class path (src/main/resources)");
        }
        // Loaded by location: the schema's relative "$id": "compose_spec.json" then resolves against it.
        schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7)
                .getSchema(SchemaLocation.of("classpath:compose-spec.json"));
    }

    /**
     * @param composeYaml the Compose file's text
     * @param envExample  the variables of .env.example with their values
     * @param composeDir  the directory the Compose file lives in (for files it refers to)
     */
    List<String> problems(String composeYaml, Map<String, String> envExample, Path composeDir) {
        List<String> problems = new ArrayList<>();
        Map<String, Object> root = parse(composeYaml);
        schemaErrors(root).forEach(e -> problems.add("schema: " + e));
        Map<String, Object> services = map(root.get("services"));

        services.forEach((name, value) -> {
            Map<String, Object> service = map(value);
            Object image = service.get("image");
            if (image == null && service.get("build") == null) {
                problems.add("image: service " + name + " has neither image nor build");
            } else if (image != null) {
                Matcher m = PINNED_BY_VARIABLE.matcher(image.toString());
                if (!m.matches() || m.group(1).equals("latest")) {
                    problems.add("image: service " + name + " uses '" + image
                            + "'; use repo:${VERSION_VAR:-pinned-tag} (no :latest, no bare or fixed tags)");
                }
            }
            if (service.containsKey("ports") && !name.equals(PROXY)) {
                problems.add("ports: service " + name + " publishes ports; only " + PROXY + " may");
            }
        });
        if (!services.containsKey(PROXY) || !map(services.get(PROXY)).containsKey("ports")) {
            problems.add("ports: " + PROXY + " publishes no port");
        }

        Object proxyVolumes = map(services.get(PROXY)).get("volumes");
        List<String> mounts = proxyVolumes instanceof Collection<?> c
                ? c.stream().map(String::valueOf).toList()
                : List.of();
        if (mounts.stream()
                .noneMatch(m -> m.startsWith("./nginx/conf.d/proxy-${NGINX_VARIANT:-")
                        && m.contains(":/etc/nginx/conf.d/proxy.conf"))) {
            problems.add("volumes: " + PROXY
                    + " must mount ./nginx/conf.d/proxy-${NGINX_VARIANT:-...}.conf as /etc/nginx/conf.d/proxy.conf");
        }
        if (mounts.stream().noneMatch(m -> m.startsWith("./nginx/htpasswd:/etc/nginx/htpasswd"))
                || mounts.stream().noneMatch(m -> m.contains("docker.sock:/tmp/docker.sock"))) {
            problems.add("volumes: " + PROXY + " needs ./nginx/htpasswd and the docker socket mounted");
        }
        if (mounts.stream().noneMatch(m -> m.startsWith("./nginx/vhost.d:/etc/nginx/vhost.d"))) {
            problems.add(
                    "volumes: " + PROXY + " needs ./nginx/vhost.d mounted (server-info with presigned transfers off)");
        }
        if (mounts.stream().noneMatch(m -> m.startsWith("./nginx/proxy-headers.conf:/etc/nginx/proxy-headers.conf"))) {
            problems.add(
                    "volumes: " + PROXY
                            + " needs ./nginx/proxy-headers.conf mounted as /etc/nginx/proxy-headers.conf (vhost.d includes it)");
        }

        for (String name : INTERNAL_SERVICES) {
            Set<String> nets = networkNames(map(services.get(name)).get("networks"));
            if (!nets.equals(Set.of(INTERNAL_NET))) {
                problems.add(
                        "networks: service " + name + " is on " + nets + "; it must be on " + INTERNAL_NET + " only");
            }
        }
        Object internal = map(map(root.get("networks")).get(INTERNAL_NET)).get("internal");
        if (!Boolean.TRUE.equals(internal)) {
            problems.add("networks: " + INTERNAL_NET + " must be declared internal: true");
        }

        Object condition = map(map(map(services.get("rustfs")).get("depends_on"))
                        .get(PERMISSION_HELPER))
                .get("condition");
        if (!"service_completed_successfully".equals(condition)) {
            problems.add("depends_on: rustfs must wait for " + PERMISSION_HELPER
                    + " with condition service_completed_successfully");
        }

        Matcher v = VARIABLE.matcher(composeYaml);
        while (v.find()) {
            String var = v.group(1);
            if (!":-".equals(v.group(2))) {
                problems.add("variables: ${" + var + "} has no default; write ${" + var + ":-value}");
            } else if (!envExample.containsKey(var)) {
                problems.add("variables: " + var + " is not listed in .env.example");
            } else if (!envExample.get(var).equals(v.group(3))) {
                problems.add("variables: " + var + " defaults to '" + v.group(3) + "' in the Compose file but to '"
                        + envExample.get(var) + "' in .env.example");
            }
        }

        for (NginxVariant variant : NginxVariant.values()) {
            if (!Files.isRegularFile(composeDir.resolve(variant.proxyConf()))) {
                problems.add("files: " + variant.proxyConf() + " (nginx variant " + variant.id() + ") does not exist");
            }
        }
        return problems.stream().distinct().toList();
    }

    /**
     * Rules for an image override such as docker-compose.offline.yml: it names a local image for every service of the
     * base file and changes nothing else, so the article's services and wiring stay as they are.
     */
    List<String> overrideProblems(String overrideYaml, String baseYaml) {
        List<String> problems = new ArrayList<>();
        Map<String, Object> root = parse(overrideYaml);
        schemaErrors(root).forEach(e -> problems.add("schema: " + e));
        if (!root.keySet().equals(Set.of("services"))) {
            problems.add("override: only services may be set, not " + root.keySet());
        }
        Map<String, Object> base = map(parse(baseYaml).get("services"));
        Map<String, Object> services = map(root.get("services"));
        base.keySet().stream()
                .filter(s -> !services.containsKey(s))
                .forEach(s -> problems.add("override: service " + s + " gets no image"));
        services.forEach((name, value) -> {
            Map<String, Object> service = map(value);
            if (!base.containsKey(name)) {
                problems.add("override: service " + name + " is not in the base file");
            }
            if (!service.keySet().equals(Set.of("image"))) {
                problems.add("override: service " + name + " sets " + service.keySet() + "; only image may be set");
            }
            if (!String.valueOf(service.get("image")).startsWith(LOCAL_IMAGES)) {
                problems.add("override: service " + name + " uses '" + service.get("image") + "'; offline images are "
                        + LOCAL_IMAGES + "*");
            }
        });
        return problems;
    }

    static Map<String, Object> parse(String yaml) {
        Object doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
        return map(doc);
    }

    /** {@code KEY=value} lines; comments and blank lines ignored. */
    static Map<String, String> parseEnv(String text) {
        Map<String, String> env = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            String l = line.strip();
            int eq = l.indexOf('=');
            if (!l.isEmpty() && !l.startsWith("#") && eq > 0) {
                env.put(l.substring(0, eq).strip(), l.substring(eq + 1).strip());
            }
        }
        return env;
    }

    private List<String> schemaErrors(Map<String, Object> root) {
        try {
            String json = new ObjectMapper().writeValueAsString(root);
            return schema.validate(json, InputFormat.JSON).stream()
                    .map(Error::toString)
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Service networks are a list of names or a map keyed by name. */
    private static Set<String> networkNames(Object networks) {
        if (networks instanceof Collection<?> c) {
            return Set.copyOf(c.stream().map(String::valueOf).toList());
        }
        return Set.copyOf(map(networks).keySet());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }
}
