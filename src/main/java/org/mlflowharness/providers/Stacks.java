package org.mlflowharness.providers;

import java.util.function.Consumer;
import org.mlflowharness.config.HarnessConfig;
import org.mlflowharness.stack.ExternalStack;
import org.mlflowharness.stack.StackProvider;
import org.mlflowharness.stack.compose.ComposeStack;
import org.mlflowharness.stack.nativestack.NativeStack;
import org.mlflowharness.stack.nativestack.NativeState;

/** Picks the provider for a configuration: the one place that maps {@code --stack} to an implementation. */
public final class Stacks {

    private Stacks() {}

    /**
     * The provider to use. A stack left running by {@code up --detach} is attached to (and not stopped afterwards)
     * unless another provider is asked for explicitly. {@code auto} takes compose when a Docker engine answers and its
     * images can be had (pulled, or built offline), else native, and says which and why in one line.
     */
    public static StackProvider provider(HarnessConfig config, Consumer<String> out) {
        HarnessConfig.StackKind kind = config.stack();
        if (kind == HarnessConfig.StackKind.AUTO || kind == HarnessConfig.StackKind.NATIVE) {
            var detached = NativeState.read(NativeStack.stateFile(config)).filter(NativeState::allAlive);
            if (detached.isPresent()) {
                out.accept("using the native stack already running from "
                        + NativeStack.stateFile(config).getParent());
                return NativeStack.attach(config, detached.get().stack(), out);
            }
        }
        if (kind == HarnessConfig.StackKind.AUTO || kind == HarnessConfig.StackKind.COMPOSE) {
            var detached = ComposeStack.running(config);
            if (detached.isPresent()) {
                out.accept("using the compose stack already running from "
                        + ComposeStack.stateFile(config).getParent() + " (project "
                        + detached.get().project() + ")");
                return ComposeStack.attach(config, detached.get(), out);
            }
        }
        return switch (kind) {
            case EXTERNAL -> new ExternalStack(config);
            case NATIVE -> new NativeStack(config, out);
            case COMPOSE -> new ComposeStack(config, out);
            case AUTO -> auto(config, out);
        };
    }

    private static StackProvider auto(HarnessConfig config, Consumer<String> out) {
        String reason = ComposeStack.unavailableReason(config);
        if (reason == null) {
            out.accept("stack auto: compose (a Docker engine answers and its images can be had)");
            return new ComposeStack(config, out);
        }
        out.accept("stack auto: native, because " + reason);
        return new NativeStack(config, out);
    }
}
