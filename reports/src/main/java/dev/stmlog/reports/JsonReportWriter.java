package dev.stmlog.reports;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * Writes reports as JSON, format {@value #FORMAT}: times in seconds (exact decimals), frames as
 * {@code StackTraceElement} prints them. Members are only ever added, never renamed or removed.
 */
public final class JsonReportWriter extends ReportWriter {
    /** The value of every document's {@code "format"} member. */
    public static final String FORMAT = "stmlog-1";

    public JsonReportWriter() {
        super("json");
        writes(SummaryView.class, this::writeSummary);
        writes(TopView.class, this::writeTop);
        writes(CheckView.class, this::writeCheck);
        writes(EventRow.class, this::writeEvent);
        writes(DiffView.class, DiffJson::write);
    }

    /** The totals: {@code {"format": "stmlog-1", "files": [...], "events": n, "wall_s": x, ...}}. */
    public void writeSummary(SummaryView s, Appendable out) {
        JsonWriter j = new JsonWriter(out, true);
        j.beginObject();
        summaryMembers(s, j);
        j.endObject();
        newline(out);
    }

    /** The totals' members, then {@code "sites": [{"rank": 1, "kind": ..., "frames": [...]}, ...]}. */
    public void writeTop(TopView top, Appendable out) {
        JsonWriter j = new JsonWriter(out, true);
        j.beginObject();
        summaryMembers(top.summary(), j);
        j.name("group_by").value(top.groupBy());
        j.name("sort").value(top.sortBy());
        j.name("depth").value(top.depth());
        j.name("total_rows").value(top.totalRows());
        j.name("merged_conflicts").value(top.merged());
        j.name("sites").beginArray();
        for (SiteRow r : top.sites()) {
            j.beginObject();
            j.name("rank").value(r.rank());
            j.name("kind").value(r.kind().label());
            j.name("key").value(r.key());
            j.name("count").value(r.count());
            j.name("lost_s").seconds(r.lostNanos());
            j.name("paused_s").seconds(r.pausedNanos());
            j.name("total_s").seconds(r.totalNanos());
            j.name("frames").strings(r.frames());
            j.name("other_frames").strings(r.otherFrames());
            j.name("other_variants").value(r.otherVariants());
            j.name("source_line").value(r.sourceLine());
            j.name("other_source_line").value(r.otherSourceLine());
            j.name("timeline").beginArray();
            for (int c : r.timeline()) j.value(c);
            j.endArray();
            j.name("hint");
            if (r.hint() == null) {
                j.value((String) null);
            } else {
                j.beginObject().name("kind").value(r.hint().kind().id()).name("text").value(r.hint().text()).endObject();
            }
            j.endObject();
        }
        j.endArray();
        j.endObject();
        newline(out);
    }

    public void writeCheck(CheckView check, Appendable out) {
        JsonWriter j = new JsonWriter(out, true);
        j.beginObject();
        j.name("format").value(FORMAT);
        j.name("clean").value(check.isClean());
        j.name("files").beginArray();
        for (CheckView.FileCheck f : check.files()) {
            j.beginObject();
            j.name("file").value(f.file());
            j.name("size_bytes").value(f.sizeBytes());
            j.name("header").beginObject();
            for (Map.Entry<String, String> e : f.header().entrySet()) j.name(e.getKey()).value(e.getValue());
            j.endObject();
            j.name("chunks").value(f.chunks());
            j.name("records").value(f.records());
            j.name("events").value(f.events());
            j.name("unknown_records").value(f.unknownRecords());
            j.name("clean_close").value(f.cleanClose());
            j.name("trailer_events").value(f.trailerEvents());
            j.name("unresolved_references").value(f.unresolvedReferences());
            j.name("clean").value(f.isClean());
            damage(f.damage(), j);
            j.endObject();
        }
        j.endArray();
        j.endObject();
        newline(out);
    }

    /** One event as a line of compact JSON (JSON Lines). */
    public void writeEvent(EventRow e, Appendable out) {
        JsonWriter j = new JsonWriter(out, false);
        j.beginObject();
        j.name("t_s").seconds(e.timeNanos());
        j.name("thread").value(e.thread());
        j.name("thread_name").value(e.threadName());
        j.name("type").value(e.type());
        for (Map.Entry<String, Object> f : e.fields().entrySet()) j.name(f.getKey()).any(f.getValue());
        j.endObject();
        newline(out);
    }

    /** The logs, wall time, threads, transactions and CPU split: {@code summary}'s and each side of a diff's. */
    static void totals(SummaryView s, JsonWriter j) {
        TransactionTotals tx = s.transactions();
        j.name("files").strings(s.sources().files());
        j.name("events").value(s.sources().events());
        j.name("wall_s").seconds(s.wallNanos());
        j.name("threads").value(s.threadCount());
        j.name("transactions").beginObject()
                .name("committed").value(tx.committed())
                .name("aborted").value(tx.aborted())
                .endObject();
        j.name("cpu_s").beginObject()
                .name("committed").seconds(tx.committedNanos())
                .name("aborted").seconds(tx.abortedNanos())
                .name("paused").seconds(tx.pausedNanos())
                .name("gc").seconds(s.gcNanos())
                .name("total").seconds(tx.totalNanos())
                .endObject();
    }

    private static void summaryMembers(SummaryView s, JsonWriter j) {
        j.name("format").value(FORMAT);
        totals(s, j);
        damage(s.damage(), j);
        j.name("committed_per_s").value(Math.round(s.committedPerSecond() * 1000) / 1000.0);
        j.name("unfinished_attempts").value(s.anomalies().unfinished());
        j.name("unexpected_sequences").value(s.anomalies().unexpected());
        j.name("window").beginObject()
                .name("from_s").seconds(s.window().fromNanos())
                .name("to_s").seconds(s.window().toNanos())
                .name("chosen").value(s.window().chosen())
                .endObject();
        j.name("per_thread").beginArray();
        for (ThreadRow t : s.threads()) {
            TransactionTotals tt = t.transactions();
            j.beginObject();
            j.name("id").value(t.id());
            j.name("name").value(t.name());
            j.name("committed").value(tt.committed());
            j.name("aborted").value(tt.aborted());
            j.name("committed_s").seconds(tt.committedNanos());
            j.name("aborted_s").seconds(tt.abortedNanos());
            j.name("paused_s").seconds(tt.pausedNanos());
            j.endObject();
        }
        j.endArray();
    }

    private static void damage(DamageView d, JsonWriter j) {
        j.name("damage").beginObject()
                .name("truncated").value(d.truncated())
                .name("bytes_skipped").value(d.bytesSkipped())
                .name("events_lost").value(d.eventsLost())
                .name("missing_chunks").value(d.missingChunks())
                .name("malformed_records").value(d.malformedRecords())
                .name("notes").strings(d.notes())
                .endObject();
    }

    private static void newline(Appendable out) {
        try {
            out.append('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
