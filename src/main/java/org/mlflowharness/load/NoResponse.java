package org.mlflowharness.load;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.LoggerFactory;

/**
 * Why a request got no HTTP answer. Gatling's Java API hands a virtual user only "no status"; its HTTP engine logs the
 * reason ("Request 'x' failed for user 7: Request timeout to ... after 300000 ms") at DEBUG. This appender keeps the
 * last such reason per virtual user (and prints nothing), so a scenario can tell a timeout from a reset.
 */
public final class NoResponse extends AppenderBase<ILoggingEvent> {

    /**
     * Gatling's loggers for failed requests: the response stats ({@link #FAILED}) and the HTTP listener (crashes). The
     * stats processor's own logger, not its package's: DEBUG on {@code io.gatling.http.engine.response} turns on
     * Gatling's HTTP tracing, which keeps every response body in memory for a dump (CPU and memory of the injector).
     */
    static final List<String> LOGGERS = List.of(
            "io.gatling.http.engine.response.DefaultStatsProcessor", "io.gatling.http.engine.GatlingHttpListener$");

    static final String FAILED = "Request '{}' failed for user {}: {}";
    private static final Pattern CRASHED = Pattern.compile("Request '.*' failed for user (\\d+)");
    private static final NoResponse INSTANCE = new NoResponse();

    private final Map<Long, String> lastByUser = new ConcurrentHashMap<>();

    /** The reasons collected while attached ({@link #attach}). */
    public static NoResponse reasons() {
        return INSTANCE;
    }

    /**
     * Attaches the appender to Gatling's loggers; {@link GatlingLauncher} does it before every run, because logging is
     * configured afresh after each one.
     */
    static synchronized void attach() {
        LoggerContext lc = (LoggerContext) LoggerFactory.getILoggerFactory();
        if (!INSTANCE.isStarted()) {
            INSTANCE.setContext(lc);
            INSTANCE.setName("harness-no-response");
            INSTANCE.start();
        }
        for (String name : LOGGERS) {
            Logger logger = lc.getLogger(name);
            if (logger.getAppender(INSTANCE.getName()) == null) {
                logger.setLevel(Level.DEBUG);
                logger.setAdditive(false);
                logger.addAppender(INSTANCE);
            }
        }
    }

    @Override
    protected void append(ILoggingEvent e) {
        Object[] args = e.getArgumentArray();
        if (FAILED.equals(e.getMessage()) && args != null && args.length == 3 && args[1] instanceof Number user) {
            lastByUser.put(user.longValue(), String.valueOf(args[2]));
            return;
        }
        Matcher m = CRASHED.matcher(e.getFormattedMessage());
        if (m.matches() && e.getThrowableProxy() != null) {
            lastByUser.putIfAbsent(
                    Long.parseLong(m.group(1)),
                    e.getThrowableProxy().getClassName() + ": "
                            + e.getThrowableProxy().getMessage());
        }
    }

    /** Forgets the user's last reason: call before a request so that a later lookup sees only that request's. */
    public void forget(long userId) {
        lastByUser.remove(userId);
    }

    /** Gatling's reason for the user's last failed request, or "unknown" when it logged none. */
    public String of(long userId) {
        return lastByUser.getOrDefault(userId, "unknown");
    }

    /** A short class of a reason, for counting: timeout, connection reset, connection closed, connection refused, or the reason. */
    public static String kind(String reason) {
        String r = reason.toLowerCase(Locale.ROOT);
        if (r.contains("timeout") || r.contains("timed out")) {
            return "timeout";
        }
        if (r.contains("reset")) {
            return "connection reset";
        }
        if (r.contains("refused")) {
            return "connection refused";
        }
        if (r.contains("closed") || r.contains("premature") || r.contains("broken pipe")) {
            return "connection closed";
        }
        return reason.length() > 60 ? reason.substring(0, 60) + "..." : reason;
    }
}
