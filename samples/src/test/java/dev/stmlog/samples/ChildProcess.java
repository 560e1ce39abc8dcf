package dev.stmlog.samples;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Runs a child process without any way to hang the test: its stdout and stderr go to files (no
 * pipe to fill, nothing read before it exits), its stdin is closed, and it gets at most
 * {@code timeoutSeconds} before it is killed and the test fails with what it had written.
 */
public final class ChildProcess {

    /** The exit status and the output of a child that has exited. */
    public record Result(int exit, String out, String err) {}

    private ChildProcess() {
    }

    public static Result run(ProcessBuilder pb, long timeoutSeconds) throws IOException, InterruptedException {
        Path out = Files.createTempFile("stmlog-child-", ".out");
        Path err = Files.createTempFile("stmlog-child-", ".err");
        try {
            pb.redirectOutput(out.toFile()).redirectError(err.toFile());
            Process p = pb.start();
            try {
                p.getOutputStream().close();
                if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    p.waitFor(10, TimeUnit.SECONDS);
                    throw new AssertionError("the child process did not exit within " + timeoutSeconds + " s: "
                            + pb.command() + "\nstdout: " + read(out) + "\nstderr: " + read(err));
                }
                return new Result(p.exitValue(), read(out), read(err));
            } finally {
                if (p.isAlive()) p.destroyForcibly(); // interrupted by the test's @Timeout, say
            }
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    private static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8);
    }
}
