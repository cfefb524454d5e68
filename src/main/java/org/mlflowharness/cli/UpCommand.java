package org.mlflowharness.cli;

import java.util.List;
import org.mlflowharness.config.HarnessConfig;
import org.mlflowharness.config.Option;
import org.mlflowharness.proc.Readiness;
import org.mlflowharness.stack.RunningStack;
import org.mlflowharness.stack.compose.ComposeStack;
import picocli.CommandLine.Command;

/** {@code ./harness up [--detach]}: the stack in the foreground until Ctrl-C, or left running. */
@Command(
        name = "up",
        abbreviateSynopsis = true,
        sortOptions = false,
        description = {
            "Bring the stack up and keep it in the foreground until Ctrl-C; with --detach, return once every "
                    + "component is healthy and leave it running (stop it with ./harness down)."
        })
final class UpCommand extends HarnessCommand {

    UpCommand(Harness harness) {
        super(harness);
    }

    @Override
    List<Option> options() {
        return Option.allExcept(
                Option.OUTPUT,
                Option.SUITES,
                Option.CLIENT_VERSION,
                Option.PROFILE,
                Option.KEEP_DATA,
                Option.LOAD_FAULT,
                Option.REPORTS_DIR,
                Option.KEEP_RUNS);
    }

    @Override
    int run(HarnessConfig config) {
        Harness.Started started = harness.start(config, null);
        RunningStack stack = started.stack();
        out().println();
        out().println(stack.description().summaryLines());
        out().println("MLflow:   " + stack.endpoints().trackingUri());
        out().println("user:     " + stack.endpoints().username());
        out().println("password: " + stack.endpoints().password());
        out().println("  export MLFLOW_TRACKING_URI=" + stack.endpoints().trackingUri() + " MLFLOW_TRACKING_USERNAME="
                + stack.endpoints().username() + " MLFLOW_TRACKING_PASSWORD="
                + stack.endpoints().password());
        stack.description().components().stream()
                .filter(c -> c.log() != null)
                .forEach(c -> out().println("log of " + c.name() + ": " + c.log()));
        if (config.flag(Option.DETACH)) {
            started.detach();
            out().println("detached: stop it with ./harness down");
            if (started.provider() instanceof ComposeStack) {
                // Without Ryuk, Testcontainers removes the compose project in a JVM exit hook: skip the hooks.
                out().flush();
                Runtime.getRuntime().halt(Harness.OK);
            }
            return Harness.OK;
        }
        out().println("running in the foreground; Ctrl-C stops every component");
        Readiness alive = Readiness.http(stack.endpoints().trackingUri().resolve("/health"), 401);
        int misses = 0;
        while (misses < 3) {
            try {
                Thread.sleep(5000);
                misses = alive.isReady() ? 0 : misses + 1;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (Exception e) {
                misses++;
            }
        }
        err().println("error: nginx stopped answering at " + stack.endpoints().trackingUri()
                + "; stopping the stack (logs above)");
        started.close();
        return Harness.FAILED;
    }
}
