package dev.stmlog.agent;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A ScalaSTM the agent does not know (here a fixture jar whose
 * {@code scala.concurrent.stm.ccstm.InTxnImpl} has an {@code atomic} but none of the methods the
 * advice needs, as a rewrite of CCSTM might): one warning line, and the program runs
 * unrecorded, with no VerifyError and no log.
 */
class ScalaStmUnknownVersionIT {
    @TempDir
    Path dir;

    @Test
    void anUnknownVersionIsOneWarningAndRunsUnrecorded() throws Exception {
        Path src = Files.createDirectories(dir.resolve("src"));
        Path classes = Files.createDirectories(dir.resolve("classes"));
        Path txn = Files.createDirectories(src.resolve("scala/concurrent/stm/ccstm")).resolve("InTxnImpl.java");
        Files.writeString(txn, """
                package scala.concurrent.stm.ccstm;
                public class InTxnImpl {
                    public int atomic(int x) {
                        return x + 1;
                    }
                }
                """);
        Path main = Files.createDirectories(src.resolve("fixture")).resolve("UnknownScalaStm.java");
        Files.writeString(main, """
                package fixture;
                public class UnknownScalaStm {
                    public static void main(String[] args) {
                        System.out.println("ran " + new scala.concurrent.stm.ccstm.InTxnImpl().atomic(41));
                    }
                }
                """);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertEquals(0, javac.run(null, null, null, "-d", classes.toString(), txn.toString(), main.toString()));
        Path jar = dir.resolve("unknown-scala-stm.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar)); Stream<Path> files = Files.walk(classes)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                out.putNextEntry(new JarEntry(classes.relativize(f).toString().replace(File.separatorChar, '/')));
                out.write(Files.readAllBytes(f));
                out.closeEntry();
            }
        }

        Path log = dir.resolve("unknown.stmlog");
        ChildJvm.Result r = ChildJvm.run(dir, Map.of("STM_LOG", log.toString()), List.of(
                "-javaagent:" + ChildJvm.agentJar(), "-cp", jar.toString(), "fixture.UnknownScalaStm"));

        assertEquals(0, r.status(), r.err());
        assertEquals("ran 42\n", r.out());
        assertEquals(List.of("stmlog: not recording ScalaSTM: unknown version (scala.concurrent.stm.ccstm.InTxnImpl has no"
                + " method topLevelAttempt(ILscala/concurrent/stm/ccstm/TxnLevelImpl;Lscala/Function1;)Ljava/lang/Object;);"
                + " the program runs unrecorded"), r.errLines());
        assertFalse(r.err().contains("VerifyError"));
        assertFalse(Files.exists(log));
        assertTrue(Files.exists(classes.resolve("scala/concurrent/stm/ccstm/InTxnImpl.class")));
    }
}
