package org.mlflowharness.stack.nativestack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@code cargo install} of one crate version from crates.io into its own root ({@code <root>/bin/<crate>}), with a
 * shared target directory so that another version or a re-run reuses the compiled dependencies. Whether a rebuild is
 * needed is read from what cargo itself records in {@code <root>/.crates2.json}: the crate version, features, profile
 * and the compiler that built it. Used by {@link RustfsBuilder}.
 */
record CargoInstall(String crate, String version, Path root, Path targetDir) {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** A compiler or cargo error line: {@code error[E0658]: ...} or {@code error: ...}. */
    private static final Pattern ERROR = Pattern.compile("^error(\\[E\\d+])?: .*");

    private static final Pattern LOCATION = Pattern.compile("^\\s*--> .*");

    Path binary() {
        return root.resolve("bin").resolve(crate);
    }

    /**
     * The build command, niced (the machine is shared). {@code --locked}: the crate's own Cargo.lock, so the build is
     * reproducible; {@code --ignore-rust-version}: RustFS 1.0.x declares rust-version 1.98.1 but builds with 1.95.
     */
    List<String> command(Path cargo, boolean force) {
        List<String> cmd = new ArrayList<>(List.of(
                "nice",
                "-n",
                "15",
                cargo.toString(),
                "install",
                crate,
                "--version",
                version,
                "--locked",
                "--ignore-rust-version",
                "--root",
                root.toString(),
                "--target-dir",
                targetDir.toString()));
        if (force) {
            cmd.add("--force");
        }
        return cmd;
    }

    /**
     * Why the binary must be (re)built, or empty when it exists and cargo's record says it was built from this
     * version with default features, the release profile and {@code rustc} (the first line of {@code rustc -vV}).
     */
    Optional<String> staleReason(String rustc) {
        if (!Files.isExecutable(binary())) {
            return Optional.of("no binary at " + binary());
        }
        Path record = root.resolve(".crates2.json");
        JsonNode install;
        try {
            install = find(JSON.readTree(record.toFile()).path("installs"));
        } catch (IOException e) {
            return Optional.of(binary() + " exists but cargo's install record " + record + " cannot be read ("
                    + e.getMessage() + ")");
        }
        if (install == null) {
            return Optional.of(
                    binary() + " exists but " + record + " records no " + crate + " " + version + " from crates.io");
        }
        List<String> differences = new ArrayList<>();
        if (install.path("features").size() > 0
                || install.path("all_features").asBoolean()
                || install.path("no_default_features").asBoolean()) {
            differences.add("non-default features " + install.path("features"));
        }
        if (!install.path("profile").asText("release").equals("release")) {
            differences.add("profile " + install.path("profile").asText());
        }
        String builtWith =
                install.path("rustc").asText("").lines().findFirst().orElse("").trim();
        if (!builtWith.equals(rustc.lines().findFirst().orElse("").trim())) {
            differences.add("built with " + (builtWith.isEmpty() ? "an unrecorded compiler" : builtWith)
                    + ", cargo now uses " + rustc.lines().findFirst().orElse(""));
        }
        return differences.isEmpty()
                ? Optional.empty()
                : Optional.of(binary() + " was " + String.join("; ", differences));
    }

    /** The compiler that built the binary, as cargo recorded it (first line of rustc -vV), if recorded. */
    Optional<String> builtWith() {
        try {
            JsonNode install =
                    find(JSON.readTree(root.resolve(".crates2.json").toFile()).path("installs"));
            return install == null
                    ? Optional.empty()
                    : install.path("rustc").asText("").lines().findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The record of {@code crate version} from crates.io: keys look like {@code rustfs 1.0.1 (registry+https://...)}. */
    private JsonNode find(JsonNode installs) {
        for (Iterator<Map.Entry<String, JsonNode>> it = installs.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().startsWith(crate + " " + version + " (registry+")) {
                return e.getValue();
            }
        }
        return null;
    }

    /**
     * The first error cargo or the compiler printed, with its source location when the next line gives one, e.g.
     * {@code error[E0658]: use of unstable library feature ... (--> src/lib.rs:12:5)}.
     */
    static Optional<String> firstError(List<String> log) {
        for (int i = 0; i < log.size(); i++) {
            if (ERROR.matcher(log.get(i)).matches()) {
                String where =
                        i + 1 < log.size() && LOCATION.matcher(log.get(i + 1)).matches()
                                ? " (" + log.get(i + 1).trim() + ")"
                                : "";
                return Optional.of(log.get(i).trim() + where);
            }
        }
        return Optional.empty();
    }
}
