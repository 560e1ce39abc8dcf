package dev.stmlog.agent;

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
import dev.stmlog.format.event.WaitBegin;
import dev.stmlog.format.event.WaitEnd;
import dev.stmlog.format.event.WaitKind;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import stmlog.planted.ScalaStmPlanted;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
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
    private static final String LABEL = ScalaStmPlanted.class.getName() + ".";

    @TempDir
    static Path dir;

    private static ChildJvm.Result planted;
    private static RecordedLog log;
    private static Metadata metadata;
    private static Map<String, Integer> sites;

    @BeforeAll
    static void runPlanted() throws Exception {
        sites = sites();
        Path file = dir.resolve("planted.stmlog");
        planted = ChildJvm.run(dir, Map.of("STM_LOG", file.toString()), List.of(
                "-javaagent:" + ChildJvm.agentJar(), "-Xmx256m", "-cp", classpath(), ScalaStmPlanted.class.getName()));
        assertEquals(0, planted.status(), () -> "the planted program failed:\n" + planted.err());
        log = new RecordedLog(file);
        try (LogReader reader = LogReader.open(file)) {
            reader.read(new EventVisitor() {
                @Override
                public void event(Event e) {
                }

                @Override
                public void metadata(Metadata m) {
                    metadata = m;
                }
            }, 0);
        }
    }

    @Test
    void theLogSaysScalaStmRecordedIt() {
        assertNotNull(metadata);
        assertEquals("ScalaSTM", metadata.user().get("stm"));
        assertEquals("agent", metadata.user().get("recorder"));
        assertEquals(List.of(), planted.errLines().stream().filter(l -> !l.startsWith("stmlog: recorded ")).toList());
    }

    @Test
    void committedCountsAreTheAtomicBlocksThatRan() {
        assertEquals(Long.parseLong(outputValue("blocks")), log.committed());
    }

    @Test
    void theHeldCounterIsAWriteWriteConflictAtEitherWrite() {
        List<Contention> onCounter = contentions(ContentionKind.WRITE_WRITE, "counter");
        assertFalse(onCounter.isEmpty(), () -> "no write-write conflict on counter: " + log.contentions());
        Set<Integer> writes = Set.of(sites.get("counter-a"), sites.get("counter-b"));
        for (Contention c : onCounter) {
            Frame victim = log.victim(c);
            assertNotNull(victim, () -> "the victim's write of counter was not recorded: " + c);
            assertEquals(FILE, victim.file());
            assertTrue(writes.contains(victim.line()), () -> "victim at " + victim + ", not at a write of counter");
            // whichever lost, the winner is the other planted thread, known from its transaction
            assertTrue(c.otherThread() != Contention.UNKNOWN_THREAD && c.otherThread() != c.thread(),
                    () -> "other side's thread unknown: " + c);
            assertEquals(AbortCause.CONFLICT, abortAfter(c).cause());
        }
    }

    @Test
    void aStaleReadMetAtTheReadIsAWriteReadConflictThere() {
        List<Contention> onConfig = contentions(ContentionKind.WRITE_READ, "config");
        assertEquals(1, onConfig.size(), () -> "write-read conflicts on config: " + log.contentions());
        Contention c = onConfig.get(0);
        assertFalse(c.victimAtEntry());
        assertFalse(c.victimStack().isEmpty(), "the victim's stack was taken at the read");
        assertEquals(FILE, c.victimStack().top().file());
        assertEquals(sites.get("config-read-fault"), c.victimStack().top().line());
        assertTrue(c.victimStack().frames().stream().noneMatch(f -> f.className().startsWith("scala.")
                || f.className().startsWith("dev.stmlog.agent.")), () -> "ScalaSTM's or the agent's frames kept: " + c.victimStack());
        assertEquals(AbortCause.CONFLICT, abortAfter(c).cause());
    }

    @Test
    void aStaleReadFoundAtCommitIsCompletedByTheRerunsRead() {
        List<Contention> onLimit = contentions(ContentionKind.WRITE_READ, "limit");
        assertEquals(1, onLimit.size(), () -> "write-read conflicts on limit: " + log.contentions());
        Contention c = onLimit.get(0);
        assertTrue(c.victimStack().isEmpty(), () -> "met at commit, the victim's access is the re-run's: " + c);
        AccessSite site = completion(c);
        assertNotNull(site, () -> "no access completes " + c);
        assertEquals(AccessKind.READ, site.access());
        assertEquals(FILE, site.stack().top().file());
        assertEquals(sites.get("limit-read"), site.stack().top().line());
    }

    @Test
    void aBlockingRetryIsAnExplicitRetryAbortThenARetryWait() {
        List<TxAbort> retries = log.events.stream()
                .filter(e -> e instanceof TxAbort a && a.cause() == AbortCause.EXPLICIT_RETRY).map(e -> (TxAbort) e).toList();
        assertEquals(1, retries.size(), "one planted retry, one retry abort");
        TxAbort retry = retries.get(0);
        List<Event> after = log.events.stream().filter(e -> e.thread() == retry.thread())
                .dropWhile(e -> e != retry).skip(1).limit(2).toList();
        assertEquals(2, after.size(), () -> "after the retry: " + after);
        assertTrue(after.get(0) instanceof WaitBegin w && w.kind() == WaitKind.RETRY, () -> "after the retry: " + after);
        assertTrue(after.get(1) instanceof WaitEnd w && w.kind() == WaitKind.RETRY, () -> "after the retry: " + after);
    }

    @Test
    void theThrowingBlockIsAnExceptionAbort() {
        assertEquals(1, log.aborted(AbortCause.EXCEPTION), "one planted throwing block");
    }

    @Test
    void everyConflictIsAPlantedOne() {
        Set<String> planted = Set.of(LABEL + "counter", LABEL + "config", LABEL + "limit");
        for (Contention c : log.contentions()) {
            assertTrue(planted.contains(c.label()), () -> "an unplanted conflict: " + c);
        }
        assertNull(log.marks().stream().filter(m -> m.name().startsWith("scalastm.")).findFirst().orElse(null),
                "no rollback of another cause");
    }

    // ---------------------------------------------------------------- helpers

    private static List<Contention> contentions(ContentionKind kind, String field) {
        return log.contentions().stream().filter(c -> c.kind() == kind && (LABEL + field).equals(c.label())).toList();
    }

    /** The victim thread's first access site of the contended ref after the contention. */
    private static AccessSite completion(Contention c) {
        List<Event> events = log.events;
        for (Event e : events.subList(events.indexOf(c) + 1, events.size())) {
            if (e instanceof AccessSite s && s.thread() == c.thread() && s.ref() == c.ref()) return s;
        }
        return null;
    }

    private static TxAbort abortAfter(Contention c) {
        List<Event> events = log.events;
        for (Event e : events.subList(events.indexOf(c) + 1, events.size())) {
            if (e instanceof TxAbort a && a.thread() == c.thread()) return a;
        }
        return fail("no abort after " + c);
    }

    private static String outputValue(String key) {
        return planted.out().lines().filter(l -> l.startsWith(key + " ")).map(l -> l.substring(key.length() + 1))
                .findFirst().orElseGet(() -> fail("no '" + key + "' in the program's output:\n" + planted.out()));
    }

    /** The lines of the program's {@code // site:NAME} comments, by name. */
    private static Map<String, Integer> sites() throws IOException {
        Map<String, Integer> out = new HashMap<>();
        Pattern p = Pattern.compile("// site:([\\w-]+)");
        List<String> lines = Files.readAllLines(SOURCE);
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = p.matcher(lines.get(i));
            if (m.find()) out.put(m.group(1), i + 1);
        }
        return out;
    }

    /** The planted program's classes, ScalaSTM and the Scala library: nothing of the agent's. */
    private static String classpath() {
        List<Path> entries = Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(e -> e.endsWith("test-classes") || e.contains("scala-stm_2.13") || e.contains("scala-library"))
                .map(Path::of).toList();
        assertEquals(3, entries.size(), () -> "the test classes, ScalaSTM and scala-library on the class path: " + entries);
        return ChildJvm.classpath(entries);
    }
}
