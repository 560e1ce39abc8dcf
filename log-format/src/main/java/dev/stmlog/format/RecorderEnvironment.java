package dev.stmlog.format;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a recorder reads from its process's environment, the same for the instrumented runtime
 * and the agent: where {@code STM_LOG} says to write, the application's own metadata, and the
 * numeric {@code STM_LOG_*} settings. A setting that is not a number is one warning line and its
 * default, never a failure of the program being recorded.
 */
public final class RecorderEnvironment {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneId.systemDefault());

    private RecorderEnvironment() {}

    /**
     * The log file {@code STM_LOG} ({@code value}) names: {@code %p} becomes the process id and
     * {@code %t} the start time; a directory (existing, or named with a trailing slash) gets a
     * file {@code stm-<pid>-<time>.stmlog} inside it.
     */
    public static Path logPath(String value, long pid, Instant start) {
        String time = TIME.format(start);
        boolean dirByName = value.endsWith("/") || value.endsWith(java.io.File.separator);
        Path path = Path.of(value.replace("%p", Long.toString(pid)).replace("%t", time));
        if (dirByName || Files.isDirectory(path)) {
            return path.resolve("stm-" + pid + "-" + time + ".stmlog");
        }
        return path;
    }

    /**
     * The application's own metadata: {@code STM_LOG_META="mode=stm,threads=4"} and system
     * properties {@code stmlog.meta.KEY=VALUE} (set before recording starts), the latter winning.
     */
    public static Map<String, String> userMetadata() {
        Map<String, String> m = new LinkedHashMap<>();
        String env = System.getenv("STM_LOG_META");
        if (env != null) {
            for (String pair : env.split(",")) {
                int eq = pair.indexOf('=');
                if (eq > 0) m.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
            }
        }
        for (String key : System.getProperties().stringPropertyNames()) {
            if (key.startsWith("stmlog.meta.")) m.put(key.substring("stmlog.meta.".length()), System.getProperty(key));
        }
        return m;
    }

    /** The environment variable {@code env} as an int, or {@code fallback} when unset or not a number. */
    public static int intSetting(String env, int fallback) {
        return (int) longSetting(env, fallback);
    }

    /** The environment variable {@code env} as a long, or {@code fallback} when unset or not a number. */
    public static long longSetting(String env, long fallback) {
        String v = System.getenv(env);
        if (v == null || v.isBlank()) return fallback;
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            System.err.println("stmlog: ignoring " + env + "=" + v + " (not a number)");
            return fallback;
        }
    }
}
