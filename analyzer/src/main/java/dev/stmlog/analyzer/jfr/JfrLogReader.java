package dev.stmlog.analyzer.jfr;

import dev.stmlog.format.Damage;
import dev.stmlog.format.EventVisitor;
import dev.stmlog.format.ReadResult;
import dev.stmlog.format.Trailer;
import dev.stmlog.format.event.AbortCause;
import dev.stmlog.format.event.BecomeInevitable;
import dev.stmlog.format.event.Contention;
import dev.stmlog.format.event.ContentionKind;
import dev.stmlog.format.event.Frame;
import dev.stmlog.format.event.Metadata;
import dev.stmlog.format.event.Stack;
import dev.stmlog.format.event.ValueChange;
import dev.stmlog.format.event.ThreadStart;
import dev.stmlog.format.event.WaitKind;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Reads a JFR recording's {@code dev.stmlog.*} events (written by the runtime while a Flight
 * Recording ran, see the runtime's README) as stmlog events, so that the analyzer's verbs work on
 * a {@code .jfr} file as on a {@code .stmlog} log of the same run: {@code top} ranks the same
 * sites.
 *
 * <p>The mapping (times become nanoseconds since the first stmlog event; threads keep their Java
 * thread ids, and each gets a {@link ThreadStart} with its name):
 * <ul>
 *   <li>{@code dev.stmlog.Conflict} → the aborted attempt: {@code txStart} at the abort time less
 *       its Lost Time, a {@link Contention} of its kind with the victim's and the other side's
 *       frames, the Ref's label and id, what the other side's commit did to the value and how long
 *       its attempt ran (from runtimes whose events carry them; else not known), then
 *       {@code txAbort(CONFLICT)}; one that {@code waited}
 *       for an inevitable transaction → a {@link Contention} INEVITABLE and the wait
 *       ({@code waitBegin}/{@code waitEnd} INEVITABLE, the event's duration);</li>
 *   <li>{@code dev.stmlog.Transaction} (when the recording enabled it, off by default; only those
 *       above its threshold) → its last
 *       attempt: committed, one {@code txCommits} at its end with the attempt's time; rolled back,
 *       {@code txStart}/{@code txAbort(EXCEPTION)}; set aside, {@code txAbort(EXPLICIT_RETRY)};</li>
 *   <li>{@code dev.stmlog.Inevitable} → {@link BecomeInevitable} at its start, with its site.</li>
 * </ul>
 * Events are sorted per recording by the time each ends its part (a conflict at its abort, a
 * transaction at its end): a recording's chunks are not in time order across threads. The whole
 * set is held in memory: these events are per conflict, not per access. Commits below the
 * Transaction threshold are not in a recording, so the commit counts and rates are not the
 * program's; the conflicts, their sites and their lost time are.
 */
public final class JfrLogReader {
    /** JFR's file magic: {@code FLR\0}. */
    private static final byte[] MAGIC = {'F', 'L', 'R', 0};
    private static final String PREFIX = "dev.stmlog.";
    private static final String CONFLICT = "dev.stmlog.Conflict";
    private static final String TRANSACTION = "dev.stmlog.Transaction";
    private static final String INEVITABLE = "dev.stmlog.Inevitable";

    private final EventVisitor visitor;
    private final Map<String, Stack> stacks = new HashMap<>();
    private final Set<Long> threadsSeen = new HashSet<>();
    private long emitted;

    private JfrLogReader(EventVisitor visitor) {
        this.visitor = visitor;
    }

    /** Whether {@code file} starts with JFR's magic. */
    public static boolean accepts(Path file) throws IOException {
        byte[] head = new byte[MAGIC.length];
        try (InputStream in = Files.newInputStream(file)) {
            if (in.readNBytes(head, 0, head.length) < head.length) return false;
        }
        return accepts(head);
    }

    /** Whether a file's first bytes, {@code start}, are JFR's magic (what a log source's {@code accepts} is given). */
    public static boolean accepts(byte[] start) {
        return start.length >= MAGIC.length && Arrays.equals(start, 0, MAGIC.length, MAGIC, 0, MAGIC.length);
    }

    /** {@link #read(Path, String, EventVisitor, Consumer)} named by the path. */
    public static ReadResult read(Path file, EventVisitor visitor, Consumer<String> warn) throws IOException {
        return read(file, file.toString(), visitor, warn);
    }

    /**
     * Reads the stmlog events of the recording {@code file} to {@code visitor}.
     *
     * @param warn receives one-line warnings (none so far)
     * @throws NoStmlogEventsException when the recording has no stmlog event
     * @throws IOException when it cannot be read as a recording
     */
    public static ReadResult read(Path file, String displayName, EventVisitor visitor, Consumer<String> warn)
            throws IOException {
        List<Item> items = new ArrayList<>();
        long records = 0;
        Map<String, String> jvm = new LinkedHashMap<>();
        try (RecordingFile r = new RecordingFile(file)) {
            while (r.hasMoreEvents()) {
                RecordedEvent e = r.readEvent();
                records++;
                String name = e.getEventType().getName();
                if (name.startsWith(PREFIX)) {
                    items.add(new Item(e));
                } else if (name.equals("jdk.JVMInformation") && jvm.isEmpty()) {
                    jvm.put("jvmName", e.getString("jvmName") + " " + e.getString("jvmVersion"));
                    jvm.put("javaArguments", String.valueOf(e.getString("javaArguments")));
                    jvm.put("pid", Long.toString(e.getLong("pid")));
                }
            }
        }
        if (items.isEmpty()) throw new NoStmlogEventsException(displayName);
        items.sort(Comparator.comparingLong((Item i) -> i.at).thenComparingLong(i -> i.thread));
        long base = items.stream().mapToLong(i -> i.start).min().orElse(0);
        Map<String, String> user = new LinkedHashMap<>();
        user.put("source", "jfr");
        user.put("timing", "exact"); // every conflict's attempt is timed
        Metadata metadata = new Metadata(Long.parseLong(jvm.getOrDefault("pid", "0")), jvm.getOrDefault("javaArguments", ""),
                jvm.getOrDefault("jvmName", "?"), 0, 0, base, 0, user);
        JfrLogReader reader = new JfrLogReader(visitor);
        visitor.metadata(metadata);
        for (Item i : items) reader.emit(i, base);
        Damage none = new Damage(-1, 0, 0, 0, 0, 0, 0, List.of());
        // RecordingFile read it to its end, every chunk whole (it throws otherwise): a closed file
        // with nothing lost, which is what a stmlog log's trailer says
        long end = items.stream().mapToLong(i -> i.start).max().orElse(base) - base;
        Trailer closed = new Trailer(0, reader.emitted, 0, end);
        return new ReadResult(displayName, "JFR", metadata, 0, records, reader.emitted, 0, closed, none);
    }

    /** What is kept of one stmlog event: its thread, times (epoch ns) and the event itself. */
    private static final class Item {
        final RecordedEvent event;
        final String name;
        final long thread;
        final String threadName;
        final long start;
        final long end;
        /** When its part ends: the sort key. */
        final long at;

        Item(RecordedEvent e) {
            event = e;
            name = e.getEventType().getName();
            RecordedThread t = e.getThread();
            thread = t == null ? 0 : t.getJavaThreadId();
            threadName = t == null ? "thread ?" : t.getJavaName();
            start = nanos(e.getStartTime());
            end = nanos(e.getEndTime());
            at = name.equals(TRANSACTION) ? end : start;
        }
    }

    private void emit(Item i, long base) {
        long th = i.thread;
        RecordedEvent e = i.event;
        if (threadsSeen.add(th)) {
            emitted++;
            visitor.event(new ThreadStart(i.start - base, th, i.threadName == null ? "thread " + th : i.threadName));
        }
        switch (i.name) {
            case CONFLICT -> {
                long t = i.start - base;
                if (e.hasField("waited") && e.getBoolean("waited")) {
                    // a wait for an inevitable transaction: the contention, and the wait it paused for
                    visitor.contention(t, th, ContentionKind.INEVITABLE, otherThread(e), stack(e.getString("victimFrames")),
                            stack(e.getString("otherFrames")), Stack.EMPTY, null, 0, e.getBoolean("victimAtEntry"),
                            ValueChange.NOT_KNOWN, Contention.UNKNOWN_NANOS);
                    visitor.waitBegin(t, th, WaitKind.INEVITABLE);
                    visitor.waitEnd(i.end - base, th, WaitKind.INEVITABLE);
                    emitted += 3;
                    return;
                }
                long lost = Math.max(0, longField(e, "lostTime"));
                ContentionKind kind = kind(e.getString("kind"));
                visitor.txStart(t - lost, th);
                visitor.contention(t, th, kind, otherThread(e),
                        stack(e.getString("victimFrames")), stack(e.getString("otherFrames")), Stack.EMPTY,
                        e.getString("refLabel"), Math.max(0, longField(e, "refId")), e.getBoolean("victimAtEntry"),
                        otherChange(e), otherNanos(e));
                visitor.txAbort(t, th, AbortCause.CONFLICT);
                emitted += 3;
            }
            case TRANSACTION -> {
                long t = i.end - base;
                long last = Math.max(0, Math.min(longField(e, "lastAttempt"), i.end - i.start));
                String outcome = String.valueOf(e.getString("outcome"));
                if (outcome.equals("committed")) {
                    visitor.txCommits(t, th, 1, last);
                    emitted++;
                } else {
                    visitor.txStart(t - last, th);
                    visitor.txAbort(t, th, outcome.equals("set aside") ? AbortCause.EXPLICIT_RETRY : AbortCause.EXCEPTION);
                    emitted += 2;
                }
            }
            case INEVITABLE -> {
                visitor.event(new BecomeInevitable(i.start - base, th, stack(e.getString("site"))));
                emitted++;
            }
            default -> { } // a later event of the runtime: nothing the model has
        }
    }

    /** What the other side's commit did to the value; NOT_KNOWN from a runtime whose events lack the field. */
    private static ValueChange otherChange(RecordedEvent e) {
        String v = e.hasField("otherChange") ? e.getString("otherChange") : null;
        for (ValueChange c : ValueChange.values()) {
            if (c.name().equals(v)) return c;
        }
        return ValueChange.NOT_KNOWN;
    }

    /** How long the other side's committing attempt ran (0 in the event: not known). */
    private static long otherNanos(RecordedEvent e) {
        long nanos = longField(e, "otherAttemptTime");
        return nanos > 0 ? nanos : Contention.UNKNOWN_NANOS;
    }

    private static long otherThread(RecordedEvent e) {
        long other = longField(e, "otherThreadId");
        return other > 0 ? other : Contention.UNKNOWN_THREAD;
    }

    private static long longField(RecordedEvent e, String field) {
        return e.hasField(field) ? e.getLong(field) : 0;
    }

    private static ContentionKind kind(String k) {
        if (k == null) return ContentionKind.WRITE_READ;
        return switch (k) {
            case "WRITE_WRITE" -> ContentionKind.WRITE_WRITE;
            case "INEVITABLE" -> ContentionKind.INEVITABLE;
            default -> ContentionKind.WRITE_READ;
        };
    }

    /** The frames of a field ({@code pkg.Class.method(File.java:42)} per line), one Stack per text. */
    private Stack stack(String text) {
        if (text == null || text.isBlank()) return Stack.EMPTY;
        return stacks.computeIfAbsent(text, JfrLogReader::parse);
    }

    static Stack parse(String text) {
        List<Frame> frames = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (!line.isBlank()) frames.add(frame(line.trim()));
        }
        return new Stack(frames);
    }

    /** One frame as {@link Frame#toString()} (and {@link StackTraceElement}) prints it. */
    static Frame frame(String s) {
        int open = s.lastIndexOf('(');
        if (open < 0 || !s.endsWith(")")) return new Frame(s, "", null, -1);
        String where = s.substring(open + 1, s.length() - 1);
        String qualified = s.substring(0, open);
        int dot = qualified.lastIndexOf('.');
        String cls = dot < 0 ? qualified : qualified.substring(0, dot);
        String method = dot < 0 ? "" : qualified.substring(dot + 1);
        String file = where;
        int line = -1;
        int colon = where.lastIndexOf(':');
        if (colon >= 0) {
            try {
                line = Integer.parseInt(where.substring(colon + 1));
                file = where.substring(0, colon);
            } catch (NumberFormatException ignored) {
                // a file name with a colon and no line
            }
        }
        if (file.equals("Unknown Source")) file = null;
        return new Frame(cls, method, file, line);
    }

    private static long nanos(Instant t) {
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }
}
