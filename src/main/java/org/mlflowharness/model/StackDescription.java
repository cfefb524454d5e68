package org.mlflowharness.model;

import java.util.List;

/**
 * What actually ran: the provider and, for each component, the version the component itself reported.
 * A stand-in component (S3Proxy in place of RustFS) is flagged so that no report presents it as RustFS.
 * {@code fault} names a deliberate defect the stack was started with ({@code --fault}), or is null.
 * {@code findings} are what the provider observed about a component while starting it (a setting the component
 * ignored, a health check that answers before the component is ready), each naming the component and its version.
 */
public record StackDescription(
        String provider, NginxVariant nginxVariant, List<Component> components, String fault, List<String> findings) {

    public StackDescription {
        components = List.copyOf(components);
        findings = findings == null ? List.of() : List.copyOf(findings);
    }

    /** A stack without a deliberate fault. */
    public StackDescription(String provider, NginxVariant nginxVariant, List<Component> components) {
        this(provider, nginxVariant, components, null, List.of());
    }

    /** A stack without findings. */
    public StackDescription(String provider, NginxVariant nginxVariant, List<Component> components, String fault) {
        this(provider, nginxVariant, components, fault, List.of());
    }

    /**
     * One running component.
     *
     * @param role        proxy, tracking, database or object-store
     * @param name        the product that ran, e.g. "nginx", "MLflow", "MariaDB", "S3Proxy", "RustFS"
     * @param version     as reported by the component itself
     * @param versionSource how the version was obtained, e.g. "GET /version", "SELECT VERSION()"
     * @param standInFor  the product this component stands in for, or null when it is the real one
     * @param log         where the component's log is, or null when the harness does not own it
     * @param startSeconds how long the component took to become ready, or null when not started by the harness
     * @param image       the container image that ran it (name:tag, id, and what a locally built image holds), or null
     *                    when it is not a container
     */
    public record Component(
            String role,
            String name,
            String version,
            String versionSource,
            String standInFor,
            String log,
            Double startSeconds,
            String image) {

        /** A component that is not a container. */
        public Component(
                String role,
                String name,
                String version,
                String versionSource,
                String standInFor,
                String log,
                Double startSeconds) {
            this(role, name, version, versionSource, standInFor, log, startSeconds, null);
        }
    }

    public Component component(String role) {
        return components.stream()
                .filter(c -> c.role().equals(role))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no component with role " + role));
    }

    /** The same stack behind another proxy: {@code proxy} replaces the proxy component. */
    public StackDescription withProxy(NginxVariant variant, Component proxy) {
        return new StackDescription(
                provider,
                variant,
                components.stream()
                        .map(c -> c.role().equals(proxy.role()) ? proxy : c)
                        .toList(),
                fault,
                findings);
    }

    /** One human line per component, e.g. {@code object-store  S3Proxy 4.1.0 (stand-in for RustFS)}. */
    public String summaryLines() {
        StringBuilder out = new StringBuilder("provider: " + provider + ", nginx variant: " + nginxVariant.id()
                + (fault == null ? "" : ", DELIBERATE FAULT: " + fault) + "\n");
        for (Component c : components) {
            out.append(String.format(
                    "  %-18s %s %s%s%s%n",
                    c.role(),
                    c.name(),
                    c.version(),
                    c.standInFor() == null ? "" : " (stand-in for " + c.standInFor() + ": says nothing about it)",
                    c.image() == null ? "" : "\n  " + " ".repeat(18) + " image " + c.image()));
        }
        findings.forEach(f -> out.append("  finding: ").append(f).append('\n'));
        return out.toString();
    }
}
