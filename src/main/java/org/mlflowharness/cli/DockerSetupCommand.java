package org.mlflowharness.cli;

import java.util.List;
import org.mlflowharness.config.HarnessConfig;
import org.mlflowharness.config.Option;
import org.mlflowharness.stack.compose.DockerSetup;
import picocli.CommandLine.Command;

/** {@code ./harness docker-setup}: the only command that installs or starts a Docker engine ({@link DockerSetup}). */
@Command(
        name = "docker-setup",
        abbreviateSynopsis = true,
        description =
                "Install docker.io, docker-compose and debootstrap with "
                        + "apt when missing, and start dockerd --iptables=false --storage-driver=overlay2 when no engine answers (root; idempotent).")
final class DockerSetupCommand extends HarnessCommand {

    DockerSetupCommand(Harness harness) {
        super(harness);
    }

    @Override
    List<Option> options() {
        return List.of(Option.CACHE_DIR, Option.NO_INSTALL);
    }

    @Override
    int run(HarnessConfig config) {
        DockerSetup.run(config, out()::println);
        return Harness.OK;
    }
}
