package org.mlflowharness.config;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.mlflowharness.config.HarnessConfig.ConfigException;

/**
 * The component versions of one side of an upgrade or a comparison: {@code mlflow=2.9.2,nginx=article,rustfs-bin=/opt/rustfs},
 * and a deliberate fault of that side ({@code fault=nginx-slow}: a candidate known to be slower).
 * Each key stands for the {@link Option} that sets the same thing for one stack; what a spec leaves out comes from the
 * command's options (and so from their defaults).
 */
public record StackSpec(String text, Map<Option, String> values) {

    /** Spec keys and the option each one sets. */
    static final Map<String, Option> KEYS = new LinkedHashMap<>();

    static {
        KEYS.put("mlflow", Option.MLFLOW_VERSION);
        KEYS.put("nginx", Option.NGINX_VARIANT);
        KEYS.put("rustfs-bin", Option.RUSTFS_BIN);
        KEYS.put("fault", Option.FAULT);
        KEYS.put("database", Option.DATABASE);
    }

    public StackSpec {
        values = Map.copyOf(values);
    }

    /**
     * Parses {@code key=value[,key=value...]}; {@code what} names the option in errors ({@code --from}).
     *
     * @throws ConfigException naming the bad part and the valid keys
     */
    public static StackSpec parse(String what, String text) {
        if (text == null || text.isBlank()) {
            throw new ConfigException(what + " is required, e.g. " + what + " mlflow=2.9.2 (keys: "
                    + String.join(", ", KEYS.keySet()) + ")");
        }
        Map<Option, String> values = new LinkedHashMap<>();
        for (String part : text.split(",")) {
            String[] kv = part.strip().split("=", 2);
            Option o = KEYS.get(kv[0].strip());
            if (o == null || kv.length < 2 || kv[1].isBlank()) {
                throw new ConfigException(
                        what + " '" + text + "': '" + part.strip() + "' is not key=value with a key of "
                                + String.join(", ", KEYS.keySet()) + " (e.g. mlflow=2.9.2,nginx=hardened)");
            }
            values.put(o, kv[1].strip());
        }
        return new StackSpec(text.strip(), values);
    }

    /** {@code base} with this spec's values; bad values (an unknown nginx variant) fail as the option would. */
    public HarnessConfig apply(HarnessConfig base) {
        HarnessConfig c = base;
        for (Map.Entry<Option, String> e : values.entrySet()) {
            c = c.with(e.getKey(), e.getValue());
        }
        return c;
    }

    /** What this side runs, in the spec's own words plus what it takes from the options: {@code mlflow=2.9.2 nginx=article}. */
    public String describe(HarnessConfig base) {
        HarnessConfig c = apply(base);
        return KEYS.entrySet().stream()
                .filter(e -> !c.get(e.getValue()).isBlank()
                        && !(e.getValue() == Option.FAULT && c.get(Option.FAULT).equals("none")))
                .map(e -> e.getKey() + "=" + c.get(e.getValue()))
                .collect(Collectors.joining(" "));
    }
}
