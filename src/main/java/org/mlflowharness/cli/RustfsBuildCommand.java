package org.mlflowharness.cli;

import java.util.List;
import org.mlflowharness.config.HarnessConfig;
import org.mlflowharness.config.Option;
import org.mlflowharness.stack.nativestack.Toolchain;
import org.mlflowharness.stack.nativestack.Toolchain.RustfsBuild;
import picocli.CommandLine.Command;

/**
 * {@code ./harness rustfs-build [--rustfs-version V]}: builds RustFS V from crates.io into the harness cache, where the
 * native stack (and the compose provider's offline image) pick it up; nothing when it is already built from the
 * same inputs. A failed build is a {@link org.mlflowharness.model.StackException} naming the first compiler error.
 */
@Command(
        name = "rustfs-build",
        abbreviateSynopsis = true,
        description =
                "Build RustFS --rustfs-version from crates.io into the cache (once per version: hours on 2 cores), so that "
                        + "the native stack runs the real RustFS instead of the S3Proxy stand-in; does nothing when it is already built.")
final class RustfsBuildCommand extends HarnessCommand {

    RustfsBuildCommand(Harness harness) {
        super(harness);
    }

    @Override
    List<Option> options() {
        return List.of(Option.RUSTFS_VERSION, Option.CACHE_DIR, Option.NO_INSTALL);
    }

    @Override
    int run(HarnessConfig config) {
        String version = config.get(Option.RUSTFS_VERSION);
        RustfsBuild build =
                new Toolchain(config, config.cacheDir().resolve("rustfs/logs"), out()::println).buildRustfs(version);
        out().println("verdict: "
                + (build.took() == null ? "RustFS " + version + " was already built" : "RustFS " + version + " built")
                + "; the native stack runs it by default (--object-store auto): " + build.binary());
        return Harness.OK;
    }
}
