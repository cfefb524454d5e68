package org.mlflowharness.load.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.mlflowharness.load.LoadContext;
import org.mlflowharness.load.Profile;
import org.mlflowharness.load.RequestRecorder;
import org.mlflowharness.load.Slo;
import org.mlflowharness.model.Endpoints;
import org.mlflowharness.stack.RunningStack;
import org.mlflowharness.stack.StackProvider;

class FaultInjectorTest {

    private final List<String> calls = new CopyOnWriteArrayList<>();

    private final StackProvider provider = new StackProvider() {
        public RunningStack start() {
            throw new UnsupportedOperationException();
        }

        public void stop() {}

        @Override
        public void restart(String role, Duration outage) {
            calls.add("restart " + role + " " + outage.toMillis() + " ms");
        }

        @Override
        public void reload(String role) {
            calls.add("reload " + role);
        }
    };

    private static LoadContext context(Profile.Resilience plan) {
        Profile.Settings settings = new Profile.Settings(
                List.of(new Profile.Step(1, 1)), 10, 1, List.of(1024L), 10, List.of(), Slo.NONE, plan, null, null);
        LoadContext ctx = new LoadContext(
                new Endpoints(URI.create("http://localhost:1"), "u", "p", null, null, List.of()),
                settings,
                settings.steps().get(0),
                "t-",
                new RequestRecorder(),
                System.nanoTime() + 60_000_000_000L);
        ctx.recorder.record("log-batch", "200", 5); // the load is flowing
        return ctx;
    }

    @Test
    void appliesEachFaultInTurnWaitsUntilTheStackServesThenEndsTheLoad() {
        Profile.Resilience plan = new Profile.Resilience(
                List.of(
                        new Profile.FaultPlan("database", "restart", 0.1, 0.5),
                        new Profile.FaultPlan("proxy", "reload", 0.2, 0)),
                0,
                1,
                5,
                0,
                1);
        LoadContext ctx = context(plan);
        AtomicInteger probes = new AtomicInteger();
        FaultInjector faults = new FaultInjector(provider, plan, ctx, () -> probes.incrementAndGet() % 3 == 0, s -> {});
        faults.run();

        assertThat(calls).containsExactly("restart database 500 ms", "reload proxy");
        assertThat(faults.outcomes()).hasSize(2).allSatisfy(o -> {
            assertThat(o.error()).isNull();
            assertThat(o.servesNanos()).isGreaterThan(o.readyNanos());
        });
        assertThat(ctx.data).containsKey(LoadContext.DONE);
    }

    @Test
    void aStackThatDoesNotServeAgainEndsThePlan() {
        Profile.Resilience plan = new Profile.Resilience(
                List.of(
                        new Profile.FaultPlan("tracking", "restart", 0.1, 0),
                        new Profile.FaultPlan("proxy", "restart", 0.2, 0)),
                0,
                1,
                1,
                0,
                1);
        LoadContext ctx = context(plan);
        FaultInjector faults = new FaultInjector(provider, plan, ctx, () -> false, s -> {});
        faults.run();

        assertThat(calls).containsExactly("restart tracking 0 ms");
        assertThat(faults.outcomes())
                .singleElement()
                .satisfies(o -> assertThat(o.servesNanos()).isZero());
        assertThat(ctx.data).containsKey(LoadContext.DONE);
    }

    @Test
    void aProviderThatCannotRestartIsNamed() {
        Profile.Resilience plan =
                new Profile.Resilience(List.of(new Profile.FaultPlan("database", "restart", 0.1, 0)), 0, 1, 1, 0, 1);
        StackProvider compose = new StackProvider() {
            public RunningStack start() {
                throw new UnsupportedOperationException();
            }

            public void stop() {}
        };
        FaultInjector faults = new FaultInjector(compose, plan, context(plan), () -> true, s -> {});
        faults.run();
        assertThat(faults.outcomes())
                .singleElement()
                .satisfies(o -> assertThat(o.error())
                        .isEqualTo("not supported by this stack's provider: this provider cannot restart components"));
    }
}
