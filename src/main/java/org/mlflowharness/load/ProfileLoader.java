package org.mlflowharness.load;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** Reads profiles from a directory of {@code <name>.yaml} files (the project's {@code scenarios/}). */
public final class ProfileLoader {

    private final Path dir;

    public ProfileLoader(Path dir) {
        this.dir = dir;
    }

    /** The profile names available, sorted. */
    public List<String> names() {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".yaml"))
                    .map(n -> n.substring(0, n.length() - ".yaml".length()))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list profiles in " + dir, e);
        }
    }

    /** @throws IllegalArgumentException for an unknown profile (naming the valid ones) or an invalid file */
    @SuppressWarnings("unchecked")
    public Profile load(String name) {
        if (!names().contains(name)) {
            throw new IllegalArgumentException(
                    "unknown profile '" + name + "'; valid: " + String.join(", ", names()) + " (files in " + dir + ")");
        }
        Path file = dir.resolve(name + ".yaml");
        try (Reader r = Files.newBufferedReader(file)) {
            Object doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(r);
            if (!(doc instanceof Map<?, ?>)) {
                throw new IllegalArgumentException(file + ": expected a YAML mapping");
            }
            return Profile.fromMap(name, (Map<String, Object>) doc);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        } catch (ClassCastException | NullPointerException e) {
            throw new IllegalArgumentException(
                    file + ": a value has the wrong type (" + e.getMessage() + "); see scenarios/README.md");
        }
    }
}
