package dev.stmlog.reports.export;

import dev.stmlog.reports.JsonWriter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * Writes the Chrome Trace Event format (the JSON object form), which Perfetto UI,
 * {@code chrome://tracing} and speedscope open, one event at a time: memory does not grow with
 * the trace. One event per line, so that a multi-GB trace can still be read with {@code grep}.
 *
 * <p>Times are nanoseconds, written as the format's microseconds with three decimals. Every
 * string is escaped ({@link JsonWriter#quote}); nothing from a log reaches the output raw.
 * The format: "Trace Event Format", Google, the document that {@code chrome://tracing} and
 * Perfetto's JSON importer implement; the subset used is listed in {@code analyzer/docs/export.md}.
 */
public final class ChromeTraceWriter implements AutoCloseable {

    /** Colours from the trace viewers' reserved palette ({@code cname}). */
    public enum Colour {
        GOOD("good"), BAD("terrible"), INEVITABLE("yellow"), WAIT("grey"), NONE(null);

        final String cname;

        Colour(String cname) {
            this.cname = cname;
        }
    }

    private final Appendable out;
    private final StringBuilder line = new StringBuilder(256);
    private boolean first = true;

    public ChromeTraceWriter(Appendable out) {
        this.out = out;
        raw("{\"displayTimeUnit\":\"ns\",\"traceEvents\":[");
    }

    /** Names process {@code pid}'s track group (one per log file). */
    public void processName(int pid, String name) {
        begin("M", "process_name", null, pid, 0, -1);
        args(Map.of("name", name));
        end();
    }

    /** Names thread {@code tid}'s track. */
    public void threadName(int pid, long tid, String name) {
        begin("M", "thread_name", null, pid, tid, -1);
        args(Map.of("name", name));
        end();
    }

    /** A complete slice ({@code ph: X}) from {@code start} lasting {@code duration} ns. */
    public void slice(int pid, long tid, String name, String category, long start, long duration, Colour colour,
                      Map<String, ?> args) {
        begin("X", name, category, pid, tid, start);
        line.append(",\"dur\":");
        micros(Math.max(0, duration));
        if (colour.cname != null) line.append(",\"cname\":\"").append(colour.cname).append('"');
        args(args);
        end();
    }

    /** An instant event on a thread's track ({@code s: t}) or across the process ({@code s: p}). */
    public void instant(int pid, long tid, String name, String category, long time, boolean processWide,
                        Map<String, ?> args) {
        begin("i", name, category, pid, tid, time);
        line.append(",\"s\":\"").append(processWide ? 'p' : 't').append('"');
        args(args);
        end();
    }

    /** A counter track's value from {@code time} on ({@code ph: C}); one track per name and pid. */
    public void counter(int pid, String name, long time, Map<String, ? extends Number> series) {
        begin("C", name, null, pid, 0, time);
        args(series);
        end();
    }

    /**
     * One arrow ({@code ph: s} then {@code ph: f}): from the slice enclosing {@code fromTime}
     * on {@code fromTid} to the slice enclosing {@code toTime} on {@code toTid}.
     */
    public void flow(long id, String name, int pid, long fromTid, long fromTime, long toTid, long toTime) {
        begin("s", name, "conflict", pid, fromTid, fromTime);
        line.append(",\"id\":").append(id);
        end();
        begin("f", name, "conflict", pid, toTid, toTime);
        line.append(",\"id\":").append(id).append(",\"bp\":\"e\"");
        end();
    }

    /** Ends the event list and writes {@code otherData}, the trace's metadata. */
    public void finish(Map<String, ?> otherData) {
        raw("\n],\"otherData\":");
        line.setLength(0);
        object(otherData);
        raw(line.append("}\n").toString());
        line.setLength(0);
    }

    @Override
    public void close() {
        // The caller owns the Appendable; nothing is buffered here between events.
    }

    private void begin(String phase, String name, String category, int pid, long tid, long time) {
        line.setLength(0);
        line.append(first ? "\n" : ",\n");
        first = false;
        line.append("{\"ph\":\"").append(phase).append("\",\"name\":").append(JsonWriter.quote(name));
        if (category != null) line.append(",\"cat\":").append(JsonWriter.quote(category));
        line.append(",\"pid\":").append(pid).append(",\"tid\":").append(tid);
        if (time >= 0) {
            line.append(",\"ts\":");
            micros(time);
        }
    }

    private void args(Map<String, ?> args) {
        if (args == null || args.isEmpty()) return;
        line.append(",\"args\":");
        object(args);
    }

    private void object(Map<String, ?> map) {
        line.append('{');
        boolean firstMember = true;
        for (Map.Entry<String, ?> e : map.entrySet()) {
            if (!firstMember) line.append(',');
            firstMember = false;
            line.append(JsonWriter.quote(e.getKey())).append(':');
            value(e.getValue());
        }
        line.append('}');
    }

    private void value(Object v) {
        if (v == null) {
            line.append("null");
        } else if (v instanceof Long || v instanceof Integer) {
            line.append(((Number) v).longValue());
        } else if (v instanceof Number n) {
            double d = n.doubleValue();
            line.append(Double.isFinite(d) ? Double.toString(d) : "null");
        } else if (v instanceof Boolean b) {
            line.append(b);
        } else if (v instanceof Map<?, ?> m) {
            @SuppressWarnings("unchecked")
            Map<String, ?> sub = (Map<String, ?>) m;
            object(sub);
        } else if (v instanceof Iterable<?> list) {
            line.append('[');
            boolean firstItem = true;
            for (Object item : list) {
                if (!firstItem) line.append(',');
                firstItem = false;
                value(item);
            }
            line.append(']');
        } else {
            line.append(JsonWriter.quote(v.toString()));
        }
    }

    /** {@code nanos} as microseconds with three decimals, without going through a double. */
    private void micros(long nanos) {
        line.append(nanos / 1000).append('.');
        long frac = nanos % 1000;
        if (frac < 100) line.append('0');
        if (frac < 10) line.append('0');
        line.append(frac);
    }

    private void end() {
        line.append('}');
        raw(line.toString());
    }

    private void raw(String s) {
        try {
            out.append(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
