package org.mlflowharness.load.run;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.mlflowharness.model.NginxVariant;
import org.mlflowharness.stack.ProxyFront;
import org.mlflowharness.stack.RunningStack;
import org.mlflowharness.stack.StackProvider;

/**
 * The nginx variants a load run reaches the stack through: the stack's own, and others the provider puts in front of
 * the same MLflow ({@link StackProvider#addProxy}), each started once and stopped at the end of the run.
 */
final class NginxFronts implements AutoCloseable {

    private final RunningStack stack;
    private final StackProvider provider;
    private final Consumer<String> out;
    private final Map<NginxVariant, ProxyFront> fronts = new LinkedHashMap<>();

    NginxFronts(RunningStack stack, StackProvider provider, Consumer<String> out) {
        this.stack = stack;
        this.provider = provider;
        this.out = out;
    }

    /**
     * The stack seen through nginx {@code variant}: the stack itself when it has that variant, else another nginx in
     * front of it (started once, stopped at the end of the run). Empty, with the reason in {@code whyNot}, when the
     * provider cannot add one or the added nginx does not start.
     */
    Optional<RunningStack> through(NginxVariant variant, List<String> whyNot) {
        if (variant == stack.description().nginxVariant()) {
            return Optional.of(stack);
        }
        try {
            ProxyFront front = fronts.get(variant);
            if (front == null) {
                out.accept("starting another nginx (" + variant.id() + ") in front of the same MLflow ...");
                front = provider.addProxy(variant);
                fronts.put(variant, front);
            }
            return Optional.of(front.stack());
        } catch (RuntimeException e) {
            whyNot.add(e.getMessage());
            return Optional.empty();
        }
    }

    /** Stops every nginx added in front of the stack. */
    @Override
    public void close() {
        fronts.values().forEach(ProxyFront::close);
        fronts.clear();
    }
}
