package dev.stmlog.agent;

import dev.stmlog.agent.fixtures.Plain;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The agent where it has nothing to do: a program without an STM, or STM_LOG unset. */
class NoStmIT {
    @TempDir
    Path dir;

    private static String testClasses() throws Exception {
        return Path.of(Plain.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }

    @Test
    void aProgramWithoutAnStmRunsUnchanged() throws Exception {
        Path log = dir.resolve("plain.stmlog");
        List<String> program = List.of("-cp", testClasses(), Plain.class.getName(), "a", "b");
        ChildJvm.Result without = ChildJvm.run(dir, Map.of(), program);
        List<String> withAgent = new ArrayList<>(List.of("-javaagent:" + ChildJvm.agentJar()));
        withAgent.addAll(program);
        ChildJvm.Result with = ChildJvm.run(dir, Map.of("STM_LOG", log.toString()), withAgent);

        assertEquals(0, without.status(), without.err());
        assertTrue(without.out().startsWith("counts {0="), without.out());
        assertEquals(0, with.status(), with.err());
        assertEquals(without.out(), with.out());
        assertEquals("", with.err());
        assertFalse(Files.exists(log), "no STM, no log");
    }

    @Test
    void withoutStmLogTheAgentInstrumentsNothing() throws Exception {
        Path classes = dir.resolve("classes.txt");
        List<Path> cp = new ArrayList<>(ChildJvm.clojure("1.12.3"));
        cp.add(Planted.root());
        ChildJvm.Result r = ChildJvm.run(dir, Map.of(), List.of("-javaagent:" + ChildJvm.agentJar(),
                "-Xlog:class+load=info:file=" + classes, "-cp", ChildJvm.classpath(cp),
                "clojure.main", "-m", "stmlog.planted", "alter"));

        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("dosyncs "), r.out());
        assertEquals("", r.err());
        List<String> loaded = Files.readAllLines(classes);
        assertTrue(loaded.stream().anyMatch(l -> l.contains(StmlogAgent.class.getName())), "the agent was loaded");
        assertTrue(loaded.stream().anyMatch(l -> l.contains("clojure.lang.LockingTransaction ")), "the STM was used");
        // neither Byte Buddy nor any recorder: no transformer was registered
        assertEquals(List.of(), loaded.stream().filter(l -> l.contains("dev.stmlog.agent.shaded.")
                || l.contains("dev.stmlog.agent.clojure.") || l.contains("dev.stmlog.format.")).toList());
        try (var files = Files.list(dir)) {
            assertEquals(List.of(), files.filter(f -> f.toString().endsWith(".stmlog")).toList());
        }
    }
}
