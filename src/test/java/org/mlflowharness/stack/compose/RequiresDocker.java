package org.mlflowharness.stack.compose;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Skips a test class when no Docker engine answers, and prints the reason where the build log shows it (surefire's
 * summary only counts skips). Uses the same engine check as {@code --stack auto}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(RequiresDocker.Condition.class)
public @interface RequiresDocker {

    final class Condition implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            DockerEngine.Status engine = DockerEngine.ping(java.time.Duration.ofSeconds(5));
            if (engine.answers()) {
                return ConditionEvaluationResult.enabled(engine.describe());
            }
            String reason =
                    engine.describe() + ": the compose stack cannot run here (./harness docker-setup starts one)";
            if (context.getTestMethod().isEmpty()) {
                System.out.println("SKIPPED " + context.getDisplayName() + ": " + reason);
            }
            return ConditionEvaluationResult.disabled(reason);
        }
    }
}
