package dev.stmlog.agent;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/** A child JVM of the integration tests, with a time limit, its output captured in files. */
final class ChildJvm {
    /** Every child must end within this (the planted program takes about 3 s). */
    static final long TIMEOUT_SECONDS = 120;

    record Result(int status, String out, String err) {
        List<String> errLines() {
            return err.lines().filter(l -> !l.isBlank()).toList();
        }
    }

    private ChildJvm() {
    }

    /** The agent jar the build made (set by the pom's integration execution). */
    static Path agentJar() {
        String jar = System.getProperty("stmlog.agent.jar");
        if (jar == null) fail("stmlog.agent.jar is not set: run the *IT tests through mvn verify");
        Path p = Path.of(jar);
        if (!Files.isRegularFile(p)) fail(p + " does not exist: the integration tests run after package");
        return p;
    }

    /** The jars of Clojure {@code version} and its spec libraries (copied by the pom). */
    static List<Path> clojure(String version) throws IOException {
        Path dir = Path.of(System.getProperty("stmlog.clojure.dir", "target/clojure")).resolve(version);
        try (var files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".jar")).sorted().toList();
        }
    }

    /** A classpath of {@code entries}. */
    static String classpath(List<Path> entries) {
        return String.join(File.pathSeparator, entries.stream().map(Path::toString).toList());
    }

    /**
     * Runs {@code java jvmArgs...} in {@code dir} with {@code env} added to this JVM's
     * environment ({@code STM_LOG} removed unless given), failing the test past the time limit.
     */
    static Result run(Path dir, Map<String, String> env, List<String> args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
        pb.environment().remove("STM_LOG");
        pb.environment().remove("STM_LOG_META");
        pb.environment().putAll(env);
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Process p = pb.start();
        if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            fail(String.join(" ", command) + " ran longer than " + TIMEOUT_SECONDS + " s; stderr: "
                    + Files.readString(err, StandardCharsets.UTF_8));
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }
}
