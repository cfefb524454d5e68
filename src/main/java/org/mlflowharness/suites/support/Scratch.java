package org.mlflowharness.suites.support;

import java.util.ArrayDeque;
import java.util.Deque;
import org.mlflowharness.client.MlflowClient;
import org.mlflowharness.client.Names;

/**
 * Everything one test created on the stack: experiments, registered models and {@link ScratchRun}s made through it,
 * or handed to it with {@code own...} when the test had to create them itself. On {@link #close()} they are deleted
 * in the reverse order of their creation; a cleanup step that fails does not stop the others, and the first failure
 * is rethrown afterwards (the rest as suppressed).
 * <p>
 * Suites take it as a test or {@code @BeforeEach} parameter: {@link StackExtension} gives each test its own, and JUnit
 * closes it when the test ends, also when an assertion failed. Never hand it anything the test did not create.
 */
public final class Scratch implements AutoCloseable {

    private final MlflowClient mlflow;
    private final Deque<Runnable> cleanups = new ArrayDeque<>();

    public Scratch(MlflowClient mlflow) {
        this.mlflow = mlflow;
    }

    /** Creates experiment {@code Names.unique(what)} and returns its id. */
    public String experiment(String what) {
        return experimentNamed(Names.unique(what));
    }

    /** Creates an experiment under exactly this name (make it unique with {@link Names#unique}) and returns its id. */
    public String experimentNamed(String name) {
        return ownExperiment(mlflow.createExperiment(name));
    }

    /** Deletes this experiment, which the test created itself, on close; returns the id. */
    public String ownExperiment(String experimentId) {
        cleanups.push(() -> mlflow.deleteExperiment(experimentId));
        return experimentId;
    }

    /** An experiment with one run ({@link ScratchRun#create}), closed with the rest. */
    public ScratchRun run(String what) {
        ScratchRun run = ScratchRun.create(mlflow, what);
        cleanups.push(run::close);
        return run;
    }

    /** Creates registered model {@code Names.unique(what)} without description and returns its name. */
    public String registeredModel(String what) {
        return registeredModelNamed(Names.unique(what), "");
    }

    /** Creates a registered model under exactly this name (make it unique with {@link Names#unique}) and returns it. */
    public String registeredModelNamed(String name, String description) {
        mlflow.registry().createRegisteredModel(name, description);
        return ownRegisteredModel(name);
    }

    /**
     * Deletes the registered model of this name on close, if it still exists; returns the name. For a model the test
     * created itself, or a name it is about to rename its own model to.
     */
    public String ownRegisteredModel(String name) {
        cleanups.push(() -> mlflow.registry().deleteRegisteredModelIfExists(name));
        return name;
    }

    @Override
    public void close() {
        Throwable first = null;
        while (!cleanups.isEmpty()) {
            try {
                cleanups.pop().run();
            } catch (RuntimeException | AssertionError e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first instanceof RuntimeException e) {
            throw e;
        }
        if (first instanceof AssertionError e) {
            throw e;
        }
    }
}
