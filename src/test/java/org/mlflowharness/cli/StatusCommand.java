package org.mlflowharness.cli;

import java.util.List;
import java.util.Optional;
import org.mlflowharness.config.HarnessConfig;
import org.mlflowharness.config.Option;
import org.mlflowharness.report.ReportWriter;
import org.mlflowharness.stack.nativestack.NativeStack;
import org.mlflowharness.stack.nativestack.NativeState;
import picocli.CommandLine.Command;

/** {@code ./harness status}: the running stack's endpoints and description as JSON. */
@Command(name = "status", abbreviateSynopsis = true,
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
        Optional<NativeState> state = NativeState.read(NativeStack.stateFile(config));
        if (state.isEmpty() || !state.get().allAlive()) {
            err().println("no stack is running from " + NativeStack.stateFile(config).getParent()
                    + (state.isPresent() ? " (some of its processes have exited: ./harness down cleans up)" : "")
                    + "; start one with ./harness up --detach");
            return Harness.FAILED;
        }
        out().println(ReportWriter.JSON.writeValueAsString(state.get().stack()));
        return Harness.OK;
    }
}
