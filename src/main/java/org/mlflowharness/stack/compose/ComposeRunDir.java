package org.mlflowharness.stack.compose;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.mlflowharness.config.HarnessConfig;
import org.mlflowharness.config.Option;
import org.mlflowharness.model.Fault;
import org.mlflowharness.model.StackException;
import org.mlflowharness.proc.Dirs;
import org.mlflowharness.stack.Htpasswd;
import org.mlflowharness.stack.ProxiedTransfers;

/**
 * The files a compose run renders: its own copy of compose/ under {@code <work-dir>/compose/<id>/} (the repository is
 * never modified) with this run's .env, htpasswd and vhost.d files, the override of a deliberate fault, and which
 * Compose files {@code up} reads.
 */
final class ComposeRunDir {

    static final String OFFLINE_FILE = "docker-compose.offline.yml";
    static final String FAULT_FILE = "docker-compose.fault.yml";

    private ComposeRunDir() {}

    /** The Compose files of a run, in the order {@code up} reads them: the article's, then the overrides that apply. */
    static List<String> files(boolean offline, Fault fault) {
        List<String> files = new ArrayList<>(List.of("docker-compose.yml"));
        if (offline) {
            files.add(OFFLINE_FILE);
        }
        if (faultOverride(fault).isPresent()) {
            files.add(FAULT_FILE);
        }
        return files;
    }

    /** This run's settings, as .env gives them to Compose: the versions and variant asked for, fresh credentials. */
    static Map<String, String> env(HarnessConfig config) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("MLFLOW_VERSION", config.get(Option.MLFLOW_VERSION));
        env.put("RUSTFS_VERSION", config.get(Option.RUSTFS_VERSION));
        env.put("MYSQL_VERSION", config.get(Option.MYSQL_VERSION));
        env.put("NGINX_PROXY_VERSION", config.get(Option.NGINX_PROXY_VERSION));
        env.put("NGINX_VARIANT", config.nginxVariant().id());
        // The deviation the db service's command marks; db-article-exact restores the article's setting.
        env.put("MYSQL_TRUST_FUNCTION_CREATORS", config.fault() == Fault.DB_ARTICLE_EXACT ? "OFF" : "ON");
        // Loopback only; 0 lets Docker pick a free port.
        env.put("NGINX_PORT", "127.0.0.1:" + config.port());
        env.put("VIRTUAL_HOST", "localhost");
        env.put("MLFLOW_DB_PASSWORD", Htpasswd.secret(16));
        env.put("MYSQL_ROOT_PASSWORD", Htpasswd.secret(16));
        env.put("S3_ACCESS_KEY", "harness" + Htpasswd.secret(6));
        env.put("S3_SECRET_KEY", Htpasswd.secret(20));
        env.put("S3_BUCKET", config.get(Option.S3_BUCKET));
        return env;
    }

    /**
     * Copies compose/ (without .env, htpasswd files and wheels) to {@code <work-dir>/compose/<id>/}, writes .env, the
     * htpasswd and vhost.d files of VIRTUAL_HOST (vhost.d: server-info with presigned transfers off, as on the native
     * stack) and, for a deliberate fault, the override that breaks one service.
     */
    static Path prepare(HarnessConfig config, Path composeSource, String id, Map<String, String> env, String password) {
        Path root = config.workDir().resolve("compose");
        try (Stream<Path> old = Files.exists(root) ? Files.list(root) : Stream.empty()) {
            old.filter(Files::isDirectory)
                    .forEach(Dirs::deleteRecursively); // earlier runs: nothing of them runs any more
        } catch (IOException e) {
            throw new StackException("compose", "cannot clean " + root + ": " + e.getMessage(), "check --work-dir");
        }
        Path dir = root.resolve(id);
        try (Stream<Path> files = Files.walk(composeSource)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                String rel = composeSource.relativize(p).toString();
                if (rel.equals(".env")
                        || (rel.startsWith("nginx/htpasswd/") && Files.isRegularFile(p))
                        || (rel.startsWith("mlflow/wheels/") && !rel.endsWith(".gitkeep"))) {
                    continue;
                }
                Path target = dir.resolve(rel);
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
            Files.writeString(dir.resolve(".env"), dotEnv(Files.readString(dir.resolve(".env.example")), env));
            Files.setPosixFilePermissions(
                    dir.resolve(".env"), java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
            Files.createDirectories(dir.resolve("nginx/htpasswd"));
            Files.writeString(
                    dir.resolve("nginx/htpasswd").resolve(env.get("VIRTUAL_HOST")),
                    Htpasswd.line(ComposeStack.USER, password));
            Files.createDirectories(dir.resolve("nginx/vhost.d"));
            Files.writeString(
                    dir.resolve("nginx/vhost.d").resolve(env.get("VIRTUAL_HOST")),
                    ProxiedTransfers.location(
                            dir,
                            "auth_basic \"Restricted " + env.get("VIRTUAL_HOST")
                                    + "\"; auth_basic_user_file /etc/nginx/htpasswd/" + env.get("VIRTUAL_HOST") + ";",
                            "/etc/nginx/proxy-headers.conf"));
            Optional<String> fault = faultOverride(config.fault());
            if (fault.isPresent()) {
                Files.writeString(dir.resolve(FAULT_FILE), fault.get());
            }
            return dir;
        } catch (IOException e) {
            throw new StackException(
                    "compose",
                    "cannot prepare " + dir + ": " + e.getMessage(),
                    "check --work-dir and that " + composeSource + " exists",
                    List.of(),
                    e);
        }
    }

    /** The override file that implements a compose fault (--fault), or empty. */
    static Optional<String> faultOverride(Fault fault) {
        return switch (fault) {
            case BUCKET_JOB_FAILS -> Optional.of("""
                    # --fault bucket-job-fails: the bucket job fails, as with wrong keys or a broken store
                    services:
                      rustfs-init:
                        entrypoint: ["/bin/sh", "-c", "echo 'deliberate fault: bucket creation refused' >&2; exit 3"]
                    """);
            case DB_NEVER_HEALTHY -> Optional.of("""
                    # --fault db-never-healthy: the database's healthcheck never passes
                    services:
                      db:
                        healthcheck:
                          test: ["CMD", "sh", "-c", "echo 'deliberate fault: healthcheck fails' >&2; exit 1"]
                          interval: 2s
                          timeout: 5s
                          retries: 3
                          start_period: 0s
                    """);
            default -> Optional.empty();
        };
    }

    /** .env.example with this run's values in place: the per-run .env reproduces the run by hand. */
    static String dotEnv(String example, Map<String, String> values) {
        Map<String, String> left = new LinkedHashMap<>(values);
        StringBuilder out = new StringBuilder();
        for (String line : example.stripTrailing().split("\n")) {
            int eq = line.indexOf('=');
            String key = eq > 0 && !line.startsWith("#") ? line.substring(0, eq).strip() : null;
            out.append(key != null && left.containsKey(key) ? key + "=" + left.remove(key) : line)
                    .append('\n');
        }
        left.forEach((k, v) -> out.append(k).append('=').append(v).append('\n'));
        return out.toString().stripTrailing() + "\n";
    }
}
