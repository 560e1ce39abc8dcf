package dev.stmlog.agent;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * Where {@code STM_LOG} says to record, read as the instrumented runtime reads it (its
 * {@code LogTarget}; the agent depends on log-format only, so the few lines are repeated):
 * {@code %p} becomes the process id and {@code %t} the start time; a directory (existing, or
 * named with a trailing slash) gets a file {@code stm-<pid>-<time>.stmlog} inside it.
 */
final class LogTarget {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneId.systemDefault());

    private LogTarget() {}

    static Path resolve(String value, long pid, Instant start) {
        String time = TIME.format(start);
        boolean dirByName = value.endsWith("/") || value.endsWith(java.io.File.separator);
        Path path = Path.of(value.replace("%p", Long.toString(pid)).replace("%t", time));
        if (dirByName || Files.isDirectory(path)) {
            return path.resolve("stm-" + pid + "-" + time + ".stmlog");
        }
        return path;
    }
}
