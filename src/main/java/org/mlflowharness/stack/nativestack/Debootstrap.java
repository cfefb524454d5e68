package org.mlflowharness.stack.nativestack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.mlflowharness.model.StackException;
import org.mlflowharness.proc.Command;
import org.mlflowharness.proc.Dirs;

/**
 * The one way the harness makes a Debian root file system: {@code debootstrap --variant=minbase} of a suite into a
 * fresh directory, then, as Debian's official images do, no service starts in it ({@code policy-rc.d}). The offline
 * image set's bookworm base and the MySQL root file system (sid) are both made here.
 */
public final class Debootstrap {

    /** debootstrap of a minbase took about a minute here; a slow mirror gets more. */
    static final Duration TIMEOUT = Duration.ofMinutes(20);

    private Debootstrap() {}

    /** True when debootstrap is installed. */
    public static boolean installed() {
        return Toolchain.which("debootstrap").isPresent();
    }

    /**
     * Makes {@code rootfs} afresh (what was there is deleted): a minbase of {@code suite} from {@code mirror} (empty:
     * debootstrap's default), with a fresh {@code log}.
     *
     * @param component the component a failure names
     */
    public static void make(String component, String suite, Path rootfs, Optional<String> mirror, Path log) {
        Dirs.deleteRecursively(rootfs);
        try {
            Files.createDirectories(log.getParent());
            Files.deleteIfExists(log);
        } catch (IOException e) {
            throw new StackException(
                    component, "cannot write " + log + ": " + e.getMessage(), "check that the cache is writable");
        }
        List<String> command = new ArrayList<>(List.of("debootstrap", "--variant=minbase", suite, rootfs.toString()));
        mirror.ifPresent(command::add);
        Command.run(component, command, log, TIMEOUT, "see " + log + "; Debian's package mirrors must be reachable");
        try {
            Path policy = rootfs.resolve("usr/sbin/policy-rc.d");
            Files.writeString(policy, "#!/bin/sh\nexit 101\n");
            policy.toFile().setExecutable(true);
        } catch (IOException e) {
            throw new StackException(component, "cannot prepare " + rootfs + ": " + e.getMessage(), "check the cache");
        }
    }
}
