package org.mlflowharness.cli;

import java.util.function.Consumer;
import org.mlflowharness.config.HarnessConfig;
import org.mlflowharness.config.Option;
import org.mlflowharness.stack.nativestack.Toolchain;
import org.mlflowharness.stack.nativestack.Toolchain.RustfsBuild;

/**
 * {@code ./harness rustfs-build [--rustfs-version V]}: builds RustFS V from crates.io into the harness cache, where the
 * native stack (and the compose provider's offline image) pick it up; nothing when it is already built from the
 * same inputs. Failures are {@link org.mlflowharness.stack.StackException}s naming the first compiler error.
 */
final class RustfsBuildCommand {

    private RustfsBuildCommand() {
    }

    static int run(HarnessConfig config, Consumer<String> out) {
        String version = config.get(Option.RUSTFS_VERSION);
        RustfsBuild build = new Toolchain(config, config.cacheDir().resolve("rustfs/logs"), out).buildRustfs(version);
        out.accept("verdict: " + (build.took() == null ? "RustFS " + version + " was already built" : "RustFS " + version + " built")
                + "; the native stack runs it by default (--object-store auto): " + build.binary());
        return Harness.OK;
    }
}
