package dev.stmlog.analyzer;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * A program run with recording on: {@code STM_LOG} set to the log it is to write (any old log
 * there deleted first), its console the terminal's or a file, and a time limit after which it
 * and its descendants are destroyed.
 *
 * @param command the program and its arguments
 * @param log     the log the program is to write
 * @param console where its stdout and stderr go (stdin then being empty); null: the terminal's
 *                stdin, stdout and stderr
 * @param timeout how long it may run
 */
public record RecordedRun(List<String> command, Path log, Path console, Duration timeout) {
    /** How long a destroyed program has to exit before it is killed, and then to be reaped. */
    static final Duration GRACE = Duration.ofSeconds(5);

    public RecordedRun {
        command = List.copyOf(command);
        if (command.isEmpty()) throw new IllegalArgumentException("no command");
        Objects.requireNonNull(log, "log");
        if (timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException("timeout must be positive");
    }

    /** Runs with the terminal's stdin, stdout and stderr. */
    public static RecordedRun inTerminal(List<String> command, Path log, Duration timeout) {
        return new RecordedRun(command, log, null, timeout);
    }

    /** Runs with stdout and stderr to {@code console}, stdin empty. */
    public static RecordedRun toFile(List<String> command, Path log, Path console, Duration timeout) {
        return new RecordedRun(command, log, Objects.requireNonNull(console, "console"), timeout);
    }

    /** The command line, as it would be typed (for messages). */
    public String commandLine() {
        return String.join(" ", command);
    }

    /**
     * Deletes any old log, starts the program and waits for it.
     *
     * @return its exit status
     * @throws IOException          when the old log cannot be deleted or the program cannot be started
     * @throws TimedOut             when it ran longer than the timeout (it has been destroyed)
     * @throws InterruptedException when this thread was interrupted while waiting (the program
     *                              has been destroyed)
     */
    public int run() throws IOException, TimedOut, InterruptedException {
        Path abs = log.toAbsolutePath();
        Files.deleteIfExists(abs);
        ProcessBuilder pb = new ProcessBuilder(command);
        if (console == null) {
            pb.inheritIO();
        } else {
            pb.redirectErrorStream(true).redirectOutput(console.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        }
        pb.environment().put("STM_LOG", abs.toString());
        Process p = pb.start();
        try {
            if (!p.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                destroy(p);
                throw new TimedOut(this);
            }
        } catch (InterruptedException e) {
            destroy(p);
            throw e;
        }
        return p.exitValue();
    }

    /** Asks the program and its descendants to stop; kills what is left after the grace period. */
    private static void destroy(Process p) {
        List<ProcessHandle> descendants = p.descendants().toList();
        p.destroy();
        descendants.forEach(ProcessHandle::destroy);
        boolean interrupted = Thread.interrupted();
        try {
            if (!p.waitFor(GRACE.toNanos(), TimeUnit.NANOSECONDS)) {
                p.destroyForcibly();
                p.waitFor(GRACE.toNanos(), TimeUnit.NANOSECONDS);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            interrupted = true;
        } finally {
            descendants.forEach(ProcessHandle::destroyForcibly);
            if (interrupted) Thread.currentThread().interrupt();
        }
    }

    /** The program ran longer than its timeout, and was destroyed. */
    public static final class TimedOut extends Exception {
        private final transient RecordedRun run;

        TimedOut(RecordedRun run) {
            super(run.commandLine() + ": still running after " + describe(run.timeout()) + "; stopped");
            this.run = run;
        }

        public RecordedRun run() {
            return run;
        }
    }

    /** {@code 90s}, {@code 60m}, {@code 250ms}: the way {@code --timeout} takes it. */
    static String describe(Duration d) {
        if (d.toMillis() % 60_000 == 0 && d.toNanos() % 1_000_000 == 0) return d.toMinutes() + "m";
        if (d.toMillis() % 1000 == 0 && d.toNanos() % 1_000_000 == 0) return d.toSeconds() + "s";
        if (d.toNanos() % 1_000_000 == 0) return d.toMillis() + "ms";
        return d.toNanos() + "ns";
    }
}
