package dev.stmlog.format.event;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a recording says about itself; the first record of every log.
 *
 * @param pid              the recording process's id
 * @param commandLine      how the process was started, as far as the JVM knows
 * @param jvm              the JVM's name and version
 * @param processors       {@code Runtime.availableProcessors()} at the start
 * @param workerThreads    the worker threads the runtime was configured with (0 when unset)
 * @param startEpochNanos  wall-clock start, nanoseconds since 1970-01-01T00:00Z
 * @param originNanoTime   the {@code System.nanoTime()} value that event times count from
 * @param user             the application's own keys and values, in insertion order
 *                         (for example {@code mode=stm})
 */
public record Metadata(long pid, String commandLine, String jvm, int processors, int workerThreads,
                       long startEpochNanos, long originNanoTime, Map<String, String> user) {

    public Metadata {
        Objects.requireNonNull(commandLine, "commandLine");
        Objects.requireNonNull(jvm, "jvm");
        user = Collections.unmodifiableMap(new LinkedHashMap<>(user));
    }

    /** Metadata describing the current JVM, with its time origin taken now. */
    public static Metadata ofThisJvm(int workerThreads, Map<String, String> user) {
        ProcessHandle.Info info = ProcessHandle.current().info();
        String command = info.commandLine().orElse(info.command().orElse(""));
        String jvm = System.getProperty("java.vm.name", "?") + " " + System.getProperty("java.vm.version", "?");
        long epochNanos = epochNanosNow();
        return new Metadata(ProcessHandle.current().pid(), command, jvm,
                Runtime.getRuntime().availableProcessors(), workerThreads, epochNanos, System.nanoTime(), user);
    }

    private static long epochNanosNow() {
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }
}
