package dev.stmlog.analyzer.cli;

import dev.stmlog.analyzer.Analysis;
import dev.stmlog.analyzer.AnalysisOptions;
import dev.stmlog.analyzer.LiveAnalysis;
import dev.stmlog.analyzer.SourceLines;
import dev.stmlog.format.LogFormatException;
import dev.stmlog.format.ReadResult;
import dev.stmlog.format.event.Metadata;
import dev.stmlog.reports.SiteRow;
import dev.stmlog.reports.TextOptions;
import dev.stmlog.reports.TopView;
import dev.stmlog.reports.TextReportWriter;
import dev.stmlog.reports.Units;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** {@code stmlog watch}: a live {@code top} of a log that is still being written. */
@Command(name = "watch", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "A live top of a log that is still being written: reads the chunks its writer flushes as"
                + " they come (the runtime flushes every thread's events at least once a second) and"
                + " refreshes every --interval. On a terminal it redraws in place; otherwise (or with"
                + " --no-tty) it appends one block per refresh, with no escape codes. Between refreshes it"
                + " reads the log every 250 ms, and a row that was not shown yet is shown at once.",
            "",
            "Each block starts with the time of day, how much of the run has been read (recorded"
                + " time, events), and rates: conflicts per second and time lost in aborts per second,"
                + " over the last refresh interval (as read) and since the recording's start. Then the"
                + " rows of top, as top would show them for the log cut at that point (attempts still"
                + " open are not counted yet; a conflict still lacking a side is completed from the"
                + " others as at the end of a log, and may move once its side is read).",
            "",
            "It ends, after a final table, when the log is closed (its trailer appears), when its"
                + " writer's process (the pid in the log) has ended without closing it (the log is then"
                + " reported truncated), after --timeout, or on Ctrl-C. A log that does not exist yet is"
                + " waited for. A directory's .stmlog files are watched together, new ones added as they"
                + " appear; it ends when all of them are closed, once one was seen being written.",
            ""},
        footer = {
            "",
            "Examples:",
            "  stmlog watch app.stmlog          (before or after the program starts)",
            "  stmlog watch --limit 5 --source-path src/main/java app.stmlog",
            "  stmlog watch --no-tty --interval 250ms app.stmlog > watch.txt",
            "  stmlog watch --timeout 30s logs/",
            "",
            "Exit status: 0 when it ended as above (after Ctrl-C the JVM's 130, as for any interrupted"
                + " program), 1 when the log is not a stmlog log or never appeared before --timeout, 2 for a"
                + " wrong command line."})
public final class WatchCommand extends BaseCommand {
    private static final long MIN_INTERVAL = 10_000_000L;
    /** How often the log is read between refreshes, so that a new row shows without waiting for the next. */
    private static final long STEP = 250_000_000L;
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss.SSS", Locale.ROOT);

    @Parameters(paramLabel = "LOG", arity = "1",
            description = "The log being written (it may not exist yet), or a directory of .stmlog logs.")
    String log;

    @Mixin
    TopOptions top;

    @Option(names = "--interval", paramLabel = "TIME", converter = DurationConverter.class,
            description = "Time between refreshes: seconds, or 250ms, 2s... (default: 1s, at least 10ms).")
    Long interval = 1_000_000_000L;

    @Option(names = "--no-tty", description = "Plain output even on a terminal: one block appended per refresh, no escape codes or colour.")
    boolean noTty;

    @Option(names = {"--timeout", "--duration"}, paramLabel = "TIME", converter = DurationConverter.class,
            description = "Stop after this long (with the final table); by default it runs until the log is closed or Ctrl-C.")
    Long timeout;

    /** Counted down to stop the watch (Ctrl-C's shutdown hook; tests). */
    final CountDownLatch stop = new CountDownLatch(1);

    @Override
    List<String> formats() {
        return List.of("text");
    }

    /** How a watch ended, as its last block says. */
    private enum State {
        WAITING("waiting for the log"), LIVE("being written"), CLOSED("closed"), WRITER_GONE("its writer ended without closing it"),
        TIMEOUT("stopped: --timeout"), STOPPED("stopped");

        final String text;

        State(String text) {
            this.text = text;
        }
    }

    @Override
    int run() throws Exception {
        top.check();
        if (interval < MIN_INTERVAL) throw new UsageException("--interval must be at least 10ms");
        boolean tty = env().stdoutTerminal() && !noTty;
        TextReportWriter text = new TextReportWriter(new TextOptions(exact, tty && env().color()));
        AnalysisOptions options = new AnalysisOptions(top.by, top.depth, 0, Long.MAX_VALUE, null, top.estimateUntimed);
        SourceLines sources = new SourceLines(top.sourcePath);
        Thread hook = root != null && root.rawOut != null ? stopOnInterrupt() : null;
        try (LiveAnalysis live = new LiveAnalysis(options)) {
            return watch(live, tty, text, sources);
        } finally {
            if (hook != null) {
                done.countDown();
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // Ctrl-C: the hook is running, and returns now that the final table is out
                }
            }
        }
    }

    /** Counted down once the final table is out, for the shutdown hook to return. */
    private final CountDownLatch done = new CountDownLatch(1);

    /**
     * Ctrl-C (SIGINT) starts the JVM's shutdown: a hook stops the watch and waits (at most 5 s)
     * for its final table to be written before the JVM exits (with status 130, as for any
     * program interrupted so).
     */
    private Thread stopOnInterrupt() {
        Thread hook = new Thread(() -> {
            stop.countDown();
            try {
                done.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "stmlog-watch-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        return hook;
    }

    private int watch(LiveAnalysis live, boolean tty, TextReportWriter text, SourceLines sources) throws Exception {
        Path target = Path.of(log);
        long started = System.nanoTime();
        long deadline = timeout == null ? Long.MAX_VALUE : started + timeout;
        Set<Path> known = new HashSet<>();
        boolean directory = false;
        boolean waitingSaid = false;
        boolean sawOpen = false;
        Set<Integer> gone = new HashSet<>();
        Rates rates = new Rates();
        Set<String> shown = new HashSet<>();
        // reads every step, shows every interval (and at once when a new row appears)
        long step = Math.min(interval, STEP);
        long next = started;
        while (true) {
            // new logs: the file once it exists, or a directory's new .stmlog files
            if (Files.isDirectory(target)) {
                directory = true;
                for (Path p : listLogs(target)) {
                    if (known.add(p)) {
                        live.add(p);
                        say("watching " + p);
                    }
                }
            } else if (!directory && live.size() == 0 && Files.isRegularFile(target)) {
                known.add(target);
                try {
                    live.add(target);
                } catch (NoSuchFileException vanished) {
                    known.remove(target);
                }
            }
            if (live.size() == 0 && !waitingSaid) {
                say("waiting for " + target + (log.endsWith("/") || directory ? " to hold a .stmlog log" : " to appear"));
                waitingSaid = true;
            }
            boolean read;
            try {
                read = live.poll();
            } catch (LogFormatException e) {
                throw new DataException(e.getMessage());
            }
            for (int i = 0; i < live.size(); i++) {
                if (live.ended(i)) continue;
                sawOpen = true;
                if (live.size(i) < live.position(i)) {
                    warn(live.path(i) + " was truncated under the watch (a new recording in its place?): reading it from the start");
                    live.restart(i);
                    read |= live.poll();
                } else if (writerGone(live.metadata(i))) {
                    ReadResult r = live.finish(i);
                    if (live.closed(i)) continue; // it closed the log before it ended
                    gone.add(i);
                    String line = Analysis.damageLine(r);
                    warn(live.path(i) + ": its writer (pid " + live.metadata(i).pid() + ") ended without closing it"
                            + (line == null ? "" : "; " + line.substring(line.indexOf(": ") + 2)));
                }
            }
            long now = System.nanoTime();
            boolean ended = live.allEnded() && (!directory || sawOpen);
            State state = live.size() == 0 ? State.WAITING : State.LIVE;
            if (ended) state = gone.isEmpty() ? State.CLOSED : State.WRITER_GONE;
            else if (stop.getCount() == 0) state = State.STOPPED;
            else if (now - deadline >= 0) state = State.TIMEOUT;
            boolean last = state != State.LIVE && state != State.WAITING;
            boolean due = last || now - next >= 0;
            Analysis a = null;
            TopView view = null;
            if (!due && read && live.size() > 0) {
                // between refreshes: a row not shown yet is shown at once
                a = live.snapshot();
                view = a.top(top.sort, top.limit, sources);
                for (SiteRow r : view.sites()) due |= !shown.contains(rowKey(r));
            }
            if (due && (live.size() > 0 || tty || (last && state != State.TIMEOUT))) {
                if (a == null) {
                    a = live.snapshot();
                    view = a.top(top.sort, top.limit, sources);
                }
                for (SiteRow r : view.sites()) shown.add(rowKey(r));
                show(block(a, view, live, state, rates, now, text, target), tty);
            }
            if (last) {
                if (live.size() == 0 && state == State.TIMEOUT) {
                    throw new DataException(target + ": no log appeared within " + Units.duration(timeout, false));
                }
                if (tty) out().println();
                out().flush();
                // as top: one warning per damaged log (those whose writer died were reported already)
                for (int i = 0; i < live.size(); i++) {
                    String line = gone.contains(i) ? null : Analysis.damageLine(live.result(i));
                    if (line != null) warn(line + " (analysed anyway)");
                }
                return 0;
            }
            if (now - next >= 0) {
                // the next refresh: on the interval's beat, or a beat later when a refresh took longer
                next += interval;
                if (next - now <= 0) next = now + interval;
            }
            now = System.nanoTime();
            long wait = Math.min(step, next - now);
            if (timeout != null) wait = Math.min(wait, deadline - now);
            if (wait > 0) stop.await(wait, TimeUnit.NANOSECONDS); // counted down: one more round shows the final table
        }
    }

    private static String rowKey(SiteRow r) {
        return r.kind() + " " + r.key();
    }

    /** The .stmlog files of {@code dir}, by name. */
    private static List<Path> listLogs(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(f -> f.getFileName().toString().endsWith(".stmlog") && Files.isRegularFile(f)).sorted().toList();
        } catch (IOException e) {
            return List.of(); // it may be being replaced; the next round sees it
        }
    }

    /**
     * Whether the process that writes a log is known to have ended: its pid (from the log's
     * metadata) names no live process on this machine. Unknown (no metadata yet), or this very
     * process: not gone.
     */
    private static boolean writerGone(Metadata m) {
        if (m == null || m.pid() <= 0 || m.pid() == ProcessHandle.current().pid()) return false;
        return ProcessHandle.of(m.pid()).map(p -> !p.isAlive()).orElse(true);
    }

    /** One line on stderr: {@code stmlog: ...}. */
    private void say(String message) {
        err().println("stmlog: " + message);
        err().flush();
    }

    /** The figures of the previous refresh, for the rates over the last interval. */
    private static final class Rates {
        long at = Long.MIN_VALUE;
        long conflicts;
        long lostNanos;
    }

    private String block(Analysis a, TopView view, LiveAnalysis live, State state, Rates previous, long now,
                         TextReportWriter text, Path target) {
        StringWriter s = new StringWriter();
        PrintWriter out = new PrintWriter(s);
        String clock = LocalTime.now().format(CLOCK);
        if (live.size() == 0) {
            out.println("stmlog watch " + target + "  " + clock + "  " + state.text);
            out.flush();
            return s.toString();
        }
        long conflicts = live.conflicts();
        long lost = a.summary().transactions().abortedNanos();
        long recorded = a.endNanos();
        String name = live.size() == 1 ? live.path(0).toString() : target + " (" + live.size() + " logs)";
        out.println("stmlog watch " + name + "  " + clock + "  " + state.text + ": " + Units.duration(recorded, exact)
                + " recorded, " + Units.count(a.events(), exact) + " events read");
        String since = recorded <= 0 ? "-" : rate(conflicts, recorded) + " conflicts/s, "
                + lostRate(lost, recorded) + " lost in aborts";
        String last;
        if (previous.at == Long.MIN_VALUE || now - previous.at <= 0) {
            last = "-";
        } else {
            long dt = now - previous.at;
            last = rate(Math.max(0, conflicts - previous.conflicts), dt) + " conflicts/s, "
                    + lostRate(Math.max(0, lost - previous.lostNanos), dt) + " lost in aborts";
        }
        String interval = previous.at == Long.MIN_VALUE ? "" : " " + Units.duration(now - previous.at, exact);
        out.println("  last" + interval + ": " + last + ";  since the start: " + since);
        previous.at = now;
        previous.conflicts = conflicts;
        previous.lostNanos = lost;
        out.println();
        text.writeTop(view, out);
        out.flush();
        return s.toString();
    }

    private String rate(long n, long nanos) {
        return Units.rate(n * 1e9 / nanos, exact);
    }

    /** Time lost per second: {@code 12.3 ms/s}. */
    private String lostRate(long lostNanos, long nanos) {
        return Units.duration((long) (lostNanos * 1e9 / nanos), exact) + "/s";
    }

    /** A block: redrawn in place on a terminal, else appended after a blank line. */
    private void show(String block, boolean tty) {
        PrintWriter out = out();
        if (tty) {
            List<String> lines = new ArrayList<>(block.lines().toList());
            Integer height = terminalLines();
            if (height != null && lines.size() > height - 1) lines = new ArrayList<>(lines.subList(0, Math.max(1, height - 1)));
            StringBuilder b = new StringBuilder("\u001b[H");
            for (String line : lines) b.append(line).append("\u001b[K\n");
            b.append("\u001b[J");
            out.print(b);
        } else {
            out.print(block);
            out.println();
        }
        out.flush();
    }

    /** The terminal's height when the environment says ({@code LINES}); null when unknown. */
    private Integer terminalLines() {
        String v = env().get("LINES");
        if (v == null) return null;
        try {
            int n = Integer.parseInt(v.strip());
            return n > 1 ? n : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
