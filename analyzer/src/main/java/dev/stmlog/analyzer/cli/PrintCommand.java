package dev.stmlog.analyzer.cli;

import dev.stmlog.analyzer.AnalysisOptions;
import dev.stmlog.analyzer.Analyzer;
import dev.stmlog.analyzer.LogWindow;
import dev.stmlog.format.EventVisitor;
import dev.stmlog.format.LogFormatException;
import dev.stmlog.format.LogReader;
import dev.stmlog.format.ReadResult;
import dev.stmlog.format.event.BecomeInevitable;
import dev.stmlog.format.event.AccessSite;
import dev.stmlog.format.event.Contention;
import dev.stmlog.format.event.DataLoss;
import dev.stmlog.format.event.Event;
import dev.stmlog.format.event.Frame;
import dev.stmlog.format.event.GcPause;
import dev.stmlog.format.event.Stack;
import dev.stmlog.format.event.ThreadStart;
import dev.stmlog.format.event.TxAbort;
import dev.stmlog.format.event.TxCommits;
import dev.stmlog.format.event.UntimedStart;
import dev.stmlog.format.event.UserMark;
import dev.stmlog.format.event.UserMarks;
import dev.stmlog.format.event.WaitBegin;
import dev.stmlog.format.event.WaitEnd;
import dev.stmlog.reports.EventRow;
import dev.stmlog.reports.ReportWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** {@code stmlog print}: the events themselves. */
@Command(name = "print", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Prints the events of logs in file order (each thread's in the order they happened), as"
                + " text or as JSON lines (one object per line), with filters.",
            "Event types: TxStart, TxCommit, TxCommits, TxAbort, Contention, WaitBegin, WaitEnd, BecomeInevitable,"
                + " GcPause, ThreadStart, UserMark, UserMarks, DataLoss.",
            ""},
        footerHeading = "%nExamples:%n",
        footer = {
            "  stmlog print app.stmlog",
            "  stmlog print --type contention,txabort --thread worker-2 app.stmlog",
            "  stmlog print --format json --from 1.5 --to 2 --limit 100 app.stmlog | jq .",
            "",
            "Exit status: 0 when the logs could be read (damage is a warning), 1 when one is not a"
                + " log or cannot be read, 2 for a wrong command line."})
public final class PrintCommand extends LogCommand {
    private static final List<String> TYPES = List.of("TxStart", "TxCommit", "TxCommits", "TxAbort", "Contention", "WaitBegin",
            "WaitEnd", "BecomeInevitable", "GcPause", "ThreadStart", "UserMark", "UserMarks", "DataLoss", "AccessSite", "UntimedStart");

    @Mixin
    WindowOptions window;

    @Option(names = "--type", paramLabel = "TYPE", split = ",",
            description = "Only events of these types (repeatable or comma-separated; case and '_' ignored).")
    List<String> types = new ArrayList<>();

    @Option(names = {"-n", "--limit"}, paramLabel = "N", description = "Print at most N events.")
    Long limit;

    @Override
    Class<EventRow> view() {
        return EventRow.class;
    }

    @Override
    int run() throws IOException {
        window.check();
        if (limit != null && limit < 0) throw new UsageException("--limit must be 0 or more");
        Set<String> wanted = new TreeSet<>();
        for (String t : types) wanted.add(typeName(t));
        AnalysisOptions options = window.options();
        List<Path> files = logFiles();
        long[] offsets;
        try {
            offsets = Analyzer.offsets(files, sourceOptions());
        } catch (LogFormatException e) {
            throw new DataException(e.getMessage());
        }
        long[] printed = {0};
        try (Output o = output()) {
            PrintWriter w = o.writer();
            ReportWriter.ViewWriter<EventRow> events = writer().writerFor(EventRow.class);
            for (int i = 0; i < files.size(); i++) {
                Path file = files.get(i);
                Printer p = new Printer(i, files.size() > 1, offsets[i], LogWindow.of(options, offsets[i]), wanted, printed,
                        row -> events.write(row, w));
                ReadResult r;
                try {
                    r = dev.stmlog.analyzer.LogSources.read(file, p, sourceOptions(), dev.stmlog.analyzer.Progress.NONE);
                } catch (Stop stop) {
                    break;
                } catch (LogFormatException e) {
                    throw new DataException(e.getMessage());
                }
                w.flush();
                if (r.damage().isDamaged()) {
                    warn(file + ": damaged (" + String.join("; ", r.damage().notes().subList(0,
                            Math.min(3, r.damage().notes().size()))) + "); " + r.events() + " events recovered");
                }
            }
        }
        return 0;
    }

    private static String typeName(String t) {
        String k = t.strip().replace("_", "").replace("-", "").toLowerCase(Locale.ROOT);
        Map<String, String> alias = Map.of("start", "TxStart", "commit", "TxCommit", "abort", "TxAbort",
                "commits", "TxCommits", "gc", "GcPause", "mark", "UserMark", "marks", "UserMarks", "inevitable", "BecomeInevitable");
        if (alias.containsKey(k)) return alias.get(k);
        for (String name : TYPES) if (name.toLowerCase(Locale.ROOT).equals(k)) return name;
        throw new UsageException("--type: unknown event type '" + t + "' (one of " + String.join(", ", TYPES) + ")");
    }

    private static final class Stop extends RuntimeException {
        Stop() {
            super(null, null, false, false);
        }
    }

    private final class Printer implements EventVisitor {
        private final int file;
        private final boolean many;
        private final long offset;
        private final LogWindow in;
        private final Set<String> wanted;
        private final long[] printed;
        private final java.util.function.Consumer<EventRow> sink;
        private final Map<Long, String> names = new HashMap<>();

        Printer(int file, boolean many, long offset, LogWindow in, Set<String> wanted, long[] printed,
                java.util.function.Consumer<EventRow> sink) {
            this.file = file;
            this.many = many;
            this.offset = offset;
            this.in = in;
            this.wanted = wanted;
            this.printed = printed;
            this.sink = sink;
        }

        @Override
        public void event(Event e) {
            if (e instanceof ThreadStart t) names.put(t.thread(), t.name());
            String type = e.getClass().getSimpleName();
            if (!wanted.isEmpty() && !wanted.contains(type)) return;
            if (!in.contains(e.time())) return;
            String id = dev.stmlog.analyzer.ThreadId.shown(file, e.thread(), many);
            String name = names.getOrDefault(e.thread(), "");
            if (window.thread != null && !window.thread.equals(id) && !window.thread.equals(Long.toString(e.thread()))
                    && !window.thread.equals(name)) {
                return;
            }
            if (limit != null && printed[0] >= limit) throw new Stop();
            printed[0]++;
            sink.accept(new EventRow(e.time() + offset, id, name, type, fields(e)));
        }
    }

    private static Map<String, Object> fields(Event e) {
        Map<String, Object> f = new LinkedHashMap<>();
        if (e instanceof TxAbort a) {
            f.put("cause", a.cause().name());
        } else if (e instanceof TxCommits c) {
            f.put("count", c.count());
            f.put("busy_ns", c.busyNanos());
        } else if (e instanceof Contention c) {
            f.put("kind", c.kind().name());
            f.put("other_thread", c.otherThread() == Contention.UNKNOWN_THREAD ? null : c.otherThread());
            f.put("label", c.label());
            f.put("victim", frames(c.victimStack()));
            f.put("other", frames(c.otherStack()));
            if (!c.readStack().isEmpty()) f.put("read", frames(c.readStack()));
            if (c.ref() != Contention.NO_REF) f.put("ref", c.ref());
            if (c.victimAtEntry()) f.put("victim_at_entry", true);
        } else if (e instanceof AccessSite a) {
            f.put("ref", a.ref());
            f.put("access", a.access().name());
            f.put("stack", frames(a.stack()));
        } else if (e instanceof UntimedStart u) {
            f.put("estimated_ns", u.estimatedNanos());
        } else if (e instanceof WaitBegin w) {
            f.put("kind", w.kind().name());
        } else if (e instanceof WaitEnd w) {
            f.put("kind", w.kind().name());
        } else if (e instanceof BecomeInevitable i) {
            f.put("stack", frames(i.stack()));
        } else if (e instanceof GcPause g) {
            f.put("collector", g.collector());
            f.put("duration_ns", g.durationNanos());
        } else if (e instanceof ThreadStart t) {
            f.put("name", t.name());
        } else if (e instanceof UserMark m) {
            f.put("name", m.name());
            f.put("value", m.value());
        } else if (e instanceof UserMarks m) {
            f.put("name", m.name());
            f.put("count", m.count());
            f.put("sum", m.sum());
        } else if (e instanceof DataLoss l) {
            f.put("count", l.count());
        }
        return f;
    }

    private static List<String> frames(Stack s) {
        List<String> out = new ArrayList<>(s.frames().size());
        for (Frame fr : s.frames()) out.add(fr.toString());
        return out;
    }
}
