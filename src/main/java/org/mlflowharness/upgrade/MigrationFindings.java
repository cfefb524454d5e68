package org.mlflowharness.upgrade;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The migration as the rehearsal saw it, beside {@link RehearsalReport}'s headline figures: the production-shaped
 * conditions asked for and what the server said of them, each migration's time, the interruption and its re-run, the
 * diagnosis of a failure (the migration, the revision, the fix), and the time against row counts.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class MigrationFindings {

    /** The conditions asked for ({@code --legacy-charset}, {@code --least-privilege}, {@code --binary-log}). */
    public List<String> conditions = new ArrayList<>();
    /** What the server says, read as MLflow's user just before the migration. */
    public ServerFacts server;
    /** True when MLflow's user has privileges on its schema only. */
    public Boolean leastPrivileged;
    /** With a legacy charset: the schema's default before and after it moved to the server's current one. */
    public String schemaDefaultMoved;
    /** Each migration of the (first) run, with its time. */
    public List<MigrationRun.Step> steps;
    /** {@code --interrupt-migration}: where the run was killed and what the re-run did. */
    public Interruption interruption;
    /** The failure of the migration, in one line, and its fix. */
    public String failure;

    public String fix;
    public MigrationVolume volume;

    /**
     * The interruption and its outcome.
     *
     * @param requested what {@code --interrupt-migration} asked for
     * @param killedAt the migration that had started when the run was killed (null: the run ended first)
     * @param revisionAtKill {@code alembic_version} right after the kill
     * @param rerun how the re-run ended
     * @param rerunSeconds its time
     * @param outcome finished (reached the head), stuck (which revision, which error) or not interrupted
     */
    public record Interruption(
            String requested,
            String killedAt,
            String revisionAtKill,
            String rerun,
            Double rerunSeconds,
            String outcome) {}

    public String markdown() {
        StringBuilder md = new StringBuilder();
        if (!conditions.isEmpty() || server != null) {
            md.append("### Database conditions\n\n");
            conditions.forEach(c -> md.append("- ").append(c).append('\n'));
            if (server != null) {
                md.append("- the server says, before the migration: binary logging ")
                        .append(server.binaryLogging())
                        .append(" (log_bin=")
                        .append(server.variables().get("log_bin"))
                        .append("), log_bin_trust_function_creators=")
                        .append(server.variables().get("log_bin_trust_function_creators"))
                        .append(", server default ")
                        .append(server.variables().get("collation_server"))
                        .append(", schema default ")
                        .append(server.variables().get("schema default collation"))
                        .append(", MLflow's tables by collation ")
                        .append(server.tableCollations())
                        .append('\n');
                md.append("- MLflow's user: ")
                        .append(
                                Boolean.TRUE.equals(leastPrivileged)
                                        ? "least privileged (privileges on its schema only)"
                                        : "NOT least privileged")
                        .append(": ")
                        .append(String.join("; ", server.grants()).replace("|", "\\|"))
                        .append('\n');
            }
            if (schemaDefaultMoved != null) {
                md.append("- schema default moved before the migration: ")
                        .append(schemaDefaultMoved)
                        .append('\n');
            }
            md.append('\n');
        }
        if (failure != null) {
            md.append("**Migration failed**: ")
                    .append(failure.replace("|", "\\|"))
                    .append("\n\n**Fix**: ")
                    .append(fix == null ? "see the migration log" : fix.replace("|", "\\|"))
                    .append("\n\n");
        }
        if (interruption != null) {
            md.append("### Interrupted migration\n\n| | |\n|---|---|\n")
                    .append("| asked | kill ")
                    .append(interruption.requested())
                    .append(" |\n| killed during | ")
                    .append(interruption.killedAt() == null ? "(the run ended first)" : interruption.killedAt())
                    .append(" |\n| alembic_version after the kill | ")
                    .append(interruption.revisionAtKill())
                    .append(" |\n| re-run | ")
                    .append(interruption.rerun() == null ? "" : interruption.rerun())
                    .append(interruption.rerunSeconds() == null ? "" : " in " + interruption.rerunSeconds() + " s")
                    .append(" |\n| outcome | **")
                    .append(interruption.outcome().replace("|", "\\|"))
                    .append("** |\n\n");
        }
        if (steps != null && !steps.isEmpty()) {
            md.append("Slowest migrations (of ").append(steps.size()).append("): ");
            steps.stream()
                    .sorted(Comparator.comparingDouble(MigrationRun.Step::seconds)
                            .reversed())
                    .limit(5)
                    .forEach(s ->
                            md.append(s.name()).append(" ").append(s.seconds()).append(" s; "));
            md.setLength(md.length() - 2);
            md.append("\n\n");
        }
        if (volume != null) {
            md.append(volume.markdown());
        }
        return md.toString();
    }
}
