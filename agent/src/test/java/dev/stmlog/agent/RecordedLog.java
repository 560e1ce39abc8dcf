package dev.stmlog.agent;

import dev.stmlog.format.LogReader;
import dev.stmlog.format.ReadResult;
import dev.stmlog.format.event.AbortCause;
import dev.stmlog.format.event.AccessKind;
import dev.stmlog.format.event.AccessSite;
import dev.stmlog.format.event.Contention;
import dev.stmlog.format.event.ContentionKind;
import dev.stmlog.format.event.Event;
import dev.stmlog.format.event.Frame;
import dev.stmlog.format.event.TxAbort;
import dev.stmlog.format.event.TxCommit;
import dev.stmlog.format.event.TxCommits;
import dev.stmlog.format.event.UserMark;
import dev.stmlog.format.event.WaitBegin;
import dev.stmlog.format.event.WaitEnd;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A log the agent wrote, read with log-format's reader: its events, in file order. */
final class RecordedLog {
    final List<Event> events = new ArrayList<>();
    final ReadResult result;

    RecordedLog(Path file) throws IOException {
        try (LogReader reader = LogReader.open(file)) {
            result = reader.read(events::add, 0);
        }
    }

    /** Attempts committed: TX_COMMIT records and the counts of COMMITS records. */
    long committed() {
        long n = 0;
        for (Event e : events) {
            if (e instanceof TxCommit) n++;
            else if (e instanceof TxCommits c) n += c.count();
        }
        return n;
    }

    long aborted(AbortCause cause) {
        return events.stream().filter(e -> e instanceof TxAbort a && a.cause() == cause).count();
    }

    List<Contention> contentions() {
        return events.stream().filter(e -> e instanceof Contention).map(e -> (Contention) e).toList();
    }

    List<UserMark> marks() {
        return events.stream().filter(e -> e instanceof UserMark).map(e -> (UserMark) e).toList();
    }

    /**
     * Where the contention hit its victim: its victim stack's first frame, or else (a conflict
     * met at commit) that of the ACCESS_SITE that completes it, as FORMAT.md says: the thread's
     * next access site of the same object and the kind's access. Null when neither.
     */
    Frame victim(Contention c) {
        if (!c.victimStack().isEmpty()) return c.victimStack().top();
        AccessKind access = c.kind() == ContentionKind.WRITE_WRITE ? AccessKind.WRITE : AccessKind.READ;
        boolean after = false;
        for (Event e : events) {
            if (e == c) after = true;
            else if (after && e instanceof AccessSite a && a.thread() == c.thread() && a.ref() == c.ref()
                    && a.access() == access && !a.stack().isEmpty()) {
                return a.stack().top();
            }
        }
        return null;
    }

    /** Whether the thread waited for a lock (a WAIT_BEGIN and WAIT_END of kind LOCK) after {@code c}. */
    boolean lockWaitAfter(Contention c) {
        boolean after = false;
        boolean begun = false;
        for (Event e : events) {
            if (e == c) after = true;
            else if (after && e.thread() == c.thread()) {
                if (e instanceof WaitBegin w && w.kind() == dev.stmlog.format.event.WaitKind.LOCK) begun = true;
                else if (begun && e instanceof WaitEnd w && w.kind() == dev.stmlog.format.event.WaitKind.LOCK) return true;
            }
        }
        return false;
    }
}
