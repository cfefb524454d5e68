package org.mlflowharness.upgrade;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * A user's dump of MLflow's database, {@code .sql} or gzip-compressed, as {@code mysqldump} or {@code mariadb-dump}
 * writes it: read once to check that it is one ({@link #read}: a one-line error naming what is wrong otherwise), to
 * learn its schema revision (the row of {@code alembic_version}), the database it names and its tables; and rewritten
 * into a script that restores it into the rehearsal's database ({@link #writeRestorable}). The file is read as
 * ISO-8859-1, which maps every byte to one char and back: the rewrite leaves the data's bytes as they are.
 *
 * @param header   the dump tool's first comment line ({@code -- MySQL dump 10.13  Distrib 9.7.0 ...}), or null when the
 *                 dump has none ({@code --compact})
 * @param database the database the dump creates or uses, if it names one ({@code --databases})
 * @param revision the schema revision in {@code alembic_version}
 * @param tables   the tables it creates, and the rows its INSERT statements carry per table
 */
public record DumpFile(
        Path path,
        long bytes,
        boolean gzip,
        String header,
        Optional<String> database,
        Optional<String> charsetClause,
        String revision,
        Map<String, Long> tables) {

    private static final Pattern CREATE_TABLE = Pattern.compile("^CREATE TABLE (?:IF NOT EXISTS )?`([^`]+)`");
    private static final Pattern CREATE_DATABASE =
            Pattern.compile("^CREATE DATABASE (?:/\\*!32312 IF NOT EXISTS\\*/ |IF NOT EXISTS )?`([^`]+)`(.*?);?\\s*$");
    private static final Pattern USE = Pattern.compile("^USE `([^`]+)`;\\s*$");
    private static final Pattern INSERT = Pattern.compile("^INSERT (?:IGNORE )?INTO `([^`]+)`");
    private static final Pattern QUOTED = Pattern.compile("'((?:[^'\\\\]|\\\\.)*)'");
    /** {@code DEFINER=`user`@`host`}, in a version comment or bare: the original account, which the restore lacks. */
    private static final Pattern DEFINER =
            Pattern.compile("(?:/\\*!50017 |/\\*!50013 )?DEFINER=`[^`]*`@`[^`]*`(?: ?\\*/)? ?");
    /** Statements that need privileges MLflow's user does not have (GTID state, the binary log of the session). */
    private static final List<String> PRIVILEGED = List.of(
            "SET @@GLOBAL.GTID_PURGED",
            "SET @@SESSION.SQL_LOG_BIN",
            "SET @MYSQLDUMP_TEMP_LOG_BIN",
            "SET @@GLOBAL.GTID_MODE");

    /** What is wrong with a file given as a dump: the message is the one-line error. */
    public static final class NotADump extends IllegalArgumentException {
        NotADump(String message) {
            super(message);
        }
    }

    /** Reads and checks {@code path}; throws {@link NotADump} with a one-line message naming the file and the fix. */
    public static DumpFile read(Path path) {
        String what = "--from-dump " + path;
        if (!Files.isRegularFile(path)) {
            throw new NotADump(what + ": no such file; give the .sql or .sql.gz that mysqldump or mariadb-dump wrote");
        }
        if (!Files.isReadable(path)) {
            throw new NotADump(what + ": not readable; check its permissions");
        }
        String header = null;
        Set<String> databases = new LinkedHashSet<>();
        String charset = null;
        Map<String, Long> tables = new TreeMap<>();
        List<String> revisions = new ArrayList<>();
        boolean gzip;
        long bytes;
        String last = "";
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(path))) {
            bytes = Files.size(path);
            gzip = isGzip(raw);
            try (BufferedReader in = reader(raw, gzip)) {
                String line;
                int n = 0;
                String insertInto = null;
                while ((line = in.readLine()) != null) {
                    n++;
                    if (!line.isBlank()) {
                        last = line;
                    }
                    if (n <= 5
                            && header == null
                            && (line.startsWith("-- MySQL dump") || line.startsWith("-- MariaDB dump"))) {
                        header = line.substring(3).strip();
                    }
                    if (n == 1
                            && header == null
                            && !line.startsWith("--")
                            && !line.startsWith("/*")
                            && !line.startsWith("CREATE")
                            && !line.startsWith("SET")
                            && !line.startsWith("DROP")
                            && !line.isBlank()) {
                        throw new NotADump(what + ": not an SQL dump (its first line is '" + abbreviate(line)
                                + "'); give the file mysqldump or mariadb-dump wrote, .sql or .sql.gz");
                    }
                    Matcher m;
                    if ((m = CREATE_TABLE.matcher(line)).find()) {
                        tables.putIfAbsent(m.group(1), 0L);
                    } else if ((m = CREATE_DATABASE.matcher(line)).find()) {
                        databases.add(m.group(1));
                        charset = m.group(2).strip();
                    } else if ((m = USE.matcher(line)).find()) {
                        databases.add(m.group(1));
                    }
                    if ((m = INSERT.matcher(line)).find()) {
                        insertInto = m.group(1);
                    }
                    if (insertInto != null) {
                        tables.merge(insertInto, rows(line), Long::sum);
                        if (insertInto.equals("alembic_version")) {
                            Matcher q = QUOTED.matcher(line);
                            while (q.find()) {
                                revisions.add(q.group(1));
                            }
                        }
                        if (line.endsWith(";")) {
                            insertInto = null;
                        }
                    }
                }
            }
        } catch (java.util.zip.ZipException | java.io.EOFException e) {
            throw new NotADump(what + ": a damaged gzip file (" + e.getMessage() + "); take the dump again");
        } catch (IOException e) {
            throw new NotADump(what + ": cannot read it: " + e.getMessage());
        }
        if (header == null && tables.isEmpty()) {
            throw new NotADump(what + ": not a mysqldump or mariadb-dump file (no dump header, no CREATE TABLE); "
                    + "take the dump as README.md's 'Before you upgrade' shows");
        }
        if (databases.size() > 1) {
            throw new NotADump(what + ": it holds several databases " + databases
                    + "; dump only MLflow's database (mysqldump --databases <mlflow-db>)");
        }
        if (header != null && !last.startsWith("-- Dump completed")) {
            throw new NotADump(
                    what + ": incomplete: it ends without the dump tool's '-- Dump completed' line (cut short"
                            + " while copying, or the dump failed); take it again");
        }
        if (!tables.containsKey("alembic_version")) {
            throw new NotADump(what + ": it has no alembic_version table, so it is not a dump of MLflow's database "
                    + "(or was taken with table filters); dump the whole MLflow database");
        }
        if (revisions.size() != 1) {
            throw new NotADump(what + ": alembic_version holds " + revisions.size() + " rows " + revisions
                    + ", MLflow keeps exactly one; was it dumped with --no-data, or mid-upgrade?");
        }
        return new DumpFile(
                path,
                bytes,
                gzip,
                header,
                databases.stream().findFirst(),
                Optional.ofNullable(charset).filter(c -> !c.isBlank()),
                revisions.get(0),
                tables);
    }

    /**
     * Writes the dump as a script that replaces database {@code target} with the dump's content: drops and creates
     * {@code target} (with the dump's character set clause, if it has one) and uses it; the dump's own
     * {@code CREATE DATABASE}, {@code DROP DATABASE} and {@code USE} lines are left out (its database may have another
     * name), and so are {@code DEFINER} clauses and statements on GTIDs and the session's binary log (they need
     * privileges MLflow's user does not have). Returns what was rewritten, one line per kind.
     */
    public List<String> writeRestorable(Path out, String target) {
        Map<String, Integer> dropped = new TreeMap<>();
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(path));
                BufferedReader in = reader(raw, gzip);
                Writer w = new BufferedWriter(Files.newBufferedWriter(out, StandardCharsets.ISO_8859_1))) {
            w.write("DROP DATABASE IF EXISTS `" + target + "`;\nCREATE DATABASE `" + target + "`"
                    + charsetClause.map(c -> " " + c).orElse("") + ";\nUSE `" + target + "`;\n");
            String line;
            while ((line = in.readLine()) != null) {
                String kind = skipped(line);
                if (kind != null) {
                    dropped.merge(kind, 1, Integer::sum);
                    continue;
                }
                Matcher d = DEFINER.matcher(line);
                if (d.find()) {
                    dropped.merge("DEFINER clauses", 1, Integer::sum);
                    line = d.replaceAll("");
                }
                w.write(line);
                w.write('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException("rewriting " + path + " into " + out + ": " + e.getMessage(), e);
        }
        List<String> notes = new ArrayList<>();
        dropped.forEach((k, v) -> notes.add(v + " " + k + " left out"));
        database.filter(d -> !d.equals(target))
                .ifPresent(d -> notes.add("database `" + d + "` restored as `" + target + "`"));
        return notes;
    }

    /** The kind of a line the restore leaves out, or null to keep it. */
    static String skipped(String line) {
        if (CREATE_DATABASE.matcher(line).find() || USE.matcher(line).find()) {
            return "CREATE DATABASE/USE statements";
        }
        if (line.startsWith("DROP DATABASE") || line.startsWith("/*!40000 DROP DATABASE")) {
            return "DROP DATABASE statements";
        }
        for (String p : PRIVILEGED) {
            if (line.startsWith(p) || line.startsWith("/*!") && line.contains(p)) {
                return "statements on GTIDs or the session's binary log";
            }
        }
        return null;
    }

    /** The row tuples in (a line of) an INSERT: {@code (...)} groups outside quoted strings. */
    static long rows(String line) {
        long n = 0;
        int depth = 0;
        boolean quoted = false;
        int valuesAt = line.indexOf(" VALUES ");
        int start = valuesAt < 0 ? (line.startsWith("(") ? 0 : line.length()) : valuesAt;
        for (int i = start; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '\\') {
                    i++;
                } else if (c == '\'') {
                    quoted = false;
                }
            } else if (c == '\'') {
                quoted = true;
            } else if (c == '(') {
                if (depth++ == 0) {
                    n++;
                }
            } else if (c == ')') {
                depth--;
            }
        }
        return n;
    }

    /** One line for the report: file, size, tool, database, revision. */
    public String describe() {
        return path.getFileName() + " (" + bytes + " bytes" + (gzip ? ", gzip" : "") + "; "
                + (header == null ? "no dump header" : header)
                + database.map(d -> "; database `" + d + "`").orElse("") + "; alembic_version " + revision + ")";
    }

    private static boolean isGzip(InputStream in) throws IOException {
        in.mark(2);
        int a = in.read();
        int b = in.read();
        in.reset();
        return a == 0x1f && b == 0x8b;
    }

    private static BufferedReader reader(InputStream raw, boolean gzip) throws IOException {
        InputStream in = gzip ? new GZIPInputStream(raw, 1 << 16) : raw;
        return new BufferedReader(new InputStreamReader(in, StandardCharsets.ISO_8859_1), 1 << 16);
    }

    private static String abbreviate(String s) {
        String one = s.strip();
        return one.length() > 60 ? one.substring(0, 60) + "..." : one;
    }
}
