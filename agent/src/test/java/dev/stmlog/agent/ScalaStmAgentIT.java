package dev.stmlog.agent.scalastm;

import dev.stmlog.format.EventVisitor;
import dev.stmlog.format.LogReader;
import dev.stmlog.format.event.AbortCause;
import dev.stmlog.format.event.AccessKind;
import dev.stmlog.format.event.AccessSite;
import dev.stmlog.format.event.Contention;
import dev.stmlog.format.event.ContentionKind;
import dev.stmlog.format.event.Event;
import dev.stmlog.format.event.Frame;
import dev.stmlog.format.event.Metadata;
import dev.stmlog.format.event.TxAbort;
import dev.stmlog.format.event.TxCommit;
import dev.stmlog.format.event.TxCommits;
import dev.stmlog.format.event.TxStart;
import dev.stmlog.format.event.WaitBegin;
import dev.stmlog.format.event.WaitEnd;
import dev.stmlog.format.event.WaitKind;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import stmlog.planted.ScalaStmPlanted;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The agent on the real ScalaSTM (0.9.1, from Maven Central): {@link ScalaStmPlanted}, whose
 * conflicts are forced with latches, runs once in a child JVM with the shaded agent and
 * {@code STM_LOG}; each test reads one property of its log. The lines are found by the
 * program's {@code site:} comments.
 */
class ScalaStmAgentIT {
    private static final Path SOURCE = Path.of("src/test/java/stmlog/planted/ScalaStmPlanted.java");
    private static final String FILE = "ScalaStmPlanted.java";
    private static final String LABEL_PREFIX = ScalaStmPlanted.class.getName() + ".";
    private static final long TIMEOUT_SECONDS = 120;

    @TempDir
    static Path dir;

    private static Child planted;
    private static List<Event> events;
    private static Metadata metadata;
    private static Map<String, Integer> sites;

    @BeforeAll
    static void runPlanted() throws Exception {
        sites = sites(SOURCE);
        Path log = dir.resolve("planted.stmlog");
        planted = Child.run(dir, "planted", log, classpath(), ScalaStmPlanted.class.getName());
        assertEquals(0, planted.exit, () -> "the planted program failed:\n" + planted.stderr);
        events = new ArrayList<>();
        try (LogReader reader = LogReader.open(log)) {
            reader.read(new EventVisitor() {
                @Override
                public void event(Event e) {
                    events.add(e);
                }

                @Override
                public void metadata(Metadata m) {
                    metadata = m;
                }
            });
        }
    }

    @Test
    void theLogSaysScalaStmRecordedIt() {
        assertNotNull(metadata);
        assertEquals("ScalaSTM", metadata.user().get("stm"));
        assertEquals("agent", metadata.user().get("recorder"));
        assertTrue(planted.stderr.lines().noneMatch(l -> l.contains("not recording") || l.contains("cannot instrument")),
                planted.stderr);
    }

    @Test
    void committedCountsAreTheAtomicBlocksThatRan() {
        long ran = Long.parseLong(planted.stdoutValue("blocks"));
        long committed = 0;
        for (Event e : events) {
            if (e instanceof TxCommit) committed++;
            if (e instanceof TxCommits c) committed += c.count();
        }
        assertEquals(ran, committed);
    }

    @Test
    void theHeldCounterIsAWriteWriteConflictAtEitherWrite() {
        List<Contention> onCounter = contentions(ContentionKind.WRITE_WRITE, LABEL_PREFIX + "counter");
        assertFalse(onCounter.isEmpty(), () -> "no write-write conflict on counter: " + contentions());
        Set<Integer> writes = Set.of(sites.get("counter-a"), sites.get("counter-b"));
        for (Contention c : onCounter) {
            Frame victim = victimFrame(c);
            assertNotNull(victim, () -> "the victim's write of counter was not recorded: " + c);
            assertEquals(FILE, victim.file());
            assertTrue(writes.contains(victim.line()), () -> "victim at " + victim + ", not at a write of counter");
            // whichever lost, the winner is the other planted thread, known from its transaction
            assertTrue(c.otherThread() != Contention.UNKNOWN_THREAD && c.otherThread() != c.thread(),
                    () -> "other side's thread unknown: " + c);
        }
    }

    @Test
    void aStaleReadMetAtTheReadIsAWriteReadConflictThere() {
        List<Contention> onConfig = contentions(ContentionKind.WRITE_READ, LABEL_PREFIX + "config");
        assertEquals(1, onConfig.size(), () -> "write-read conflicts on config: " + contentions());
        Contention c = onConfig.get(0);
        assertFalse(c.victimAtEntry());
        assertFalse(c.victimStack().isEmpty(), "the victim's stack was taken at the read");
        assertEquals(FILE, c.victimStack().top().file());
        assertEquals(sites.get("config-read-fault"), c.victimStack().top().line());
        assertTrue(c.victimStack().frames().stream().noneMatch(f -> f.className().startsWith("scala.concurrent.stm.")
                || f.className().startsWith("dev.stmlog.agent.")), () -> "ScalaSTM's or the agent's frames kept: " + c.victimStack());
        assertEquals(AbortCause.CONFLICT, abortAfter(c).cause());
    }

    @Test
    void aStaleReadFoundAtCommitIsCompletedByTheRerunsRead() {
        List<Contention> onLimit = contentions(ContentionKind.WRITE_READ, LABEL_PREFIX + "limit");
        assertEquals(1, onLimit.size(), () -> "write-read conflicts on limit: " + contentions());
        Contention c = onLimit.get(0);
        assertTrue(c.victimStack().isEmpty(), () -> "met at commit, the victim's access is the re-run's: " + c);
        AccessSite site = completion(c);
        assertNotNull(site, () -> "no access completes " + c);
        assertEquals(AccessKind.READ, site.access());
        assertEquals(FILE, site.stack().top().file());
        assertEquals(sites.get("limit-read"), site.stack().top().line());
    }

    @Test
    void aBlockingRetryIsAnExplicitRetryAndAWait() {
        TxAbort retry = null;
        for (Event e : events) {
            if (e instanceof TxAbort a && a.cause() == AbortCause.EXPLICIT_RETRY) {
                assertEquals(null, retry, "one planted retry, one retry abort");
                retry = a;
            }
        }
        assertNotNull(retry, "no explicit-retry abort");
        long thread = retry.thread();
        List<Event> after = events.stream().filter(e -> thread(e) == thread).dropWhile(e -> !(e instanceof TxAbort a
                && a.cause() == AbortCause.EXPLICIT_RETRY)).skip(1).limit(2).toList();
        assertEquals(2, after.size(), () -> "after the retry: " + after);
        assertTrue(after.get(0) instanceof WaitBegin w && w.kind() == WaitKind.RETRY, () -> "after the retry: " + after);
        assertTrue(after.get(1) instanceof WaitEnd w && w.kind() == WaitKind.RETRY, () -> "after the retry: " + after);
    }

    @Test
    void theThrowingBlockIsAnExceptionAbort() {
        long thrown = events.stream().filter(e -> e instanceof TxAbort a && a.cause() == AbortCause.EXCEPTION).count();
        assertEquals(1, thrown, "one planted throwing block");
    }

    @Test
    void everyConflictIsAPlantedOne() {
        Set<String> planted = Set.of(LABEL_PREFIX + "counter", LABEL_PREFIX + "config", LABEL_PREFIX + "limit");
        for (Contention c : contentions()) {
            assertTrue(planted.contains(c.label()), () -> "an unplanted conflict: " + c);
        }
    }

    /** A version of ScalaSTM the agent does not know: one warning line, the program runs, nothing recorded. */
    @Test
    void anUnknownVersionRunsUnrecorded() throws Exception {
        Path src = dir.resolve("fake-src");
        Path fakeTxn = src.resolve("scala/concurrent/stm/ccstm/InTxnImpl.java");
        Path main = src.resolve("fixture/UnknownScalaStm.java");
        Files.createDirectories(fakeTxn.getParent());
        Files.createDirectories(main.getParent());
        // InTxnImpl with none of the methods the advice needs (as a rewrite of CCSTM might be)
        Files.writeString(fakeTxn, """
                package scala.concurrent.stm.ccstm;
                public class InTxnImpl {
                    public int atomic(int x) { return x + 1; }
                }
                """);
        Files.writeString(main, """
                package fixture;
                public class UnknownScalaStm {
                    public static void main(String[] args) {
                        System.out.println("ran " + new scala.concurrent.stm.ccstm.InTxnImpl().atomic(41));
                    }
                }
                """);
        Path classes = dir.resolve("fake-classes");
        Files.createDirectories(classes);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int rc = javac.run(null, null, null, "-d", classes.toString(), fakeTxn.toString(), main.toString());
        assertEquals(0, rc, "the fixture compiles");
        Path jar = dir.resolve("unknown-scala-stm.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar)); Stream<Path> files = Files.walk(classes)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                out.putNextEntry(new JarEntry(classes.relativize(f).toString().replace(File.separatorChar, '/')));
                out.write(Files.readAllBytes(f));
                out.closeEntry();
            }
        }
        Path log = dir.resolve("unknown.stmlog");
        Child child = Child.run(dir, "unknown", log, jar.toString(), "fixture.UnknownScalaStm");
        assertEquals(0, child.exit, child.stderr);
        assertEquals("ran 42", child.stdout.strip());
        List<String> lines = child.stderr.lines().toList();
        assertEquals(1, lines.size(), () -> "stderr: " + child.stderr);
        assertTrue(lines.get(0).startsWith("stmlog: not recording ScalaSTM: unknown version (scala.concurrent.stm.ccstm.InTxnImpl has no method topLevelAttempt"),
                lines.get(0));
        assertFalse(Files.exists(log), "no log without a recorded STM");
    }

    // ---------------------------------------------------------------- helpers

    private static List<Contention> contentions() {
        return events.stream().filter(e -> e instanceof Contention).map(e -> (Contention) e).toList();
    }

    private static List<Contention> contentions(ContentionKind kind, String label) {
        return contentions().stream().filter(c -> c.kind() == kind && label.equals(c.label())).toList();
    }

    /** The victim's frame: its stack's top, else that of the access that completed the contention. */
    private static Frame victimFrame(Contention c) {
        if (!c.victimStack().isEmpty()) return c.victimStack().top();
        AccessSite s = completion(c);
        return s == null ? null : s.stack().top();
    }

    /** The victim thread's first access site of the contended ref after the contention. */
    private static AccessSite completion(Contention c) {
        int i = events.indexOf(c);
        for (Event e : events.subList(i + 1, events.size())) {
            if (e instanceof AccessSite s && s.thread() == c.thread() && s.ref() == c.ref()) return s;
        }
        return null;
    }

    private static TxAbort abortAfter(Contention c) {
        int i = events.indexOf(c);
        for (Event e : events.subList(i + 1, events.size())) {
            if (e instanceof TxAbort a && a.thread() == c.thread()) return a;
        }
        return fail("no abort after " + c);
    }

    private static long thread(Event e) {
        if (e instanceof TxAbort a) return a.thread();
        if (e instanceof WaitBegin w) return w.thread();
        if (e instanceof WaitEnd w) return w.thread();
        if (e instanceof Contention c) return c.thread();
        if (e instanceof AccessSite s) return s.thread();
        if (e instanceof TxCommit c) return c.thread();
        if (e instanceof TxCommits c) return c.thread();
        if (e instanceof TxStart s) return s.thread();
        return -1;
    }

    /** The lines of the program's {@code // site:NAME} comments, by name. */
    private static Map<String, Integer> sites(Path source) throws IOException {
        Map<String, Integer> out = new HashMap<>();
        Pattern p = Pattern.compile("// site:([\\w-]+)");
        List<String> lines = Files.readAllLines(source);
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = p.matcher(lines.get(i));
            if (m.find()) out.put(m.group(1), i + 1);
        }
        return out;
    }

    /** The planted program's classes with ScalaSTM and the Scala library, and nothing of the agent's. */
    private static String classpath() {
        String cp = Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(e -> e.endsWith("test-classes") || e.contains("scala-stm_2.13") || e.contains("scala-library"))
                .collect(Collectors.joining(File.pathSeparator));
        assertTrue(cp.contains("scala-stm_2.13") && cp.contains("scala-library"), "ScalaSTM on the test class path: " + cp);
        return cp;
    }

    /** A child JVM with the shaded agent and STM_LOG, run to its end (at most {@value #TIMEOUT_SECONDS} s). */
    private record Child(int exit, String stdout, String stderr) {
        static Child run(Path dir, String name, Path log, String classpath, String mainClass) throws Exception {
            String agent = System.getProperty("stmlog.agent.jar");
            assertNotNull(agent, "stmlog.agent.jar (set by the pom)");
            assertTrue(Files.isRegularFile(Path.of(agent)), agent);
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Path out = dir.resolve(name + ".out");
            Path err = dir.resolve(name + ".err");
            ProcessBuilder pb = new ProcessBuilder(java, "-javaagent:" + agent, "-Xmx256m", "-cp", classpath, mainClass)
                    .redirectOutput(out.toFile()).redirectError(err.toFile());
            pb.environment().put("STM_LOG", log.toString());
            Process p = pb.start();
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                fail(name + " did not finish in " + TIMEOUT_SECONDS + " s; stderr:\n" + Files.readString(err));
            }
            String stderr = Files.readString(err).lines()
                    .filter(l -> !l.startsWith("stmlog: recorded ")) // the line at exit, when recorded
                    .collect(Collectors.joining("\n"));
            return new Child(p.exitValue(), Files.readString(out), stderr);
        }

        String stdoutValue(String key) {
            return stdout.lines().filter(l -> l.startsWith(key + " ")).map(l -> l.substring(key.length() + 1)).findFirst()
                    .orElseGet(() -> fail("no '" + key + "' in the program's output:\n" + stdout));
        }
    }
}
