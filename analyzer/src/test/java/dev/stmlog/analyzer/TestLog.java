package dev.stmlog.analyzer;

import dev.stmlog.format.LogWriter;
import dev.stmlog.format.ThreadWriter;
import dev.stmlog.format.WriterOptions;
import dev.stmlog.format.event.AbortCause;
import dev.stmlog.format.event.Contention;
import dev.stmlog.format.event.ContentionKind;
import dev.stmlog.format.event.Event;
import dev.stmlog.format.event.Frame;
import dev.stmlog.format.event.GcPause;
import dev.stmlog.format.event.Metadata;
import dev.stmlog.format.event.Stack;
import dev.stmlog.format.event.ThreadStart;
import dev.stmlog.format.event.TxAbort;
import dev.stmlog.format.event.TxCommit;
import dev.stmlog.format.event.TxCommits;
import dev.stmlog.format.event.TxStart;
import dev.stmlog.format.event.UserMark;
import dev.stmlog.format.event.WaitBegin;
import dev.stmlog.format.event.WaitEnd;
import dev.stmlog.format.event.WaitKind;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Builds logs for tests with the real writer. Times are nanoseconds from the recording's start. */
public final class TestLog {
    public static final long MS = 1_000_000L;
    public static final long S = 1_000_000_000L;

    private final List<Event> events = new ArrayList<>();
    private long startEpochNanos = 1_700_000_000_000_000_000L;

    public static Frame frame(String cls, String method, String file, int line) {
        return new Frame(cls, method, file, line);
    }

    public TestLog startEpoch(long nanos) {
        startEpochNanos = nanos;
        return this;
    }

    public TestLog name(long thread, String name) {
        return add(new ThreadStart(0, thread, name));
    }

    public TestLog start(long thread, long t) {
        return add(new TxStart(t, thread));
    }

    public TestLog commit(long thread, long t) {
        return add(new TxCommit(t, thread));
    }

    /** {@code count} quiet transactions, the last ending at {@code t}, busy {@code busy} ns in all. */
    public TestLog commits(long thread, long t, long count, long busy) {
        return add(new TxCommits(t, thread, count, busy));
    }

    public TestLog abort(long thread, long t, AbortCause cause) {
        return add(new TxAbort(t, thread, cause));
    }

    public TestLog abort(long thread, long t) {
        return abort(thread, t, AbortCause.CONFLICT);
    }

    public TestLog contention(long thread, long t, ContentionKind kind, long other, List<Frame> victim,
                              List<Frame> otherFrames, String label) {
        return add(new Contention(t, thread, kind, other, new Stack(victim), new Stack(otherFrames), Stack.EMPTY, label));
    }

    public TestLog waitBegin(long thread, long t, WaitKind kind) {
        return add(new WaitBegin(t, thread, kind));
    }

    public TestLog waitEnd(long thread, long t, WaitKind kind) {
        return add(new WaitEnd(t, thread, kind));
    }

    public TestLog gc(long thread, long t, long duration) {
        return add(new GcPause(t, thread, "G1 Young Generation", duration));
    }

    public TestLog mark(long thread, long t, String name, long value) {
        return add(new UserMark(t, thread, name, value));
    }

    public TestLog add(Event e) {
        events.add(e);
        return this;
    }

    /** Writes the events, each through its thread's writer, in the order they were added. */
    public Path write(Path file) throws IOException {
        Metadata meta = new Metadata(4242, "java -jar test.jar", "OpenJDK 64-Bit Server VM 17", 2, 2,
                startEpochNanos, 5 * S, Map.of("mode", "stm"));
        WriterOptions options = WriterOptions.defaults().withCloseOnShutdown(false).withBufferSize(16 << 10)
                .withWarnings(w -> {});
        LogWriter log = LogWriter.open(file, meta, options);
        Map<Long, ThreadWriter> writers = new HashMap<>();
        for (Event e : events) writers.computeIfAbsent(e.thread(), log::forThread).write(e);
        log.close();
        return file;
    }
}
