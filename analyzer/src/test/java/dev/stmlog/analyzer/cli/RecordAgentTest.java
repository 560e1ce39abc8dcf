package dev.stmlog.analyzer.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code record --agent}: the command gets {@code -javaagent:JAR} after its java. The "java"
 * here is a script that writes down its arguments and copies a recorded log where
 * {@code STM_LOG} says (the real agent with real Clojure is tested in the agent module).
 */
class RecordAgentTest {
    @TempDir
    Path dir;

    /** A stand-in for java: its arguments go to args.txt, and a recorded log to STM_LOG. */
    private Path fakeJava() throws IOException {
        Path recorded = Planted.write(dir.resolve("recorded.stmlog"));
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path java = bin.resolve("java");
        Files.writeString(java, "#!/bin/sh\nprintf '%s\\n' \"$@\" > '" + dir.resolve("args.txt") + "'\ncp '" + recorded
                + "' \"$STM_LOG\"\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        return java;
    }

    private Path fakeAgent() throws IOException {
        return Files.writeString(dir.resolve("stmlog-agent.jar"), "not read: the fake java ignores it");
    }

    @Test
    void insertsTheAgentAfterJava() throws IOException {
        Path java = fakeJava();
        Path agent = fakeAgent();
        Cli.Result r = Cli.run("record", "--agent=" + agent, "--out", dir.resolve("run.stmlog").toString(),
                "--format", "json", "--", java.toString(), "-cp", "app.jar", "app.Main");
        assertEquals(0, r.status(), r.err());
        assertEquals(List.of("-javaagent:" + agent.toAbsolutePath(), "-cp", "app.jar", "app.Main"),
                Files.readAllLines(dir.resolve("args.txt")));
    }

    @Test
    void withoutAPathTheAgentIsFoundWhereTheBuildPutsIt() throws IOException {
        Path java = fakeJava();
        Path agent = fakeAgent();
        String before = System.getProperty(AgentJar.PROPERTY);
        System.setProperty(AgentJar.PROPERTY, agent.toString());
        try {
            Cli.Result r = Cli.run("record", "--agent", "--out", dir.resolve("run.stmlog").toString(), "--format", "json",
                    "--", java.toString(), "app.Main");
            assertEquals(0, r.status(), r.err());
            assertEquals(List.of("-javaagent:" + agent.toAbsolutePath(), "app.Main"), Files.readAllLines(dir.resolve("args.txt")));
        } finally {
            if (before == null) System.clearProperty(AgentJar.PROPERTY);
            else System.setProperty(AgentJar.PROPERTY, before);
        }
    }

    @Test
    void theBuildLayoutIsAmongThePlacesLookedIn() {
        // this module's classes are analyzer/target/classes: the build's jar is agent/target's
        List<Path> places = AgentJar.candidates();
        assertTrue(places.stream().anyMatch(p -> p.endsWith(Path.of("agent", "target", AgentJar.NAME))), places.toString());
    }

    @Test
    void noJarAnywhereIsAUsageErrorNamingThePlaces() {
        Path missing = dir.resolve("nowhere").resolve(AgentJar.NAME);
        UsageException e = assertThrows(UsageException.class, () -> AgentJar.locate(List.of(missing)));
        assertTrue(e.getMessage().contains(missing.toString()) && e.getMessage().contains("--agent=PATH"), e.getMessage());
    }

    @Test
    void aMissingExplicitJarIsAUsageError() {
        Cli.Result r = Cli.run("record", "--agent=" + dir.resolve("missing.jar"), "--", "java", "app.Main");
        assertEquals(2, r.status(), r.err());
        assertEquals(1, r.errLines().size(), r.err());
        assertTrue(r.err().contains("missing.jar: no such file"), r.err());
    }

    @Test
    void aCommandThatIsNotJavaIsAUsageError() throws IOException {
        Path agent = fakeAgent();
        Cli.Result r = Cli.run("record", "--agent=" + agent, "--", "/bin/sh", "-c", "true");
        assertEquals(2, r.status(), r.err());
        assertEquals(1, r.errLines().size(), r.err());
        assertTrue(r.err().contains("must start with java (it starts with /bin/sh)"), r.err());
    }
}
