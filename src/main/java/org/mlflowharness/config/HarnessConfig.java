package org.mlflowharness.config;

import java.nio.file.Path;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.mlflowharness.model.DatabaseConditions;
import org.mlflowharness.model.DatabaseConditions.LegacyCharset;
import org.mlflowharness.model.DatabaseKind;
import org.mlflowharness.model.Fault;
import org.mlflowharness.model.NginxVariant;
import org.mlflowharness.model.ObjectStoreKind;

/**
 * Typed, validated settings. Built once from the command line, system properties and environment; every value is
 * checked when it is built, so a bad one fails before anything starts, as {@link OptionValues} words it.
 */
public final class HarnessConfig {

    /** The stack providers; {@code AUTO} resolves to compose or native at start. */
    public enum StackKind {
        AUTO,
        COMPOSE,
        NATIVE,
        EXTERNAL;

        public String id() {
            return name().toLowerCase();
        }
    }

    /** What {@code --images} takes (the compose stack reads it). */
    private static final List<String> IMAGE_SOURCES = List.of("auto", "registry", "offline");

    /** What {@code --output} takes. */
    private static final List<String> OUTPUTS = List.of("text", "json");

    /** What a flag takes from the environment or a system property (the command line sets it without a value). */
    private static final String[] FLAG_VALUES = {"true", "false"};

    private final Map<Option, String> values;

    private HarnessConfig(Map<Option, String> values) {
        this.values = values;
        // Validate eagerly so bad values fail before anything starts.
        stack();
        nginxVariant();
        port();
        fault();
        databaseConditions();
        objectStore();
        database();
        keepRuns();
        rounds();
        suiteThreads();
        clientLargeArtifact();
        OptionValues.requireKnown(Option.IMAGES, "image source", get(Option.IMAGES), IMAGE_SOURCES);
        OptionValues.requireKnown(Option.OUTPUT, "output", get(Option.OUTPUT), OUTPUTS);
        for (Option o : Option.values()) {
            if (o.isFlag()) {
                flag(o);
            }
        }
    }

    /** {@code --output json}: standard output carries the run's summary.json only, the text goes to standard error. */
    public boolean jsonOutput() {
        return get(Option.OUTPUT).equals("json");
    }

    /** Settings from system properties and the environment only (suites run from Maven or an IDE). */
    public static HarnessConfig fromEnvironment() {
        return of(Map.of(), System.getenv());
    }

    /**
     * The settings for {@code given} (what the command line set), falling back per option to its
     * {@code -Dharness.<name>} system property, then its environment variable in {@code env}, then its default.
     *
     * @throws ConfigException on a value that is not valid for its option
     */
    public static HarnessConfig of(Map<Option, String> given, Map<String, String> env) {
        Map<Option, String> values = new EnumMap<>(Option.class);
        for (Option o : Option.values()) {
            if (given.containsKey(o)) {
                values.put(o, given.get(o));
                continue;
            }
            String v = System.getProperty(o.systemProperty());
            if (v == null || v.isEmpty()) {
                v = env.get(o.envName());
            }
            values.put(o, v == null || v.isEmpty() ? o.defaultValue() : v);
        }
        return new HarnessConfig(values);
    }

    public String get(Option option) {
        return values.get(option);
    }

    public Optional<String> optional(Option option) {
        String v = values.get(option);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v);
    }

    /** A flag's value: true or false, in any case. */
    public boolean flag(Option option) {
        return Boolean.parseBoolean(OptionValues.pick(option, "value", values.get(option), FLAG_VALUES, v -> v));
    }

    public StackKind stack() {
        return OptionValues.pick(Option.STACK, "stack", get(Option.STACK), StackKind.values(), StackKind::id);
    }

    public NginxVariant nginxVariant() {
        return OptionValues.pick(
                Option.NGINX_VARIANT,
                "nginx variant",
                get(Option.NGINX_VARIANT),
                NginxVariant.values(),
                NginxVariant::id);
    }

    /** The production-shaped database conditions of {@code upgrade} (the default database for other commands). */
    public DatabaseConditions databaseConditions() {
        return new DatabaseConditions(
                OptionValues.pick(
                        Option.LEGACY_CHARSET,
                        "legacy charset",
                        get(Option.LEGACY_CHARSET),
                        LegacyCharset.values(),
                        LegacyCharset::id),
                flag(Option.LEAST_PRIVILEGE),
                flag(Option.BINARY_LOG));
    }

    public Fault fault() {
        Fault f = OptionValues.pick(Option.FAULT, "fault", get(Option.FAULT), Fault.values(), Fault::id);
        if (f.composeOnly() && stack() != StackKind.COMPOSE) {
            throw new ConfigException("--fault " + f.id() + " breaks a Compose service: use it with --stack compose");
        }
        boolean composeToo = f == Fault.DB_ARTICLE_EXACT && stack() == StackKind.COMPOSE;
        if (f != Fault.NONE
                && !f.composeOnly()
                && !composeToo
                && stack() != StackKind.NATIVE
                && stack() != StackKind.AUTO) {
            throw new ConfigException(
                    "--fault " + f.id() + " works only on the native stack (it changes how the harness starts it)");
        }
        return f;
    }

    /** {@code --object-store}; only the native stack chooses its object store. */
    public ObjectStoreKind objectStore() {
        ObjectStoreKind k = OptionValues.pick(
                Option.OBJECT_STORE,
                "object store",
                get(Option.OBJECT_STORE),
                ObjectStoreKind.values(),
                ObjectStoreKind::id);
        if (k != ObjectStoreKind.AUTO && stack() != StackKind.NATIVE && stack() != StackKind.AUTO) {
            throw new ConfigException("--object-store works only on the native stack (compose runs the RustFS image, "
                    + "external uses what is deployed)");
        }
        return k;
    }

    /** {@code --database}; the native and the compose stack choose their database, external uses what is deployed. */
    public DatabaseKind database() {
        DatabaseKind k = OptionValues.pick(
                Option.DATABASE, "database", get(Option.DATABASE), DatabaseKind.values(), DatabaseKind::id);
        if (k != DatabaseKind.AUTO && stack() == StackKind.EXTERNAL) {
            throw new ConfigException(
                    "--database works only on the native and the compose stack (external uses what is deployed)");
        }
        return k;
    }

    public String mlflowVersion() {
        return get(Option.MLFLOW_VERSION);
    }

    public int port() {
        return OptionValues.number(
                Option.PORT, get(Option.PORT), 0, 65535, "a port number (0-65535; 0 picks a free port)");
    }

    public Path reportsDir() {
        return Path.of(get(Option.REPORTS_DIR)).toAbsolutePath().normalize();
    }

    public int keepRuns() {
        return OptionValues.number(
                Option.KEEP_RUNS, get(Option.KEEP_RUNS), 1, Integer.MAX_VALUE, "a number of runs (1 or more)");
    }

    /** {@code --rounds}: compare's load rounds per side, or {@code auto} when not given ({@code auto}: empty). */
    public java.util.OptionalInt rounds() {
        return get(Option.ROUNDS).equals("auto")
                ? java.util.OptionalInt.empty()
                : java.util.OptionalInt.of(OptionValues.number(
                        Option.ROUNDS,
                        get(Option.ROUNDS),
                        2,
                        10,
                        "a number from 2 to 10 or auto (rounds per side; 2 gives A B B A)"));
    }

    /** {@code --suite-threads}: how many suites run side by side. */
    public int suiteThreads() {
        return OptionValues.number(
                Option.SUITE_THREADS, get(Option.SUITE_THREADS), 1, 16, "a number from 1 to 16 (suites side by side)");
    }

    /** {@code --client-large-artifact}: a size in bytes, or empty for {@code auto}. */
    public java.util.OptionalLong clientLargeArtifact() {
        String v = get(Option.CLIENT_LARGE_ARTIFACT);
        if (v.equals("auto")) {
            return java.util.OptionalLong.empty();
        }
        try {
            return java.util.OptionalLong.of(Sizes.parse(v));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("--" + Option.CLIENT_LARGE_ARTIFACT.cliName() + ": '" + v
                    + "' is not auto or a size like 64MiB, 600MiB or 2GiB");
        }
    }

    /** {@code --suites}: the tags of the suites to run, in the order given; empty for every suite. */
    public List<String> suiteTags() {
        return Stream.of(get(Option.SUITES).split(","))
                .map(String::strip)
                .filter(t -> !t.isEmpty())
                .toList();
    }

    /**
     * Fails as any bad value does unless every {@code --suites} tag is one of {@code known} (the tags the suites carry;
     * asked only when tags were given). The command line checks this before anything starts: a tag that selects no
     * suite would otherwise run no check.
     */
    public void checkSuiteTags(Supplier<? extends Collection<String>> known) {
        List<String> tags = suiteTags();
        if (!tags.isEmpty()) {
            Collection<String> all = known.get();
            tags.forEach(t -> OptionValues.requireKnown(Option.SUITES, "tag", t, all));
        }
    }

    public Path workDir() {
        return Path.of(get(Option.WORK_DIR)).toAbsolutePath().normalize();
    }

    public Path cacheDir() {
        return Path.of(get(Option.CACHE_DIR)).toAbsolutePath().normalize();
    }

    /** A copy with one value replaced (the CLI uses it to pin a provider, e.g. the load profile's nginx variant). */
    public HarnessConfig with(Option option, String value) {
        Map<Option, String> copy = new EnumMap<>(values);
        copy.put(option, value);
        return new HarnessConfig(copy);
    }

    /** Makes these values what {@link #fromEnvironment()} sees in this JVM (suites started by the gate read them). */
    public void exportToSystemProperties() {
        values.forEach((o, v) -> System.setProperty(o.systemProperty(), v));
    }

    /** Bad configuration: the message says what is wrong and what to do. */
    public static final class ConfigException extends RuntimeException {
        public ConfigException(String message) {
            super(message);
        }
    }
}
