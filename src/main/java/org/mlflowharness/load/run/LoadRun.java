package org.mlflowharness.load.run;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.mlflowharness.client.ObjectStore;
import org.mlflowharness.load.LoadContext;
import org.mlflowharness.load.LoadVerification;
import org.mlflowharness.load.MemoryProbe;
import org.mlflowharness.load.MetricRowFault;
import org.mlflowharness.load.Profile;
import org.mlflowharness.load.RequestRecorder;
import org.mlflowharness.load.ResourceSampler;
import org.mlflowharness.load.UploadResults;
import org.mlflowharness.model.load.ResourceWindow;
import org.mlflowharness.report.Failure;
import org.mlflowharness.stack.RunningStack;
import org.mlflowharness.stack.StackProvider;

/**
 * What the scenarios of one load run share: the stack and its provider, the profile, where output goes, the nginx
 * fronts and the warm-up done once, the resource sampler, the time budget, the harness's peak memory, and the failed
 * checks and scenarios not run that the load section ends with.
 */
final class LoadRun {

    final RunningStack stack;
    final Profile profile;
    final boolean keepData;
    final Path gatlingDir;
    final Consumer<String> out;
    final StackProvider provider;
    final String fault;
    final NginxFronts fronts;
    final WarmUp warmUp = new WarmUp();
    final List<Failure> failures = new ArrayList<>();
    final List<String> notRun = new ArrayList<>();
    ResourceSampler sampler;
    /** The whole run's window of {@link #sampler}: what the machine did while the time budget ran. */
    ResourceSampler.Window runWindow;

    long deadlineNanos;
    private double scenarioPeakRssMiB = -1;
    private double runPeakRssMiB = -1;

    LoadRun(
            RunningStack stack,
            Profile profile,
            boolean keepData,
            Path gatlingDir,
            Consumer<String> out,
            StackProvider provider,
            String fault) {
        this.stack = stack;
        this.profile = profile;
        this.keepData = keepData;
        this.gatlingDir = gatlingDir;
        this.out = out;
        this.provider = provider;
        this.fault = fault;
        this.fronts = new NginxFronts(stack, provider, out);
    }

    /** Starts a scenario's peak interval. */
    void startScenario() {
        scenarioPeakRssMiB = -1;
        resetPeak();
    }

    /** The harness's peak RSS over the scenario so far, read now: what the scenario's result reports. */
    double scenarioPeakRssMiB() {
        readPeak();
        return scenarioPeakRssMiB;
    }

    double runPeakRssMiB() {
        return runPeakRssMiB;
    }

    /** The harness's peak RSS since the last reset, folded into the scenario's and the run's peaks. */
    double readPeak() {
        double p = MemoryProbe.peakRssMiB();
        scenarioPeakRssMiB = Math.max(scenarioPeakRssMiB, p);
        runPeakRssMiB = Math.max(runPeakRssMiB, p);
        return p;
    }

    /** Starts a new peak interval (the peak so far is kept in the scenario's and the run's peaks). */
    void resetPeak() {
        readPeak();
        MemoryProbe.resetPeak();
    }

    boolean outOfTime(String what) {
        if (System.nanoTime() > deadlineNanos) {
            String msg = what + " not run: the profile's time budget of " + profile.maxMinutes() + " min is used up";
            out.accept("  " + msg);
            notRun.add(msg);
            if (!profile.stopOnBreach()) {
                failures.add(performance(msg, sampler == null || runWindow == null ? null : sampler.close(runWindow)));
            }
            return true;
        }
        return false;
    }

    /**
     * The failure of a performance check (an SLO breach, a time budget used up) measured over {@code window}: when
     * processes outside the stack and the harness kept the machine busy meanwhile
     * ({@link ResourceWindow.Machine#busyByOthers}) it says more about them than about the stack, so it is
     * inconclusive, with the figures; otherwise a performance failure.
     */
    Failure performance(String text, ResourceWindow window) {
        Failure f = performanceFailure(text, window);
        if (f.kind() == Failure.Kind.INCONCLUSIVE) {
            out.accept("  not failed: " + f.text());
        }
        return f;
    }

    static Failure performanceFailure(String text, ResourceWindow window) {
        ResourceWindow.Machine m = window == null ? null : window.machine();
        return m != null && m.busyByOthers()
                ? new Failure(Failure.Kind.INCONCLUSIVE, text + ": inconclusive: " + m.busyText())
                : new Failure(Failure.Kind.PERFORMANCE, text);
    }

    /**
     * The window of those given in which other processes weighed most on the stack ({@link
     * ResourceWindow.Machine#BY_OTHERS}; null when none was read).
     */
    static ResourceWindow busiest(java.util.Collection<ResourceWindow> windows) {
        return windows.stream()
                .filter(w -> w != null && w.machine() != null && w.machine().otherProcessesCores() != null)
                .max(java.util.Comparator.comparing(ResourceWindow::machine, ResourceWindow.Machine.BY_OTHERS))
                .orElse(null);
    }

    /** A scenario's way to the stack, and why it is not through the profile's nginx variant (null when it is). */
    record Target(RunningStack stack, String nginxVariantNote) {}

    /** The profile's nginx variant when the stack can be reached through it, else the stack as it is (with a note). */
    Target primary() {
        List<String> whyNot = new ArrayList<>();
        RunningStack target = fronts.through(profile.nginxVariant(), whyNot).orElse(stack);
        if (whyNot.isEmpty()) {
            return new Target(target, null);
        }
        String note = "ran through nginx " + stack.description().nginxVariant().id() + ", not the profile's "
                + profile.nginxVariant().id() + ": " + whyNot.get(0);
        out.accept("  " + note);
        return new Target(target, note);
    }

    /** The warm-up through {@code target}, once per run: what it did, in words. */
    String warmUp(RunningStack target) {
        return warmUp.run(target, keepData, out);
    }

    /** The deliberate fault of --fault (delete-metric-rows=N), applied before verification: what it did, or null. */
    String injectFault(LoadContext ctx) {
        return MetricRowFault.parse(fault)
                .map(f -> {
                    int deleted = LoadVerification.deleteMetricRows(
                            stack.endpoints(), new ArrayList<>(ctx.ledger.runs()), f.rows());
                    out.accept("  fault injected: deleted " + deleted + " metric rows via JDBC before verification");
                    return "deleted " + deleted + " metric rows via JDBC before verification";
                })
                .orElse(null);
    }

    /** Deletes what a Gatling run created (its experiments and their objects in {@code store}) unless --keep-data. */
    void cleanup(LoadContext ctx, Optional<ObjectStore> store) {
        if (keepData) {
            out.accept("  keeping data: experiments " + ctx.experiments);
            return;
        }
        for (String e : ctx.experiments) {
            try {
                store.ifPresent(s -> s.deletePrefix(s.access().artifactRoot() + "/" + e + "/"));
                ctx.client.deleteExperiment(e);
            } catch (RuntimeException | AssertionError ex) {
                out.accept("  cleanup of experiment " + e + " failed: " + ex.getMessage());
            }
        }
    }

    /**
     * An upload as the stack kept it: one acknowledged (200) is verified by the SHA-256 of the object at the run's key
     * (or, without S3 access, of a download through MLflow); one that failed keeps its outcome and reason.
     */
    static UploadResults.Transfer verified(
            LoadContext ctx, LoadContext.Upload u, long size, String expected, Optional<ObjectStore> store) {
        String detail = u.error();
        boolean verified = false;
        if (u.acknowledged()) {
            String name = u.path().substring(u.path().lastIndexOf('/') + 1);
            Optional<String> got = store.isPresent()
                    ? store.get().sha256(store.get().keyFor(u.experimentId(), u.runId(), name))
                    : Optional.of(ctx.client.artifacts().download(u.path()).sha256());
            verified = got.filter(expected::equals).isPresent();
            detail = got.isEmpty()
                    ? "acknowledged, but no object at the run's key"
                    : verified ? null : "stored SHA-256 " + got.get();
        }
        String outcome = u.status() == null ? RequestRecorder.noResponse(u.error()) : String.valueOf(u.status());
        return new UploadResults.Transfer(size, outcome, detail, verified, u.startNanos(), u.endNanos());
    }
}
