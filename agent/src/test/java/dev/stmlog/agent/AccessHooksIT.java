package dev.stmlog.agent;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The accesses' advice is in {@code clojure.lang.LockingTransaction} only from the program's
 * first conflict on: the class as transformed, dumped by the agent's Byte Buddy (its relocated
 * {@code dump} property), calls {@code ClojureRecorder.wrote} (the advice of doSet and
 * doCommute) only in the retransformation after a conflict; the causes' advice (a failing
 * doGet's {@code readFailed}) is there from the start.
 */
class AccessHooksIT {
    /** Byte Buddy's dump of a transformation: NAME.STAMP.class (its input is NAME-original.STAMP.class). */
    private static final Pattern DUMPED = Pattern.compile("clojure\\.lang\\.LockingTransaction\\.(\\d+)\\.class");

    @TempDir
    Path dir;

    /** The transformed LockingTransaction classes of a run of the planted program in {@code mode}, in order. */
    private List<String> transformations(String mode) throws Exception {
        Path dump = Files.createDirectories(dir.resolve("dump-" + mode));
        List<Path> cp = new ArrayList<>(ChildJvm.clojure("1.12.3"));
        cp.add(Planted.root());
        ChildJvm.Result r = ChildJvm.run(dir, Map.of("STM_LOG", dir.resolve(mode + ".stmlog").toString()), List.of(
                "-Ddev.stmlog.agent.shaded.bytebuddy.dump=" + dump, "-javaagent:" + ChildJvm.agentJar(),
                "-cp", ChildJvm.classpath(cp), "clojure.main", "-m", "stmlog.planted", mode));
        assertEquals(0, r.status(), r.err());
        List<String> classes = new ArrayList<>();
        try (Stream<Path> files = Files.list(dump)) {
            for (Path f : files.sorted(Comparator.comparing(AccessHooksIT::stamp)).toList()) {
                if (DUMPED.matcher(f.getFileName().toString()).matches()) {
                    classes.add(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1));
                }
            }
        }
        return classes;
    }

    private static long stamp(Path f) {
        Matcher m = Pattern.compile("\\.(\\d+)\\.class$").matcher(f.getFileName().toString());
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    @Test
    void noConflictNoAccessAdvice() throws Exception {
        List<String> classes = transformations("load"); // Clojure's loading runs dosyncs, none conflicts
        assertEquals(1, classes.size());
        assertTrue(classes.get(0).contains("readFailed"), "the causes' advice is there from the start");
        assertFalse(classes.get(0).contains("wrote"), "no access advice before a conflict");
    }

    @Test
    void theFirstConflictAddsTheAccessAdvice() throws Exception {
        List<String> classes = transformations("alter");
        assertEquals(2, classes.size(), "loaded, then retransformed once at the first conflict");
        assertFalse(classes.get(0).contains("wrote"));
        assertTrue(classes.get(1).contains("wrote"), "the access advice after the first conflict");
        assertTrue(classes.get(1).contains("readFailed"));
    }
}
