package org.mlflowharness.config;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Every setting the harness reads, with its command-line name, environment variable and default. Values come from
 * (highest first) the command line, a {@code -Dharness.<name>} system property, the environment, the default.
 * Unknown command-line options fail fast; so do bad values, wherever they come from ({@link HarnessConfig} checks
 * them, {@link OptionValues} words the error).
 */
public enum Option {
    STACK(
            "stack",
            "HARNESS_STACK",
            "auto",
            "stack provider: auto (compose when a Docker engine answers, else native), compose, native, external"),
    MLFLOW_VERSION(
            "mlflow-version",
            "MLFLOW_VERSION",
            "3.17.2",
            "MLflow release to run (native: pip, cached per version; compose: build arg)"),
    NGINX_VARIANT(
            "nginx-variant",
            "NGINX_VARIANT",
            "article",
            "nginx settings: article (as deployed: client_max_body_size 100g only) or hardened"),
    PORT("port", "HARNESS_PORT", "0", "nginx port on 127.0.0.1 (native); 0 picks a free port"),
    WORK_DIR("work-dir", "HARNESS_WORK_DIR", "work", "where the native stack keeps all its state and logs"),
    CACHE_DIR(
            "cache-dir",
            "HARNESS_CACHE_DIR",
            System.getProperty("user.home") + "/.cache/mlflow-harness",
            "where MLflow virtualenvs, the S3Proxy jar and RustFS builds (rustfs/<version>/bin/rustfs) are cached across runs"),
    NO_INSTALL(
            "no-install",
            "HARNESS_NO_INSTALL",
            "false",
            "use only what is installed; never run apt-get, pip or mvn to fetch components",
            true),
    RUSTFS_BIN(
            "rustfs-bin",
            "RUSTFS_BIN",
            "",
            "a rustfs binary to run instead of the cached build of --rustfs-version (native; compose: for its offline image)"),
    RUSTFS_VERSION(
            "rustfs-version",
            "RUSTFS_VERSION",
            "1.0.1",
            "RustFS release: what rustfs-build builds from crates.io and the native stack runs; compose: image tag"),
    OBJECT_STORE(
            "object-store",
            "HARNESS_OBJECT_STORE",
            "auto",
            "native: the S3 server: rustfs (the cached build of --rustfs-version, or --rustfs-bin), "
                    + "s3proxy (the stand-in), auto (rustfs when a binary exists, else s3proxy)"),
    DATABASE(
            "database",
            "HARNESS_DATABASE",
            "auto",
            "the database server: mysql (Oracle MySQL from Debian's packages, in a root file system made once with "
                    + "debootstrap and cached), mariadb (the stand-in), auto (mysql when it can be had, else mariadb)"),
    MYSQL_VERSION("mysql-version", "MYSQL_VERSION", "8.4", "MySQL image tag (compose)"),
    IMAGES(
            "images",
            "HARNESS_IMAGES",
            "auto",
            "compose: where images come from: registry (pull; build MLflow), offline (build the local set of "
                    + "compose/offline/, cached), auto (registry when it answers within 3 s, else offline)"),
    NGINX_PROXY_VERSION(
            "nginx-proxy-version", "NGINX_PROXY_VERSION", "1.7", "nginxproxy/nginx-proxy image tag (compose)"),
    DETACH(
            "detach",
            "HARNESS_DETACH",
            "false",
            "up: return once every component is healthy, leaving the stack running",
            true),
    TRACKING_URI("tracking-uri", "MLFLOW_TRACKING_URI", "", "external: the MLflow URL (nginx)"),
    USERNAME("username", "MLFLOW_TRACKING_USERNAME", "", "external: Basic auth user"),
    PASSWORD("password", "MLFLOW_TRACKING_PASSWORD", "", "external: Basic auth password"),
    S3_ENDPOINT(
            "s3-endpoint",
            "HARNESS_S3_ENDPOINT",
            "",
            "external, optional: the object store's S3 URL, for direct verification"),
    S3_ACCESS_KEY("s3-access-key", "HARNESS_S3_ACCESS_KEY", "", "external, optional: S3 access key"),
    S3_SECRET_KEY("s3-secret-key", "HARNESS_S3_SECRET_KEY", "", "external, optional: S3 secret key"),
    S3_BUCKET("s3-bucket", "HARNESS_S3_BUCKET", "mlflow", "external, optional: the artifact bucket"),
    S3_PREFIX("s3-prefix", "HARNESS_S3_PREFIX", "artifacts", "external, optional: the artifact root inside the bucket"),
    JDBC_URL(
            "jdbc-url",
            "HARNESS_JDBC_URL",
            "",
            "external, optional: JDBC URL of MLflow's database, for direct verification"),
    JDBC_USER("jdbc-user", "HARNESS_JDBC_USER", "", "external, optional: database user"),
    JDBC_PASSWORD("jdbc-password", "HARNESS_JDBC_PASSWORD", "", "external, optional: database password"),
    FAULT(
            "fault",
            "HARNESS_FAULT",
            "none",
            "start the stack with one deliberate defect to prove the checks catch it; native: "
                    + "nginx-open-artifacts, nginx-open-store, mlflow-no-serve-artifacts, mlflow-presigned-urls, bucket-missing, db-case-insensitive, "
                    + "db-read-only, db-metrics-float, nginx-ack-drop-metrics, nginx-corrupt-uploads, nginx-wrong-host, nginx-drop-headers, nginx-slow, db-article-exact; "
                    + "compose: bucket-job-fails, db-never-healthy"),
    CLIENT_VERSION(
            "client-version",
            "HARNESS_CLIENT_VERSION",
            "",
            "client suite: the official MLflow Python client release to run (pip, cached per version), or previous-minor "
                    + "(the newest release of the minor before the server's: client/server skew); default: the server's version"),
    CLIENT_LARGE_ARTIFACT(
            "client-large-artifact",
            "HARNESS_CLIENT_LARGE_ARTIFACT",
            "auto",
            "client suite: size of its largest log_artifact (e.g. 600MiB); auto: 600MiB when server-info offers multipart "
                    + "uploads (above the client's 500 MiB multipart threshold), else 64MiB + 1 B (one proxied PUT, "
                    + "the route every larger file takes too)"),
    EXPERIMENT_PREFIX(
            "experiment-prefix",
            "HARNESS_EXPERIMENT_PREFIX",
            "harness-",
            "prefix of every experiment and model the harness creates"),
    PROFILE(
            "profile",
            "HARNESS_PROFILE",
            "smoke",
            "load: the profile in scenarios/<name>.yaml (smoke, capacity, soak, ...)"),
    KEEP_DATA(
            "keep-data",
            "HARNESS_KEEP_DATA",
            "false",
            "load: keep the experiments and objects the scenarios created",
            true),
    LOAD_FAULT(
            "load-fault",
            "HARNESS_LOAD_FAULT",
            "",
            "load: inject a fault to prove integrity checks bite: delete-metric-rows=N"),
    SUITES(
            "suites",
            "HARNESS_SUITES",
            "",
            "gate: run only the suites with these tags, comma-separated (health, auth, tracking, ...)"),
    SUITE_THREADS(
            "suite-threads",
            "HARNESS_SUITE_THREADS",
            "3",
            "how many suites run side by side (each suite's tests one after another); 1: one suite at a time"),
    FROM(
            "from",
            "HARNESS_UPGRADE_FROM",
            "",
            "upgrade: the version in production, e.g. mlflow=2.9.2 (keys mlflow, nginx, rustfs-bin; the rest from the options)"),
    TO(
            "to",
            "HARNESS_UPGRADE_TO",
            "",
            "upgrade: the version to upgrade to, e.g. mlflow=3.17.2 (default: what the options give)"),
    FROM_DUMP(
            "from-dump",
            "HARNESS_UPGRADE_FROM_DUMP",
            "",
            "upgrade: rehearse on your own data: a .sql or .sql.gz that mysqldump or mariadb-dump wrote of MLflow's "
                    + "database (restored into the FROM stack; --from defaults to the release its alembic_version is "
                    + "the head of)"),
    FROM_ARTIFACTS(
            "from-artifacts",
            "HARNESS_UPGRADE_FROM_ARTIFACTS",
            "",
            "upgrade --from-dump: a directory holding a copy of the server's artifact destination (the bucket's "
                    + "objects under its prefix), loaded into the store and verified byte for byte"),
    HISTORY_SAMPLE(
            "history-sample",
            "HARNESS_UPGRADE_HISTORY_SAMPLE",
            "100",
            "upgrade --from-dump: runs whose full metric histories are read through the API at each verification "
                    + "(every run's points are counted and checksummed in the database)"),
    SEED_RUNS("runs", "HARNESS_SEED_RUNS", "1000", "seed: the runs the store should hold (whole experiments)"),
    SEED_SHAPE(
            "shape",
            "HARNESS_SEED_SHAPE",
            "runsPerExperiment=100,params=10,tags=5,metricKeys=10,stepsPerKey=100,writers=8,maxMinutes=60",
            "seed: each run's shape and the writers, as key=value (keys of a profile's data-volume scenario; points "
                    + "per run = metricKeys x stepsPerKey)"),
    DUMP_TO(
            "dump-to",
            "HARNESS_SEED_DUMP_TO",
            "",
            "seed: then dump MLflow's database to this file (.sql, or .sql.gz compressed), for upgrade --from-dump"),
    UPGRADE_FAULT(
            "upgrade-fault",
            "HARNESS_UPGRADE_FAULT",
            "",
            "upgrade: damage the database after the migration to prove the rehearsal "
                    + "catches it: truncate-table=<table>, drop-table=<table> or drop-index=<table>.<index>"),
    LEGACY_CHARSET(
            "legacy-charset",
            "HARNESS_LEGACY_CHARSET",
            "none",
            "upgrade: MLflow's schema created with an old server's default charset (none, utf8mb3 or latin1); "
                    + "its default moves to the current server's before the migration, the tables keep theirs"),
    LEAST_PRIVILEGE(
            "least-privilege",
            "HARNESS_LEAST_PRIVILEGE",
            "false",
            "upgrade: MLflow's user has ALL on its schema and nothing is waived: MySQL keeps "
                    + "log_bin_trust_function_creators OFF (its default; the harness otherwise turns it on)",
            true),
    BINARY_LOG(
            "binary-log",
            "HARNESS_BINARY_LOG",
            "false",
            "upgrade: binary logging on (MySQL's default anyway; MariaDB gets --log-bin)",
            true),
    INTERRUPT_MIGRATION(
            "interrupt-migration",
            "HARNESS_INTERRUPT_MIGRATION",
            "",
            "upgrade: kill mlflow db upgrade when it starts the migration to this revision (or its N-th migration),"
                    + " then run it again and report whether it finished, stayed stuck or damaged data"),
    ROWS_LIKE(
            "rows-like",
            "HARNESS_ROWS_LIKE",
            "",
            "upgrade: production row counts, e.g. metrics=50000000,params=2000000: the migration time is"
                    + " extrapolated to them"),
    BASELINE(
            "baseline",
            "HARNESS_COMPARE_BASELINE",
            "",
            "compare: the stack running today, e.g. mlflow=3.16.1 or nginx=article"),
    CANDIDATE(
            "candidate",
            "HARNESS_COMPARE_CANDIDATE",
            "",
            "compare: the candidate, e.g. mlflow=3.17.2 (default: what the options give)"),
    ROUNDS(
            "rounds",
            "HARNESS_COMPARE_ROUNDS",
            "auto",
            "compare: load rounds per side, interleaved A B B A A B ...: 2 to 10, or auto (what the decision "
                    + "rule needs for the profile: 4 for steps under 30 s, else 3)"),
    CALIBRATE(
            "calibrate",
            "HARNESS_COMPARE_CALIBRATE",
            "false",
            "compare: first run the baseline against itself (3 rounds) to measure the noise floor: the report "
                    + "gives the change this machine can detect per metric, and the rule ignores smaller ones",
            true),
    OUTPUT(
            "output",
            "HARNESS_OUTPUT",
            "text",
            "what goes to standard output: text (progress, reports, verdict), or json "
                    + "(the run's summary.json, for scripts; the text goes to standard error)"),
    REPORTS_DIR(
            "reports-dir",
            "HARNESS_REPORTS_DIR",
            "reports",
            "where runs keep their reports: runs/<time>-<command>/ each, latest/ the newest"),
    KEEP_RUNS(
            "keep-runs",
            "HARNESS_KEEP_RUNS",
            "20",
            "how many runs to keep under <reports-dir>/runs/; older ones are deleted when a run starts");

    /** Options that only the external provider reads: commands that always run their own native stacks leave them out. */
    public static final List<Option> EXTERNAL_STACK = List.of(
            TRACKING_URI,
            USERNAME,
            PASSWORD,
            S3_ENDPOINT,
            S3_ACCESS_KEY,
            S3_SECRET_KEY,
            S3_BUCKET,
            S3_PREFIX,
            JDBC_URL,
            JDBC_USER,
            JDBC_PASSWORD);

    /** Options that belong to one command only (upgrade, compare); the others leave them out. */
    private static final List<Option> COMMAND_SPECIFIC = List.of(
            FROM,
            TO,
            FROM_DUMP,
            FROM_ARTIFACTS,
            HISTORY_SAMPLE,
            SEED_RUNS,
            SEED_SHAPE,
            DUMP_TO,
            UPGRADE_FAULT,
            LEGACY_CHARSET,
            LEAST_PRIVILEGE,
            BINARY_LOG,
            INTERRUPT_MIGRATION,
            ROWS_LIKE,
            BASELINE,
            CANDIDATE,
            ROUNDS,
            CALIBRATE);

    private final String cliName;
    private final String envName;
    private final String defaultValue;
    private final String help;
    private final boolean flag;

    Option(String cliName, String envName, String defaultValue, String help) {
        this(cliName, envName, defaultValue, help, false);
    }

    Option(String cliName, String envName, String defaultValue, String help, boolean flag) {
        this.cliName = cliName;
        this.envName = envName;
        this.defaultValue = defaultValue;
        this.help = help;
        this.flag = flag;
    }

    public String cliName() {
        return cliName;
    }

    public String envName() {
        return envName;
    }

    public String defaultValue() {
        return defaultValue;
    }

    public String help() {
        return help;
    }

    /** A flag takes no value on the command line: {@code --detach}. */
    public boolean isFlag() {
        return flag;
    }

    /** Every option but {@code excluded} and those of one command only (upgrade, compare): what most commands take. */
    public static List<Option> allExcept(Option... excluded) {
        List<Option> all = new ArrayList<>(Arrays.asList(values()));
        all.removeAll(COMMAND_SPECIFIC);
        all.removeAll(Arrays.asList(excluded));
        return all;
    }

    /**
     * The options of a command that runs its own native stacks (upgrade, compare): those most commands take
     * ({@link #allExcept}) but the external provider's and {@code excluded}, plus {@code own}.
     */
    public static List<Option> ownNativeStacks(List<Option> excluded, Option... own) {
        List<Option> all = allExcept(excluded.toArray(Option[]::new));
        all.removeAll(EXTERNAL_STACK);
        all.addAll(Arrays.asList(own));
        return all;
    }

    public String systemProperty() {
        return "harness." + cliName;
    }
}
