package org.mlflowharness.load;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.mlflowharness.config.Sizes;
import org.mlflowharness.model.NginxVariant;

/**
 * A load profile as read from {@code scenarios/<name>.yaml} (format: {@code scenarios/README.md}): which scenarios
 * run, their injection shape, sizes and SLOs. Unknown keys, scenarios and variants fail fast.
 *
 * @param nginxVariant the variant a stack is brought up with when the load command starts one
 * @param stopOnBreach true (capacity): a breach ends the step ramp and is a finding; false: a breach fails the run
 * @param maxMinutes   hard bound on the whole load stage
 */
public record Profile(
        String name,
        String description,
        NginxVariant nginxVariant,
        boolean stopOnBreach,
        double maxMinutes,
        Map<ScenarioKind, Settings> scenarios) {

    /** One step of an injection: {@code users} concurrent virtual users; {@code rate} iterations/s per user (where used). */
    public record Step(int users, double rate) {}

    /**
     * A scenario's parameters. Fields a scenario does not use are ignored by it.
     *
     * @param resilience the resilience scenario's faults and bounds; null for the other scenarios
     * @param volume     the data-volume scenario's fill and levels; null for the other scenarios
     * @param target     the load to size the stack for (breakpoint's {@code target}); null when not given
     */
    public record Settings(
            List<Step> steps,
            int durationSeconds,
            int batchSize,
            List<Long> sizes,
            int timeoutSeconds,
            List<NginxVariant> nginxVariants,
            Slo slo,
            Resilience resilience,
            Volume volume,
            Target target) {}

    /**
     * A load to size the stack for (breakpoint): {@code jobs} training jobs logging {@code pointsPerSecond} metric
     * points/s each; the findings say how many MLflow workers that takes at the measured rate per worker, the stack
     * under test running {@code workers} (MLflow's default of 4 when the server is started without --workers, as the
     * native and compose stacks are). {@code sweep}: MLflow worker counts, ascending, to run the breakpoint ramp again
     * with (MLflow restarted with --workers N for each), so that the sizing rests on measured throughput per worker
     * count instead of a proportional guess; empty for none.
     */
    public record Target(int jobs, double pointsPerSecond, int workers, List<Integer> sweep) {
        public double total() {
            return jobs * pointsPerSecond;
        }
    }

    /**
     * The resilience scenario: while the training jobs (steps[0]) log metrics and {@code uploadUsers} upload
     * {@code sizes[0]}-byte artifacts at {@code uploadRate}/s each, the faults are applied in turn.
     *
     * @param recoverySeconds how long the stack may take, from a fault's start, to serve again; longer fails the run and
     *                        ends the faults
     * @param settleSeconds   steady load after the last fault has recovered, before the load stops
     * @param maxMinutes      bound on the scenario (it is not part of {@code all}, so the profile's bound is not meant for it)
     */
    public record Resilience(
            List<FaultPlan> faults,
            int uploadUsers,
            double uploadRate,
            int recoverySeconds,
            int settleSeconds,
            double maxMinutes) {}

    /**
     * One fault: {@code action} (restart, or reload for the proxy) on the component with role {@code component} (proxy,
     * tracking, database, object-store) {@code atSeconds} after the steady load began, stopped for {@code outageSeconds}.
     */
    public record FaultPlan(String component, String action, double atSeconds, double outageSeconds) {
        public String label() {
            return action + " " + component;
        }
    }

    /** The most MLflow workers a sweep starts: each one imports MLflow (about 150 MiB and seconds of CPU). */
    static final int MAX_SWEPT_WORKERS = 16;

    static final List<String> TOP_KEYS = List.of("description", "nginxVariant", "onBreach", "maxMinutes", "scenarios");
    static final List<String> SCENARIO_KEYS = List.of(
            "steps",
            "users",
            "rate",
            "durationSeconds",
            "batchSize",
            "sizes",
            "timeoutSeconds",
            "nginxVariants",
            "target",
            "slo");
    static final List<String> RESILIENCE_KEYS = List.of(
            "users",
            "rate",
            "batchSize",
            "sizes",
            "timeoutSeconds",
            "uploadUsers",
            "uploadRate",
            "faults",
            "recoverySeconds",
            "settleSeconds",
            "maxMinutes",
            "slo");
    static final List<String> ROLES = List.of("database", "object-store", "tracking", "proxy");

    /**
     * The same profile with every scenario going through {@code variant} only (the stack's own nginx, no added fronts):
     * how {@code compare} loads each side through the proxy its spec names.
     */
    public Profile throughVariant(NginxVariant variant) {
        Map<ScenarioKind, Settings> only = new EnumMap<>(ScenarioKind.class);
        scenarios.forEach((k, s) -> only.put(
                k,
                new Settings(
                        s.steps(),
                        s.durationSeconds(),
                        s.batchSize(),
                        s.sizes(),
                        s.timeoutSeconds(),
                        List.of(),
                        s.slo(),
                        s.resilience(),
                        s.volume(),
                        s.target())));
        return new Profile(name, description, variant, stopOnBreach, maxMinutes, only);
    }

    public Settings settings(ScenarioKind kind) {
        Settings s = scenarios.get(kind);
        if (s == null && kind == ScenarioKind.DIRECT_S3) {
            s = scenarios.get(ScenarioKind.LARGE_UPLOAD);
        }
        if (s == null) {
            throw new IllegalArgumentException("profile '" + name + "' has no settings for scenario '" + kind.id()
                    + "'; it defines: "
                    + String.join(
                            ", ",
                            scenarios.keySet().stream().map(ScenarioKind::id).toList()));
        }
        return s;
    }

    /** Builds a profile from parsed YAML. */
    @SuppressWarnings("unchecked")
    static Profile fromMap(String name, Map<String, Object> top) {
        requireKnownKeys(top, "profile " + name, TOP_KEYS);
        String onBreach = String.valueOf(top.getOrDefault("onBreach", "fail"));
        if (!onBreach.equals("fail") && !onBreach.equals("stop")) {
            throw new IllegalArgumentException(
                    "profile " + name + ": onBreach '" + onBreach + "' is not one of: fail, stop");
        }
        Object scenariosObj = top.get("scenarios");
        if (!(scenariosObj instanceof Map<?, ?> sm) || sm.isEmpty()) {
            throw new IllegalArgumentException("profile " + name + ": 'scenarios' must map scenario names ("
                    + ScenarioKind.validNames() + ") to settings");
        }
        Map<ScenarioKind, Settings> scenarios = new EnumMap<>(ScenarioKind.class);
        for (Map.Entry<?, ?> e : sm.entrySet()) {
            ScenarioKind kind = ScenarioKind.parse(String.valueOf(e.getKey()));
            Map<String, Object> m = e.getValue() == null ? Map.of() : (Map<String, Object>) e.getValue();
            Settings settings = switch (kind) {
                case RESILIENCE -> resilience(name + "/" + kind.id(), m);
                case DATA_VOLUME -> Volume.settings(name + "/" + kind.id(), m);
                default -> settings(name + "/" + kind.id(), m);
            };
            if ((kind == ScenarioKind.LARGE_UPLOAD || kind == ScenarioKind.DIRECT_S3)
                    && settings.sizes().isEmpty()) {
                throw new IllegalArgumentException(
                        "profile " + name + "/" + kind.id() + ": 'sizes' is required, e.g. sizes: [1MiB, 16MiB]");
            }
            if (settings.target() != null && !settings.target().sweep().isEmpty() && !onBreach.equals("stop")) {
                throw new IllegalArgumentException("profile " + name + "/" + kind.id()
                        + ": a target sweep ramps each worker count until its SLO breaks; set onBreach: stop");
            }
            scenarios.put(kind, settings);
        }
        return new Profile(
                name,
                String.valueOf(top.getOrDefault("description", "")),
                NginxVariant.parse(String.valueOf(top.getOrDefault("nginxVariant", "hardened"))),
                onBreach.equals("stop"),
                ((Number) top.getOrDefault("maxMinutes", 10)).doubleValue(),
                scenarios);
    }

    @SuppressWarnings("unchecked")
    private static Settings settings(String where, Map<String, Object> m) {
        requireKnownKeys(m, where, SCENARIO_KEYS);
        return common(where, m, null);
    }

    /** The resilience section: the common keys for its load, and its faults (required), bounds and integrity SLO only. */
    @SuppressWarnings("unchecked")
    private static Settings resilience(String where, Map<String, Object> m) {
        requireKnownKeys(m, where, RESILIENCE_KEYS);
        if (!(m.get("faults") instanceof List<?> list) || list.isEmpty()) {
            throw new IllegalArgumentException(
                    where + ": 'faults' is required, e.g. - {component: database, action: restart, "
                            + "atSeconds: 10, outageSeconds: 5}");
        }
        if (!(m.get("sizes") instanceof List<?> sizes) || sizes.size() != 1) {
            throw new IllegalArgumentException(where + ": 'sizes' must give the one upload size, e.g. sizes: [256KiB]");
        }
        if (m.get("slo") instanceof Map<?, ?> slo) {
            requireKnownKeys(
                    (Map<String, Object>) slo,
                    where + " slo (latency and errors are expected during outages)",
                    List.of("maxLostWrites"));
        }
        List<FaultPlan> faults = new ArrayList<>();
        double last = -1;
        for (Object o : list) {
            Map<String, Object> f = (Map<String, Object>) o;
            requireKnownKeys(f, where + " fault", List.of("component", "action", "atSeconds", "outageSeconds"));
            String component = String.valueOf(f.get("component"));
            String action = String.valueOf(f.getOrDefault("action", "restart"));
            if (!ROLES.contains(component)) {
                throw new IllegalArgumentException(
                        where + ": fault component '" + component + "' is not one of " + String.join(", ", ROLES));
            }
            if (!action.equals("restart") && !(action.equals("reload") && component.equals("proxy"))) {
                throw new IllegalArgumentException(where + ": fault action '" + action + "' on " + component
                        + ": use restart (any component) or reload (proxy only: nginx -s reload)");
            }
            double at = ((Number) f.get("atSeconds")).doubleValue();
            double outage = ((Number) f.getOrDefault("outageSeconds", 0)).doubleValue();
            if (at <= last || outage < 0 || outage > 300) {
                throw new IllegalArgumentException(
                        where + ": faults need ascending atSeconds and outageSeconds 0..300 (got " + at + ", " + outage
                                + " after " + last + ")");
            }
            last = at;
            faults.add(new FaultPlan(component, action, at, outage));
        }
        Resilience r = new Resilience(
                List.copyOf(faults),
                ((Number) m.getOrDefault("uploadUsers", 1)).intValue(),
                ((Number) m.getOrDefault("uploadRate", 1)).doubleValue(),
                ((Number) m.getOrDefault("recoverySeconds", 120)).intValue(),
                ((Number) m.getOrDefault("settleSeconds", 10)).intValue(),
                ((Number) m.getOrDefault("maxMinutes", 10)).doubleValue());
        if (r.uploadUsers() < 0
                || r.uploadRate() <= 0
                || r.recoverySeconds() < 1
                || r.settleSeconds() < 0
                || r.maxMinutes() <= 0) {
            throw new IllegalArgumentException(
                    where + ": uploadUsers >= 0, uploadRate > 0, recoverySeconds >= 1, settleSeconds >= 0 "
                            + "and maxMinutes > 0 are required");
        }
        return common(where, m, r);
    }

    @SuppressWarnings("unchecked")
    static Settings common(String where, Map<String, Object> m, Resilience resilience) {
        return common(where, m, resilience, null);
    }

    @SuppressWarnings("unchecked")
    static Settings common(String where, Map<String, Object> m, Resilience resilience, Volume volume) {
        List<Step> steps = new ArrayList<>();
        if (m.get("steps") instanceof List<?> l) {
            for (Object o : l) {
                Map<String, Object> s = (Map<String, Object>) o;
                requireKnownKeys(s, where + " step", List.of("users", "rate"));
                steps.add(step(where, s.get("users"), s.get("rate")));
            }
        } else {
            steps.add(step(where, m.getOrDefault("users", 1), m.getOrDefault("rate", 1)));
        }
        List<Long> sizes = new ArrayList<>();
        if (m.get("sizes") instanceof List<?> l) {
            l.forEach(o -> sizes.add(Sizes.parse(String.valueOf(o))));
        }
        List<NginxVariant> variants = new ArrayList<>();
        if (m.get("nginxVariants") instanceof List<?> l) {
            l.forEach(o -> variants.add(NginxVariant.parse(String.valueOf(o))));
        }
        return new Settings(
                List.copyOf(steps),
                ((Number) m.getOrDefault("durationSeconds", 10)).intValue(),
                ((Number) m.getOrDefault("batchSize", 10)).intValue(),
                List.copyOf(sizes),
                ((Number) m.getOrDefault("timeoutSeconds", 120)).intValue(),
                List.copyOf(variants),
                Slo.fromMap((Map<String, Object>) m.get("slo")),
                resilience,
                volume,
                target(where, m.get("target")));
    }

    @SuppressWarnings("unchecked")
    private static Target target(String where, Object o) {
        if (o == null) {
            return null;
        }
        if (!(o instanceof Map<?, ?> m)
                || !(m.get("jobs") instanceof Number jobs)
                || !(m.get("pointsPerSecond") instanceof Number pps)
                || jobs.intValue() < 1
                || pps.doubleValue() <= 0) {
            throw new IllegalArgumentException(where
                    + ": 'target' is the load to size for, e.g. target: {jobs: 50, pointsPerSecond: 20, workers: 4}");
        }
        requireKnownKeys(
                (Map<String, Object>) m, where + " target", List.of("jobs", "pointsPerSecond", "workers", "sweep"));
        int workers = m.get("workers") instanceof Number w ? w.intValue() : 4;
        if (workers < 1) {
            throw new IllegalArgumentException(where + ": target workers must be >= 1");
        }
        List<Integer> sweep = new ArrayList<>();
        if (m.get("sweep") != null) {
            if (!(m.get("sweep") instanceof List<?> l)
                    || l.isEmpty()
                    || !l.stream().allMatch(n -> n instanceof Integer i && i >= 1 && i <= MAX_SWEPT_WORKERS)) {
                throw new IllegalArgumentException(where + ": target sweep lists MLflow worker counts 1.."
                        + MAX_SWEPT_WORKERS + ", e.g. sweep: [1, 2, 4]");
            }
            l.forEach(n -> sweep.add((Integer) n));
            for (int i = 1; i < sweep.size(); i++) {
                if (sweep.get(i) <= sweep.get(i - 1)) {
                    throw new IllegalArgumentException(
                            where + ": target sweep must list worker counts in ascending order, e.g. [1, 2, 4]");
                }
            }
        }
        return new Target(jobs.intValue(), pps.doubleValue(), workers, List.copyOf(sweep));
    }

    private static Step step(String where, Object users, Object rate) {
        int u = ((Number) users).intValue();
        double r = ((Number) rate).doubleValue();
        if (u < 1 || u > 500 || r <= 0 || r > 100) {
            throw new IllegalArgumentException(
                    where + ": users must be 1..500 and rate 0..100/s (got " + u + ", " + r + ")");
        }
        return new Step(u, r);
    }

    static void requireKnownKeys(Map<String, Object> m, String where, List<String> known) {
        Set<String> unknown = new TreeSet<>(m.keySet());
        known.forEach(unknown::remove);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException(
                    where + ": unknown key(s) " + unknown + "; valid: " + String.join(", ", known));
        }
    }

    @Override
    public String toString() {
        return String.format(
                Locale.ROOT,
                "%s (%s; nginx %s; on breach %s; at most %.1f min)",
                name,
                String.join(
                        ", ", scenarios.keySet().stream().map(ScenarioKind::id).toList()),
                nginxVariant.id(),
                stopOnBreach ? "stop" : "fail",
                maxMinutes);
    }
}
