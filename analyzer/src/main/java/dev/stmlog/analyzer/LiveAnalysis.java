package dev.stmlog.analyzer;

import dev.stmlog.format.EventVisitor;
import dev.stmlog.format.LogTail;
import dev.stmlog.format.ReadResult;
import dev.stmlog.format.event.AbortCause;
import dev.stmlog.format.event.ContentionKind;
import dev.stmlog.format.event.Event;
import dev.stmlog.format.event.Metadata;
import dev.stmlog.format.event.Stack;
import dev.stmlog.format.event.ValueChange;
import dev.stmlog.format.event.WaitKind;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The aggregation of logs that are still being written ({@code stmlog watch}): each log is
 * followed by a {@link LogTail}, whose new chunks {@link #poll()} reads into the log's
 * {@link FileAggregator}, which carries on from poll to poll; {@link #snapshot()} finishes a copy
 * of the aggregation into an {@link Analysis} without disturbing it. So a refresh costs the new
 * chunks and the sites, never a re-read of the log.
 *
 * <p>A snapshot is what {@code top} shows for the logs cut at that point: attempts still open
 * are unfinished (counted nowhere), conflicts still lacking a side are completed from the others
 * as at the end of a log, an untimed abort whose re-run has not ended yet is charged the mean of
 * its object's timed aborts. The next snapshot may charge them otherwise, once their re-run or
 * access site has been read. Once every log is closed, the snapshot is exactly {@code top}'s.
 *
 * <p>Logs added later (new files in a watched directory) go on the time line at their
 * recording's start after the first log's (at 0 when they started before it). Not thread-safe:
 * one thread adds, polls and snapshots.
 */
public final class LiveAnalysis implements Closeable {
    private final AnalysisOptions options;
    private final List<Live> logs = new ArrayList<>();
    /** The first log's recording start: the shared time line's origin. */
    private long baseEpoch = Long.MIN_VALUE;

    public LiveAnalysis(AnalysisOptions options) {
        if (options.windowed()) throw new IllegalArgumentException("a live analysis has no window");
        this.options = options;
    }

    /** One followed log: its tail, and the aggregation its events go to (made at its metadata or first event). */
    private final class Live implements EventVisitor {
        final Path path;
        final int index;
        final LogTail tail;
        FileAggregator aggregator;
        ReadResult finished;
        long conflicts;

        Live(Path path, int index) throws IOException {
            this.path = path;
            this.index = index;
            this.tail = LogTail.open(path, this);
        }

        FileAggregator target() {
            if (aggregator == null) aggregator = new FileAggregator(index, 0, options);
            return aggregator;
        }

        @Override
        public void metadata(Metadata m) {
            if (aggregator == null) {
                long offset = 0;
                if (baseEpoch == Long.MIN_VALUE) baseEpoch = m.startEpochNanos();
                else offset = Math.max(0, m.startEpochNanos() - baseEpoch);
                aggregator = new FileAggregator(index, offset, options);
            }
            aggregator.metadata(m);
        }

        @Override
        public void event(Event e) {
            target().event(e);
        }

        @Override
        public void txStart(long time, long thread) {
            target().txStart(time, thread);
        }

        @Override
        public void txCommit(long time, long thread) {
            target().txCommit(time, thread);
        }

        @Override
        public void txCommits(long time, long thread, long count, long busyNanos) {
            target().txCommits(time, thread, count, busyNanos);
        }

        @Override
        public void txAbort(long time, long thread, AbortCause cause) {
            target().txAbort(time, thread, cause);
        }

        @Override
        public void waitBegin(long time, long thread, WaitKind kind) {
            target().waitBegin(time, thread, kind);
        }

        @Override
        public void waitEnd(long time, long thread, WaitKind kind) {
            target().waitEnd(time, thread, kind);
        }

        @Override
        public void contention(long time, long thread, ContentionKind kind, long otherThread, Stack victimStack,
                               Stack otherStack, Stack readStack, String label, long ref, boolean victimAtEntry,
                               ValueChange otherChange, long otherNanos) {
            conflicts++;
            target().contention(time, thread, kind, otherThread, victimStack, otherStack, readStack, label, ref,
                    victimAtEntry, otherChange, otherNanos);
        }

        @Override
        public void mark(long time, long thread, String name, long value) {
            target().mark(time, thread, name, value);
        }

        boolean ended() {
            return finished != null || tail.closed();
        }

        ReadResult result() {
            return finished != null ? finished : tail.result();
        }
    }

    /**
     * Follows {@code file} from its start (it must exist; it may be empty yet); returns its index
     * among the logs.
     *
     * @throws IOException when it cannot be opened
     */
    public int add(Path file) throws IOException {
        logs.add(new Live(file, logs.size()));
        return logs.size() - 1;
    }

    /** Starts over on log {@code index}, whose file was truncated under it (a new recording in its place). */
    public void restart(int index) throws IOException {
        Live old = logs.get(index);
        old.tail.close();
        if (index == 0) baseEpoch = Long.MIN_VALUE;
        logs.set(index, new Live(old.path, index));
    }

    public int size() {
        return logs.size();
    }

    public Path path(int index) {
        return logs.get(index).path;
    }

    /**
     * Reads what every log not yet ended has had appended; returns true when something was read.
     *
     * @throws dev.stmlog.format.LogFormatException when a file is not a stmlog log
     */
    public boolean poll() throws IOException {
        boolean read = false;
        for (Live l : logs) {
            if (!l.ended()) read |= l.tail.poll();
        }
        return read;
    }

    /** Whether log {@code index} has ended: closed by its writer (its trailer read), or {@link #finish finished}. */
    public boolean ended(int index) {
        return logs.get(index).ended();
    }

    /** Whether log {@code index} was closed by its writer. */
    public boolean closed(int index) {
        return logs.get(index).tail.closed();
    }

    /** Whether every log has ended (false with none). */
    public boolean allEnded() {
        if (logs.isEmpty()) return false;
        for (Live l : logs) if (!l.ended()) return false;
        return true;
    }

    /** Log {@code index}'s metadata, once read; null before. */
    public Metadata metadata(int index) {
        return logs.get(index).tail.metadata();
    }

    /** Bytes of log {@code index} read so far, and its size now (smaller: truncated under us). */
    public long position(int index) {
        return logs.get(index).tail.position();
    }

    public long size(int index) throws IOException {
        return logs.get(index).tail.size();
    }

    /**
     * Log {@code index}'s writer is gone without closing it: reads the rest as the end of a
     * finished file (its truncation reported) and ends it; returns what was read.
     */
    public ReadResult finish(int index) throws IOException {
        Live l = logs.get(index);
        if (l.finished == null) l.finished = l.tail.finish();
        return l.finished;
    }

    /** What has been read of log {@code index} so far (its damage only what is final while it is followed). */
    public ReadResult result(int index) {
        return logs.get(index).result();
    }

    /** Contention events read so far, over all logs (whatever their sites). */
    public long conflicts() {
        long n = 0;
        for (Live l : logs) n += l.conflicts;
        return n;
    }

    /**
     * The analysis of what has been read so far, as {@code top} would make it of the logs cut
     * here; the aggregation goes on undisturbed.
     */
    public Analysis snapshot() {
        List<String> names = new ArrayList<>();
        List<FileAggregator> copies = new ArrayList<>();
        List<ReadResult> results = new ArrayList<>();
        for (Live l : logs) {
            names.add(l.path.toString());
            // a log with no events yet: an empty aggregation, so that the logs' indexes line up
            copies.add(l.aggregator != null ? l.aggregator.snapshot() : new FileAggregator(l.index, 0, options));
            results.add(l.result());
        }
        return new Analysis(names, options, copies, results);
    }

    @Override
    public void close() throws IOException {
        IOException failure = null;
        for (Live l : logs) {
            try {
                l.tail.close();
            } catch (IOException e) {
                failure = e;
            }
        }
        if (failure != null) throw failure;
    }
}
