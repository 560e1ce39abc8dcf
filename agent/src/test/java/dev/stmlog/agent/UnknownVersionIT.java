package dev.stmlog.agent;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A {@code clojure.lang.LockingTransaction} the agent does not know (here a stand-in compiled
 * for the test, with a {@code run} but none of the other methods the advice needs): one warning
 * line, and the program runs unrecorded, with no VerifyError and no log.
 */
class UnknownVersionIT {
    @TempDir
    Path dir;

    @Test
    void anUnknownVersionIsOneWarningAndRunsUnrecorded() throws Exception {
        Path src = Files.createDirectories(dir.resolve("src"));
        Path classes = Files.createDirectories(dir.resolve("classes"));
        Path tx = Files.createDirectories(src.resolve("clojure/lang")).resolve("LockingTransaction.java");
        Files.writeString(tx, """
                package clojure.lang;
                public class LockingTransaction {
                    Object info;
                    public Object run(java.util.concurrent.Callable<?> fn) throws Exception {
                        return fn.call();
                    }
                }
                """);
        Path main = Files.createDirectories(src.resolve("fixture")).resolve("FakeMain.java");
        Files.writeString(main, """
                package fixture;
                public class FakeMain {
                    public static void main(String[] args) throws Exception {
                        System.out.println(new clojure.lang.LockingTransaction().run(() -> "ran"));
                    }
                }
                """);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertEquals(0, javac.run(null, null, null, "-d", classes.toString(), tx.toString(), main.toString()));

        Path log = dir.resolve("fake.stmlog");
        ChildJvm.Result r = ChildJvm.run(dir, Map.of("STM_LOG", log.toString()), List.of(
                "-javaagent:" + ChildJvm.agentJar(), "-cp", classes.toString(), "fixture.FakeMain"));

        assertEquals(0, r.status(), r.err());
        assertEquals("ran\n", r.out());
        assertEquals(List.of("stmlog: not recording Clojure refs: unknown version (clojure.lang.LockingTransaction has no"
                + " method getReadPoint()V); the program runs unrecorded"), r.errLines());
        assertFalse(r.err().contains("VerifyError"));
        assertFalse(Files.exists(log));
        assertTrue(Files.exists(classes.resolve("clojure/lang/LockingTransaction.class")));
    }
}
