package dev.stmlog.analyzer.export;

import dev.stmlog.analyzer.AnalysisOptions;
import dev.stmlog.analyzer.RuntimeFrames;
import dev.stmlog.analyzer.ThreadId;
import dev.stmlog.format.EventVisitor;
import dev.stmlog.format.event.AbortCause;
import dev.stmlog.format.event.BecomeInevitable;
import dev.stmlog.format.event.ContentionKind;
import dev.stmlog.format.event.DataLoss;
import dev.stmlog.format.event.Event;
import dev.stmlog.format.event.Frame;
import dev.stmlog.format.event.GcPause;
import dev.stmlog.format.event.Metadata;
import dev.stmlog.format.event.Stack;
import dev.stmlog.format.event.ValueChange;
import dev.stmlog.format.event.ThreadStart;
import dev.stmlog.format.event.UntimedStart;
import dev.stmlog.format.event.UserMarks;
import dev.stmlog.format.event.WaitKind;
import dev.stmlog.reports.export.ChromeTraceWriter;
import dev.stmlog.reports.export.ChromeTraceWriter.Colour;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One log's events as a Chrome trace ({@link ChromeTraceWriter}), streamed: each attempt a
 * slice on its thread's track when it ends, coloured by outcome; waits as slices (nested in the
 * attempt they happen in); quiet commits, which the runtime counts rather than times, as a
 * counter track per thread (counts per interval: they have no slices to show); each conflict as
 * an arrow from the other side's last commit to the victim's attempt; GC pauses, marks and lost
 * data as instants. Memory: one small record per thread.
 *
 * <p>Each log is a process in the trace ({@code pid}: its position on the command line, from 1)
 * and its times are moved onto the shared time line by {@code offset}, as the analysis does.
 */
public final class TraceExport implements EventVisitor {
    private final ChromeTraceWriter out;
    private final int pid;
    private final String fileName;
    private final long offset;
    private final long from;
    private final long to;
    private final int file;
    private final String threadFilter;
    private final long[] flowIds;
    private final Map<Long, Track> tracks = new HashMap<>();

    /** A thread's attempt in progress, its wait, and the conflict that will end the attempt. */
    private static final class Track {
        final long id;
        String name;
        boolean included;
        long attemptStart = -1;
        boolean estimatedStart;
        boolean inevitable;
        long waitStart = -1;
        ContentionKind conflict;
        long conflictTime;
        long otherThread;
        String label;
        Stack victim;
        Stack other;
        long lastCommit = -1;

        Track(long id) {
            this.id = id;
            this.name = "thread " + id;
        }
    }

    /**
     * @param file    the log's position on the command line, counted from 0 (its pid in the trace: file + 1)
     * @param offset  nanoseconds to add to this log's times (see {@code Analyzer.offsets})
     * @param flowIds one counter shared by every log's export, so that arrows never share an id
     */
    public TraceExport(ChromeTraceWriter out, int file, String fileName, long offset, AnalysisOptions options,
                       long[] flowIds) {
        this.out = out;
        this.file = file;
        this.pid = file + 1;
        this.fileName = fileName;
        this.offset = offset;
        this.from = options.fromNanos();
        this.to = options.toNanos();
        this.threadFilter = options.thread();
        this.flowIds = flowIds;
        out.processName(pid, fileName);
    }

    @Override
    public void metadata(Metadata m) {
        out.processName(pid, fileName + " (pid " + m.pid() + ")");
    }

    private Track track(long thread) {
        Track t = tracks.get(thread);
        if (t == null) {
            t = new Track(thread);
            t.included = threadFilter == null || ThreadId.matchesId(threadFilter, file, thread);
            tracks.put(thread, t);
            if (t.included) out.threadName(pid, thread, t.name);
        }
        return t;
    }

    @Override
    public void txStart(long time, long thread) {
        Track t = track(thread);
        t.attemptStart = time + offset;
        t.estimatedStart = false;
        t.inevitable = false;
        t.conflict = null;
    }

    @Override
    public void txCommit(long time, long thread) {
        Track t = track(thread);
        long end = time + offset;
        if (t.attemptStart >= 0) {
            attempt(t, end, t.inevitable ? "inevitable commit" : "commit",
                    t.inevitable ? Colour.INEVITABLE : Colour.GOOD, Map.of());
        }
        t.lastCommit = end;
        t.attemptStart = -1;
    }

    @Override
    public void txCommits(long time, long thread, long count, long busyNanos) {
        Track t = track(thread);
        long at = time + offset;
        t.lastCommit = at; // the last of them ended by now: the best an arrow can do
        if (t.included && inWindow(at)) {
            Map<String, Long> series = new LinkedHashMap<>();
            series.put("commits", count);
            series.put("busy_us", busyNanos / 1000);
            out.counter(pid, "quiet commits: " + t.name, at, series);
        }
    }

    @Override
    public void txAbort(long time, long thread, AbortCause cause) {
        Track t = track(thread);
        long end = time + offset;
        if (t.attemptStart >= 0) {
            Map<String, Object> args = new LinkedHashMap<>();
            args.put("cause", cause.name());
            String name = "abort: " + cause.name();
            if (t.conflict != null) {
                name = "abort: " + t.conflict.name()
                        + (t.victim != null && !t.victim.isEmpty() ? " at " + userTop(t.victim) : "");
                args.put("kind", t.conflict.name());
                if (t.label != null) args.put("ref", t.label);
                if (t.victim != null && !t.victim.isEmpty()) args.put("victim", userTop(t.victim).toString());
                if (t.other != null && !t.other.isEmpty()) args.put("other side", userTop(t.other).toString());
                if (t.otherThread != 0) args.put("other thread", t.otherThread);
            }
            attempt(t, end, name, Colour.BAD, args);
            if (t.conflict != null && t.otherThread != 0 && t.included) arrow(t);
        }
        t.attemptStart = -1;
        t.conflict = null;
    }

    private static Frame userTop(Stack stack) {
        return stack.frames().get(RuntimeFrames.firstUserFrame(stack.frames()));
    }

    /**
     * An arrow from the other side to the victim's attempt, at the conflict. It starts at the
     * other side's last commit before the conflict when this log has shown one already (its
     * events may come later in the file, a chunk at a time), else at the conflict's time on the
     * other thread's track.
     */
    private void arrow(Track victim) {
        Track other = track(victim.otherThread);
        if (!other.included || !inWindow(victim.conflictTime)) return;
        long fromTime = other.lastCommit >= 0 && other.lastCommit <= victim.conflictTime
                ? Math.max(0, other.lastCommit - 1) // inside the commit's slice, which ends there
                : victim.conflictTime;
        if (!inWindow(fromTime)) fromTime = victim.conflictTime;
        out.flow(++flowIds[0], victim.conflict.name(), pid, other.id, fromTime, victim.id, victim.conflictTime);
    }

    private void attempt(Track t, long end, String name, Colour colour, Map<String, Object> more) {
        if (!t.included) return;
        long start = Math.max(t.attemptStart, from);
        long stop = Math.min(end, to);
        if (stop < start) return; // outside the window
        Map<String, Object> args = new LinkedHashMap<>(more);
        if (t.estimatedStart) args.put("start", "estimated (not timed by the runtime)");
        out.slice(pid, t.id, name, "attempt", start, stop - start, colour, args);
    }

    @Override
    public void waitBegin(long time, long thread, WaitKind kind) {
        track(thread).waitStart = time + offset;
    }

    @Override
    public void waitEnd(long time, long thread, WaitKind kind) {
        Track t = track(thread);
        long end = time + offset;
        if (t.waitStart >= 0 && t.included) {
            long start = Math.max(t.waitStart, from);
            long stop = Math.min(end, to);
            if (stop >= start) {
                out.slice(pid, t.id, "wait: " + kind.name(), "wait", start, stop - start, Colour.WAIT, Map.of());
            }
        }
        t.waitStart = -1;
    }

    @Override
    public void contention(long time, long thread, ContentionKind kind, long otherThread, Stack victimStack,
                           Stack otherStack, Stack readStack, String label, long ref, boolean victimAtEntry,
                               ValueChange otherChange, long otherNanos) {
        Track t = track(thread);
        t.conflict = kind;
        t.conflictTime = time + offset;
        t.otherThread = otherThread;
        t.label = label;
        t.victim = victimStack;
        t.other = otherStack;
    }

    @Override
    public void mark(long time, long thread, String name, long value) {
        Track t = track(thread);
        long at = time + offset;
        if (t.included && inWindow(at)) out.instant(pid, thread, name, "mark", at, false, Map.of("value", value));
    }

    @Override
    public void event(Event e) {
        Track t = track(e.thread());
        long at = e.time() + offset;
        if (e instanceof ThreadStart s) {
            t.name = s.name();
            if (s.name().equals(threadFilter)) t.included = true;
            if (t.included) out.threadName(pid, t.id, s.name());
        } else if (e instanceof BecomeInevitable) {
            t.inevitable = true;
        } else if (e instanceof UntimedStart) {
            t.estimatedStart = true;
        } else if (e instanceof UserMarks m) {
            if (t.included && inWindow(at)) {
                out.instant(pid, t.id, m.name(), "mark", at, false, ordered("count", m.count(), "sum", m.sum()));
            }
        } else if (e instanceof GcPause g) {
            if (inWindow(at)) {
                out.instant(pid, t.id, "GC pause", "gc", at, true,
                        ordered("collector", g.collector(), "duration_us", g.durationNanos() / 1000));
            }
        } else if (e instanceof DataLoss d) {
            if (inWindow(at)) out.instant(pid, t.id, "events lost", "damage", at, true, Map.of("count", d.count()));
        }
        // access sites: already part of the conflicts they explain
    }

    /** Two arguments in this order (Map.of's order changes from one JVM to the next). */
    private static Map<String, Object> ordered(String k1, Object v1, String k2, Object v2) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(k1, v1);
        m.put(k2, v2);
        return m;
    }

    private boolean inWindow(long time) {
        return time >= from && time < to;
    }
}
