package org.mlflowharness.cli;

import java.util.List;
import java.util.Optional;
import org.mlflowharness.config.HarnessConfig;
import org.mlflowharness.config.Option;
import org.mlflowharness.report.ReportWriter;
import org.mlflowharness.stack.compose.ComposeStack;
import org.mlflowharness.stack.compose.ComposeState;
import org.mlflowharness.stack.nativestack.NativeStack;
import org.mlflowharness.stack.nativestack.NativeState;
import picocli.CommandLine.Command;

/** {@code ./harness status}: the running stack's endpoints and description as JSON. */
@Command(
        name = "status",
        abbreviateSynopsis = true,
        description = "Print the running stack's endpoints and description as JSON (exit 1 when none runs).")
final class StatusCommand extends HarnessCommand {

    StatusCommand(Harness harness) {
        super(harness);
    }

    @Override
    List<Option> options() {
        return List.of(Option.WORK_DIR);
    }

    @Override
    int run(HarnessConfig config) throws Exception {
        Optional<ComposeState> compose = ComposeStack.running(config);
        if (compose.isPresent()) {
            out().println(ReportWriter.JSON.writeValueAsString(compose.get().stack()));
            return Harness.OK;
        }
        Optional<NativeState> state = NativeState.read(NativeStack.stateFile(config));
        if (state.isEmpty() || !state.get().allAlive()) {
            err().println("no stack is running from " + config.workDir()
                    + (state.isPresent()
                                    || ComposeState.read(ComposeStack.stateFile(config))
                                            .isPresent()
                            ? " (some of its processes or containers have exited: ./harness down cleans up)"
                            : "")
                    + "; start one with ./harness up --detach");
            return Harness.FAILED;
        }
        out().println(ReportWriter.JSON.writeValueAsString(state.get().stack()));
        return Harness.OK;
    }
}
