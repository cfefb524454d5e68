package org.mlflowharness.stack.nativestack;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The alembic head revision an MLflow version expects in {@code alembic_version}. */
public final class AlembicHeads {

    private static final Pattern REVISION =
            Pattern.compile("^revision\\s*(?::[^=\\n]*)?=\\s*[\"']([0-9A-Za-z_]+)[\"']", Pattern.MULTILINE);
    private static final Pattern DOWN_REVISION =
            Pattern.compile("^down_revision\\s*(?::[^=\\n]*)?=\\s*(.+)$", Pattern.MULTILINE);
    private static final Pattern QUOTED = Pattern.compile("[\"']([0-9A-Za-z_]+)[\"']");

    private AlembicHeads() {}

    /** Where a native-stack virtualenv of {@code version} keeps MLflow's migration scripts, if it exists. */
    public static Optional<Path> versionsDir(Path cacheDir, String version) {
        Path lib = Toolchain.mlflowVenv(cacheDir, version).resolve("lib");
        if (!Files.isDirectory(lib)) {
            return Optional.empty();
        }
        try (Stream<Path> pythons = Files.list(lib)) {
            return pythons.map(p -> p.resolve("site-packages/mlflow/store/db_migrations/versions"))
                    .filter(Files::isDirectory)
                    .findFirst();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The heads of the revision graph in {@code versionsDir}: revisions no other revision names as down_revision. */
    public static Set<String> heads(Path versionsDir) {
        Set<String> revisions = new TreeSet<>();
        Set<String> downs = new HashSet<>();
        List<Path> scripts;
        try (Stream<Path> s = Files.list(versionsDir)) {
            scripts = s.filter(p -> p.getFileName().toString().endsWith(".py")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (Path script : scripts) {
            String text;
            try {
                text = Files.readString(script, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Matcher r = REVISION.matcher(text);
            if (!r.find()) {
                continue; // __init__.py and helpers
            }
            revisions.add(r.group(1));
            Matcher d = DOWN_REVISION.matcher(text);
            if (d.find()) {
                Matcher q = QUOTED.matcher(d.group(1));
                while (q.find()) {
                    downs.add(q.group(1));
                }
            }
        }
        revisions.removeAll(downs);
        return revisions;
    }

    /** The head recorded in {@code alembic-heads.properties} for {@code version}, for stacks whose installation the harness cannot read. */
    public static Optional<String> known(String version) {
        return Optional.ofNullable(table().getProperty(version));
    }

    /** Every line of {@code alembic-heads.properties}: MLflow version -> its head. */
    public static Properties table() {
        Properties p = new Properties();
        try (InputStream in = AlembicHeads.class.getResourceAsStream("/alembic-heads.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }

    /** The MLflow versions installed under {@code cacheDir} (native-stack virtualenvs), by their venv names. */
    public static List<String> installed(Path cacheDir) {
        Path venvs = Toolchain.mlflowVenv(cacheDir, "x").getParent();
        if (!Files.isDirectory(venvs)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(venvs)) {
            return s.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith("mlflow-") && n.endsWith("-asof-release"))
                    .map(n -> n.substring("mlflow-".length(), n.length() - "-asof-release".length()))
                    .filter(v -> Files.isDirectory(Toolchain.mlflowVenv(cacheDir, v)))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A release whose head is a given revision, and where the harness learnt it. */
    public record Release(String version, String source) {}

    /**
     * An MLflow release whose head is {@code revision}: computed from the migration scripts of the versions installed
     * under {@code cacheDir}, else from {@code alembic-heads.properties}; the newest when several share the head (a
     * release without schema changes keeps its predecessor's). Empty when neither knows the revision.
     */
    public static Optional<Release> releaseOf(String revision, Path cacheDir) {
        TreeMap<String, String> matching = new TreeMap<>(AlembicHeads::compareVersions);
        table().forEach((v, head) -> {
            if (head.equals(revision)) {
                matching.put((String) v, "alembic-heads.properties");
            }
        });
        for (String v : installed(cacheDir)) {
            versionsDir(cacheDir, v)
                    .filter(d -> heads(d).equals(Set.of(revision)))
                    .ifPresent(d -> matching.put(v, "the migration scripts of the installed MLflow " + v));
        }
        return matching.isEmpty()
                ? Optional.empty()
                : Optional.of(
                        new Release(matching.lastKey(), matching.lastEntry().getValue()));
    }

    /** Orders release numbers by their numeric parts: 2.9.2 before 2.10.0. */
    static int compareVersions(String a, String b) {
        String[] x = a.split("[.]");
        String[] y = b.split("[.]");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            int c = Long.compare(part(x, i), part(y, i));
            if (c != 0) {
                return c;
            }
        }
        return a.compareTo(b);
    }

    private static long part(String[] parts, int i) {
        if (i >= parts.length) {
            return -1;
        }
        String digits = parts[i].replaceAll("\\D.*", "");
        return digits.isEmpty() ? -1 : Long.parseLong(digits);
    }
}
