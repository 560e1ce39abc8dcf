package dev.stmlog.samples;

import dev.stmlog.analyzer.cli.Environment;
import dev.stmlog.analyzer.cli.Stmlog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code stmlog watch} on the log of a running program ({@link WatchChild}, a child JVM recording
 * with the real runtime): the planted site shows while the child still runs, then the child is
 * told to stop, closes its log, and the watch ends with a final table. Every wait has a timeout;
 * nothing depends on how fast anything runs.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class WatchTest {
    private static final String SITE = WatchChild.class.getName() + ".bump(WatchChild.java:";
    /** Notified when the watch flushes its output or the child ends. */
    private static final Object CHANGED = new Object();

    @Test
    void watchShowsThePlantedSiteWhileTheProgramRuns(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("child.stmlog");
        Path stop = dir.resolve("stop");
        Path childOut = dir.resolve("child.out");
        Path childErr = dir.resolve("child.err");
        StringWriter out = new StringWriter() {
            @Override
            public void flush() { // the watch flushes each line it writes: wake the wait below
                synchronized (CHANGED) {
                    CHANGED.notifyAll();
                }
            }
        };
        StringWriter err = new StringWriter();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        Process p = null;
        try {
            // the watch starts first, and waits for the log
            Future<Integer> status = pool.submit(() -> Stmlog.run(Environment.plain(Map.of()), new PrintWriter(out, true),
                    new PrintWriter(err, true), "watch", "--no-tty", "--interval", "100ms", "--timeout", "150s",
                    log.toString()));
            List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), "-Xmx128m", WatchChild.class.getName(), stop.toString());
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(childOut.toFile()).redirectError(childErr.toFile());
            pb.environment().put("STM_LOG", log.toString());
            pb.environment().remove("STM_LOG_TIMING");
            p = pb.start();
            p.getOutputStream().close();
            p.onExit().thenRun(() -> {
                synchronized (CHANGED) {
                    CHANGED.notifyAll();
                }
            });
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            synchronized (CHANGED) {
                // woken by each flush of the watch's output and by the child's exit
                while (!text(out).contains(SITE)) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0 || !p.isAlive()) {
                        throw new AssertionError("the planted site did not show while the child ran (alive: " + p.isAlive()
                                + ")\nwatch:\n" + text(out) + err + "\nchild:\n" + read(childOut) + read(childErr));
                    }
                    TimeUnit.NANOSECONDS.timedWait(CHANGED, left);
                }
            }
            assertTrue(p.isAlive(), "shown while the child runs");
            Files.writeString(stop, "stop");
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the child stops when told");
            assertEquals(0, p.exitValue(), read(childOut) + read(childErr));
            assertEquals(0, status.get(60, TimeUnit.SECONDS), "the watch ends at the trailer: " + err);
            String all = text(out);
            String last = all.substring(all.lastIndexOf("stmlog watch "));
            assertTrue(last.lines().findFirst().orElseThrow().contains("closed: "), last);
            assertTrue(last.contains(SITE), last);
            assertTrue(read(childOut).startsWith("recording"), read(childOut));
        } finally {
            if (p != null && p.isAlive()) p.destroyForcibly();
            pool.shutdownNow();
        }
    }

    private static String text(StringWriter w) {
        synchronized (w.getBuffer()) {
            return w.toString();
        }
    }

    private static String read(Path f) throws java.io.IOException {
        return Files.exists(f) ? Files.readString(f, StandardCharsets.UTF_8) : "";
    }
}
