package org.mlflowharness.config;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.mlflowharness.model.Fault;
import org.mlflowharness.model.NginxVariant;
import org.mlflowharness.model.ObjectStoreKind;

/** Typed, validated settings. Built once from the command line, system properties and environment. */
public final class HarnessConfig {

    /** The stack providers; {@code AUTO} resolves to compose or native at start. */
    public enum StackKind {
        AUTO, COMPOSE, NATIVE, EXTERNAL;

        public String id() {
            return name().toLowerCase();
        }

        static StackKind parse(String value) {
            return Arrays.stream(values()).filter(k -> k.id().equalsIgnoreCase(value)).findFirst()
                    .orElseThrow(() -> new ConfigException("unknown stack '" + value + "'; use one of "
                            + Arrays.stream(values()).map(StackKind::id).collect(Collectors.joining(", "))));
        }
    }

    private final Map<Option, String> values;

    private HarnessConfig(Map<Option, String> values) {
        this.values = values;
        // Validate eagerly so bad values fail before anything starts.
        stack();
        nginxVariant();
        port();
        fault();
        objectStore();
        keepRuns();
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

    public boolean flag(Option option) {
        return Boolean.parseBoolean(values.get(option));
    }

    public StackKind stack() {
        return StackKind.parse(get(Option.STACK));
    }

    public NginxVariant nginxVariant() {
        try {
            return NginxVariant.parse(get(Option.NGINX_VARIANT));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    public Fault fault() {
        try {
            Fault f = Fault.parse(get(Option.FAULT));
            if (f.composeOnly() && stack() != StackKind.COMPOSE) {
                throw new ConfigException("--fault " + f.id() + " breaks a Compose service: use it with --stack compose");
            }
            if (f != Fault.NONE && !f.composeOnly() && stack() != StackKind.NATIVE && stack() != StackKind.AUTO) {
                throw new ConfigException("--fault " + f.id() + " works only on the native stack (it changes how the harness starts it)");
            }
            return f;
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    /** {@code --object-store}; only the native stack chooses its object store. */
    public ObjectStoreKind objectStore() {
        try {
            ObjectStoreKind k = ObjectStoreKind.parse(get(Option.OBJECT_STORE));
            if (k != ObjectStoreKind.AUTO && stack() != StackKind.NATIVE && stack() != StackKind.AUTO) {
                throw new ConfigException("--object-store works only on the native stack (compose runs the RustFS image, "
                        + "external uses what is deployed)");
            }
            return k;
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    public String mlflowVersion() {
        return get(Option.MLFLOW_VERSION);
    }

    public int port() {
        String v = get(Option.PORT);
        try {
            int p = Integer.parseInt(v);
            if (p < 0 || p > 65535) {
                throw new NumberFormatException();
            }
            return p;
        } catch (NumberFormatException e) {
            throw new ConfigException("--port '" + v + "' is not a port number (0-65535; 0 picks a free port)");
        }
    }

    public Path reportsDir() {
        return Path.of(get(Option.REPORTS_DIR)).toAbsolutePath().normalize();
    }

    public int keepRuns() {
        String v = get(Option.KEEP_RUNS);
        try {
            int n = Integer.parseInt(v);
            if (n < 1) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new ConfigException("--keep-runs '" + v + "' is not a number of runs (1 or more)");
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
