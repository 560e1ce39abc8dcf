package dev.stmlog.agent;

import dev.stmlog.format.event.AbortCause;
import dev.stmlog.format.event.Contention;
import dev.stmlog.format.event.ContentionKind;
import dev.stmlog.format.event.Frame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The real Clojure (each supported version) running the planted program (test resource
 * stmlog/planted.clj) in a child JVM with the agent: each planted conflict is in the log with its
 * kind, its ref's label and its .clj line, and every dosync that ran is counted committed.
 */
class ClojureAgentIT {
    private static final Pattern DOSYNCS = Pattern.compile("(?m)^dosyncs (\\d+)$");

    @TempDir
    Path dir;

    /** A run of the planted program in {@code mode}, recorded. */
    private record Run(RecordedLog log, long dosyncs, ChildJvm.Result result) {
    }

    private Run run(String version, String mode) throws Exception {
        Path log = dir.resolve(version + "-" + mode + ".stmlog");
        List<Path> cp = new ArrayList<>(ChildJvm.clojure(version));
        cp.add(Planted.root());
        ChildJvm.Result r = ChildJvm.run(dir, Map.of("STM_LOG", log.toString()), List.of(
                "-javaagent:" + ChildJvm.agentJar(), "-cp", ChildJvm.classpath(cp), "clojure.main", "-m", "stmlog.planted", mode));
        assertEquals(0, r.status(), r.err());
        assertEquals(List.of(), r.errLines().stream().filter(l -> !l.startsWith("stmlog: recorded ")).toList(), r.err());
        assertEquals(1, r.errLines().size(), r.err());
        assertTrue(r.err().contains(" to " + log), r.err());
        Matcher m = DOSYNCS.matcher(r.out());
        if (!m.find()) fail("no dosyncs count in " + r.out());
        RecordedLog read = new RecordedLog(log);
        assertFalse(read.result.damage().isDamaged(), read.result.damage().toString());
        assertEquals(0, read.result.damage().eventsLost());
        return new Run(read, Long.parseLong(m.group(1)), r);
    }

    private static Frame frame(String function, int line) {
        return new Frame(function, "", Planted.FILE, line);
    }

    private static List<Contention> on(RecordedLog log, String label) {
        return log.contentions().stream().filter(c -> label.equals(c.label())).toList();
    }

    /** The contentions on {@code label} whose victim is at {@code line} of the planted file. */
    private static List<Contention> at(RecordedLog log, String label, ContentionKind kind, Predicate<Frame> victim) {
        return on(log, label).stream().filter(c -> c.kind() == kind && victim.test(log.victim(c))).toList();
    }

    private static Predicate<Frame> line(String functionPrefix, int line) {
        return f -> f != null && f.className().startsWith(functionPrefix) && f.method().isEmpty()
                && Planted.FILE.equals(f.file()) && f.line() == line;
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.10.3", "1.11.4", "1.12.3"})
    void everyPlantedConflictIsRecordedAtItsCljLine(String version) throws Exception {
        long loading = run(version, "load").log.committed(); // clojure.core's own dosyncs while loading
        Run alter = run(version, "alter");
        RecordedLog log = alter.log;

        assertEquals(loading + alter.dosyncs, log.committed(), "committed attempts = dosync blocks run");
        assertEquals(log.contentions().size(), log.aborted(AbortCause.CONFLICT), "one contention per conflict abort");
        assertEquals(0, log.aborted(AbortCause.EXCEPTION));

        // B's alter of counter met A holding it: write-write at the alter line, then a lock wait
        Frame alterLine = frame("stmlog.planted/bump!", Planted.line("counter-alter"));
        List<Contention> counter = at(log, "stmlog.planted/counter", ContentionKind.WRITE_WRITE, alterLine::equals);
        assertFalse(counter.isEmpty(), log.contentions().toString());
        assertTrue(counter.stream().anyMatch(log::lockWaitAfter));

        // L's second read of config found no version old enough: a read fault, write-read
        assertFalse(at(log, "stmlog.planted/config", ContentionKind.WRITE_READ,
                line("stmlog.planted/stale-read", Planted.line("config-read-fault"))).isEmpty(), log.contentions().toString());

        // W's ref-set of limit (labelled by metadata) waited out LOCK_WAIT_MSECS on E's ensure
        List<Contention> limit = at(log, "limit", ContentionKind.WRITE_WRITE,
                line("stmlog.planted/ensured-limit", Planted.line("limit-write")));
        assertFalse(limit.isEmpty(), log.contentions().toString());
        assertTrue(limit.stream().anyMatch(log::lockWaitAfter));

        // O barged Y off shared: the other side is O's thread at its alter, Y's victim its own alter
        List<Contention> barged = at(log, "stmlog.planted/shared", ContentionKind.WRITE_WRITE,
                line("stmlog.planted/barged", Planted.line("shared-victim")));
        Contention b = barged.stream().filter(c -> !c.otherStack().isEmpty()).findFirst().orElse(null);
        assertNotNull(b, log.contentions().toString());
        assertNotEquals(Contention.UNKNOWN_THREAD, b.otherThread());
        assertNotEquals(b.thread(), b.otherThread());
        assertTrue(line("stmlog.planted/barged", Planted.line("shared-barger")).test(b.otherStack().top()), b.toString());
    }

    @Test
    void commutingTheCounterMakesItsSiteDisappear() throws Exception {
        String version = "1.12.3";
        long loading = run(version, "load").log.committed();
        Run alter = run(version, "alter");
        Run commute = run(version, "commute");

        assertFalse(on(alter.log, "stmlog.planted/counter").isEmpty());
        assertEquals(List.of(), on(commute.log, "stmlog.planted/counter"));
        assertEquals(alter.dosyncs, commute.dosyncs);
        assertEquals(loading + commute.dosyncs, commute.log.committed());
        // the other planted conflicts are still there
        for (String label : List.of("stmlog.planted/config", "limit", "stmlog.planted/shared")) {
            assertFalse(on(commute.log, label).isEmpty(), label + ": " + commute.log.contentions());
        }
    }

    @Test
    void theLogSaysWhatRecordedIt() throws Exception {
        Run load = run("1.12.3", "load");
        assertEquals("stmlog-agent 0.1.0", load.log.result.writerVersion());
        assertEquals("agent", load.log.result.metadata().user().get("recorder"));
        assertEquals("Clojure refs", load.log.result.metadata().user().get("stm"));
        assertTrue(Files.size(dir.resolve("1.12.3-load.stmlog")) > 0);
    }
}
