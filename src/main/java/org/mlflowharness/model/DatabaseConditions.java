package org.mlflowharness.model;

import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Production-shaped conditions of the native stack's database ({@code ./harness upgrade --legacy-charset ...
 * --least-privilege --binary-log}): what a database an old MLflow install has lived in for years looks like, as
 * opposed to the fresh, harness-friendly server the stack starts by default.
 *
 * @param legacyCharset the character set an old server's default gave MLflow's schema and tables ({@code NONE}: the
 *     server's current one)
 * @param leastPrivilege MLflow's user has ALL on its schema and nothing is waived for it: MySQL keeps
 *     {@code log_bin_trust_function_creators} OFF (its default), so a trigger needs SUPER while binary logging is on
 * @param binaryLog binary logging on (MySQL's default; MariaDB gets {@code --log-bin})
 */
public record DatabaseConditions(LegacyCharset legacyCharset, boolean leastPrivilege, boolean binaryLog) {

    public static final DatabaseConditions DEFAULT = new DatabaseConditions(LegacyCharset.NONE, false, false);

    /** {@code --legacy-charset}: the defaults old servers gave a schema created without naming a character set. */
    public enum LegacyCharset {
        NONE("", "", ""),
        /** MySQL's {@code utf8} before 8.0 (three bytes at most), the charset older setup guides configured. */
        UTF8MB3("utf8mb3", "utf8mb3_general_ci", "utf8 (utf8mb3), what older setup guides configured"),
        /** MySQL 5.7's (and MariaDB's before 11.6) compiled-in server default. */
        LATIN1("latin1", "latin1_swedish_ci", "MySQL 5.7's compiled-in server default");

        private final String charset;
        private final String collation;
        private final String origin;

        LegacyCharset(String charset, String collation, String origin) {
            this.charset = charset;
            this.collation = collation;
            this.origin = origin;
        }

        public String id() {
            return name().toLowerCase();
        }

        public String charset() {
            return charset;
        }

        public String collation() {
            return collation;
        }

        /** "latin1 / latin1_swedish_ci (MySQL 5.7's compiled-in server default)". */
        public String describe() {
            return charset + " / " + collation + " (" + origin + ")";
        }

        /**
         * The Java charset that holds what this MySQL charset can store (MySQL's latin1 is cp1252), when it is narrower
         * than the Basic Multilingual Plane (utf8mb3 holds all of it).
         */
        public Optional<Charset> narrowJavaCharset() {
            return this == LATIN1 ? Optional.of(Charset.forName("windows-1252")) : Optional.empty();
        }
    }

    /** True when nothing differs from the stack's default database. */
    public boolean isDefault() {
        return legacyCharset == LegacyCharset.NONE && !leastPrivilege && !binaryLog;
    }

    /** One phrase per condition, for the report's conditions and the stack's description. */
    public List<String> describe() {
        List<String> d = new ArrayList<>();
        if (legacyCharset != LegacyCharset.NONE) {
            d.add("legacy charset: MLflow's schema created with " + legacyCharset.describe()
                    + ", as an old server's default made it, so FROM's tables have it; before the migration the schema's"
                    + " default moves to the server's current one (as restoring a dump on a current server, or ALTER"
                    + " DATABASE, does), the tables keep theirs");
        }
        if (leastPrivilege) {
            d.add("least privilege: MLflow's user has ALL on its schema only, log_bin_trust_function_creators OFF"
                    + " (no waiver for triggers)");
        }
        if (binaryLog) {
            d.add("binary logging on");
        }
        return d;
    }
}
