package org.mlflowharness.stack;

import java.util.function.Consumer;
import org.mlflowharness.config.HarnessConfig;
import org.mlflowharness.stack.compose.ComposeStack;
import org.mlflowharness.stack.nativestack.NativeState;
import org.mlflowharness.stack.nativestack.NativeStack;
import org.testcontainers.DockerClientFactory;

/** Picks the provider for a configuration: the one place that maps {@code --stack} to an implementation. */
public final class Stacks {

    private Stacks() {
    }

    /**
     * The provider to use. A native stack left running by {@code up --detach} is attached to (and not stopped
     * afterwards) unless another provider is asked for explicitly.
     */
    public static StackProvider provider(HarnessConfig config, Consumer<String> out) {
        HarnessConfig.StackKind kind = config.stack();
        if (kind == HarnessConfig.StackKind.AUTO || kind == HarnessConfig.StackKind.NATIVE) {
            var detached = NativeState.read(NativeStack.stateFile(config)).filter(NativeState::allAlive);
            if (detached.isPresent()) {
                out.accept("using the native stack already running from " + NativeStack.stateFile(config).getParent());
                return NativeStack.attach(config, detached.get().stack(), out);
            }
        }
        return switch (kind) {
            case EXTERNAL -> new ExternalStack(config);
            case NATIVE -> new NativeStack(config, out);
            case COMPOSE -> compose(config);
            case AUTO -> dockerAvailable() ? compose(config) : nativeWithReason(config, out);
        };
    }

    private static StackProvider nativeWithReason(HarnessConfig config, Consumer<String> out) {
        out.accept("stack auto: no Docker engine answers, using the native stack");
        return new NativeStack(config, out);
    }

    private static StackProvider compose(HarnessConfig config) {
        return new ComposeStack(config);
    }

    /** True when a Docker engine answers (checked without Testcontainers' noise when no socket or DOCKER_HOST exists). */
    public static boolean dockerAvailable() {
        if (System.getenv("DOCKER_HOST") == null && !java.nio.file.Files.exists(java.nio.file.Path.of("/var/run/docker.sock"))) {
            return false;
        }
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException e) {
            return false;
        }
    }
}
