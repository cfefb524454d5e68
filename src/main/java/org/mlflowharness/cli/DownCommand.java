package org.mlflowharness.cli;

import java.util.List;
import org.mlflowharness.config.HarnessConfig;
import org.mlflowharness.config.Option;
import org.mlflowharness.stack.compose.ComposeStack;
import org.mlflowharness.stack.nativestack.NativeStack;
import picocli.CommandLine.Command;

/** {@code ./harness down}: stops a stack left running by {@code up --detach}. */
@Command(name = "down", abbreviateSynopsis = true, description = "Stop a stack left running by ./harness up --detach.")
final class DownCommand extends HarnessCommand {

    DownCommand(Harness harness) {
        super(harness);
    }

    @Override
    List<Option> options() {
        return List.of(Option.WORK_DIR);
    }

    @Override
    int run(HarnessConfig config) {
        boolean any = false;
        if (NativeStack.stopDetached(config)) {
            out().println("stopped the native stack in "
                    + NativeStack.stateFile(config).getParent());
            any = true;
        }
        if (ComposeStack.stopDetached(config, out()::println)) {
            out().println("stopped the compose stack in "
                    + ComposeStack.stateFile(config).getParent() + " (down -v: its containers, networks, volumes)");
            any = true;
        }
        if (!any) {
            out().println("no detached stack was running from " + config.workDir());
        }
        return Harness.OK;
    }
}
