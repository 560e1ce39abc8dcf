package dev.stmlog.analyzer;

import dev.stmlog.format.event.Frame;
import dev.stmlog.reports.Hint;
import dev.stmlog.reports.RowKind;
import dev.stmlog.reports.Units;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * At most one short hint per row of {@code top}, from what the log holds, never a guess: a rule
 * gives its hint only when all the evidence it needs is there, and the first rule that does wins.
 * The rules, in that order:
 *
 * <ol>
 *   <li><b>Waits with no conflict</b> ({@code WAIT_LOCK}, {@code WAIT_BACKOFF}, {@code WAIT_RETRY},
 *       {@code WAIT_INEVITABLE} rows): the row's kind is the evidence; the hint says what the wait
 *       is and when it is normal.</li>
 *   <li><b>Waiting for {@code Stm.inevitable()}</b> ({@link Hint.Kind#AFTER_COMMIT}): an
 *       {@code INEVITABLE} row every one of whose other sides (all kept apart) is a line where a
 *       transaction called {@code Stm.inevitable()}. Such a line is known from the log: it is the
 *       victim of an {@code INEVITABLE} contention that has no object and no "victim at entry" flag
 *       (the runtime records a wait for the inevitable token with the caller's stack only when the
 *       waiting transaction is itself calling {@code Stm.inevitable()}; a transaction made
 *       inevitable by contention management names where it was entered instead, and gets rule 3's
 *       hint). Why the transaction became inevitable is not in the log, so the hint is phrased as a
 *       condition: if it is for I/O or the clock, move that out.</li>
 *   <li><b>Waiting for a transaction made inevitable by the runtime</b>
 *       ({@link Hint.Kind#MADE_INEVITABLE}): an {@code INEVITABLE} row every one of whose other
 *       sides is a line where transactions were entered (the victim stack of a contention flagged
 *       "victim at entry": the runtime captures both inside the {@code atomic} call) and none is a
 *       {@code Stm.inevitable()} call line. The runtime names where a transaction was entered when
 *       it starts an attempt inevitable without a {@code Stm.inevitable()} call, which it does only
 *       after the transaction lost 8 conflicts in a row (contention management).</li>
 *   <li><b>Writes of an unchanged value</b> ({@link Hint.Kind#WRITE_IF_CHANGED}): a {@code WRITE_READ}
 *       or {@code WRITE_WRITE} row at least {@value #MIN_COMMITS} of whose conflicts identified the
 *       other side's commit of the object (the runtime records, for a Ref that had a conflict
 *       before, what the last commit of it did: see the format's CONTENTION), and 9 in 10 of
 *       those commits stored the value the Ref already held: the same object, or an equal boxed
 *       primitive or string (a commit of another type that is not the same object counts
 *       against the hint: the runtime does not call user {@code equals}). Such a write changes
 *       nothing but the Ref's version, which aborts every transaction that had read it, as a
 *       cache re-filled with what it holds does. The same object may have been changed in place
 *       (a mutable value, against the STM's rules), which the runtime cannot see: the hint says
 *       so. Before rule 5: a value that did not change is no counter.</li>
 *   <li><b>The same update on both sides</b> ({@link Hint.Kind#COMMUTE}): a {@code WRITE_READ} or
 *       {@code WRITE_WRITE} row at line L whose every other side (all kept apart) is L too, and each
 *       of whose objects (all with an id in the log) is both read and written, and never read or
 *       written anywhere but at L, by the access sites the threads recorded (ACCESS_SITE) and the
 *       sides of the conflicts on it; and each thread that recorded a read of it recorded a write
 *       too, and the other way round (a victim that only reads the object is no update). So every
 *       transaction that touches the object reads then writes it in one statement, such as
 *       {@code ref.update(f)} or {@code x.set(x.get() + 1)}.
 *       An object also read elsewhere is rejected: a balance checked at one line and debited at
 *       another (bank), a cache looked up at one line and filled at another (primes' ETag cache),
 *       an index that readers read while writers update it. The log cannot show whether the new
 *       value depends only on the old one, so the hint is phrased as that condition.</li>
 *   <li><b>A whole-map read of a {@code TMap}</b> ({@link Hint.Kind#WHOLE_MAP_READ}): a
 *       {@code WRITE_READ} row all of whose objects are a map's presence stripes (labels
 *       {@code name#presenceN}). Only whole-map operations read stripes; inserts and removals
 *       write them.</li>
 *   <li><b>A long transaction that reads the object early, aborted by short writers</b>
 *       ({@link Hint.Kind#READ_LAST}): a {@code WRITE_READ} row with at least {@value #MIN_RUNS}
 *       conflicts met at commit whose aborted attempt was timed and whose re-run's first read of
 *       the object completed the conflict (the runtime records that read at its own time, so its
 *       distance from the re-run's start is how far in it came; the re-run is the same
 *       transaction, so the aborted attempt read it about as far in), and at least
 *       {@value #MIN_RUNS} conflicts that give the other side's attempt's time (the runtime
 *       times the attempts of threads that write Refs which had conflicts); where 3 in 4 of the
 *       reads came in the first quarter of the aborted attempt's time, and 3 in 4 of the
 *       aborted attempts ran at least {@value #LONGER} times as long as 3 in 4 of the other
 *       side's attempts, and so did the victims' threads' committed transactions on average (the
 *       quartiles taken from histograms, each rounded against the hint, so the ratio is never
 *       overstated; which attempts count, and why the committed ones: {@link HintEvidence}). The
 *       read then
 *       opens a window as long as the transaction in which any of the short writers' commits
 *       aborts it; reading the object last shrinks it to the end of the transaction, splitting
 *       the transaction to one of the parts. Rows of whole-map reads get rule 6's hint instead,
 *       whose fix is more specific.</li>
 * </ol>
 *
 * <p>Not recognised, for want of evidence in the log: conflicts concentrated on one
 * {@code TArray} element or {@code TMap} key (each is its own Ref already, so finer granularity
 * would only help a value made of independent parts, which the log cannot show); write-write
 * conflicts on presence stripes (they may be inserts of the same key); lock waits behind
 * {@code Ref.commute} commits, which a {@code TCounter}'s stripes would spread (the runtime could
 * tell that the waiting commit commutes, but not that the one holding the lock does: a plain
 * write holds it the same way, and a {@code TCounter} would not help against that).
 */
final class Hints {
    private static final Pattern PRESENCE_STRIPE = Pattern.compile("(.*)#presence\\d+");
    /** Lines kept per object and access; past that, the object is accessed "everywhere". */
    private static final int MAX_LINES = 16;
    /** Threads kept per object and access; past that, the threads cannot be compared. */
    private static final int MAX_THREADS = 256;

    private Hints() {
    }

    /**
     * Where one log's threads read and wrote each contended object (by id): the top frames, from
     * the access sites and the conflicts' sides; and which threads recorded an access site of
     * each kind.
     */
    static final class AccessLines {
        private final Map<Long, Object[]> lines = new HashMap<>();

        /** The object {@code ref} was read ({@code write} false) or written at {@code frames}' top frame. */
        void add(long ref, boolean write, List<Frame> frames) {
            if (ref == 0 || frames.isEmpty()) return;
            Set<Frame> at = set(ref, write ? 1 : 0);
            if (at.size() < MAX_LINES) at.add(frames.get(0));
        }

        /** {@code thread} recorded that it read ({@code write} false) or wrote {@code ref}. */
        void thread(long ref, boolean write, long thread) {
            if (ref == 0) return;
            Set<Long> threads = set(ref, write ? 3 : 2);
            if (threads.size() < MAX_THREADS) threads.add(thread);
        }

        @SuppressWarnings("unchecked")
        private <T> Set<T> set(long ref, int i) {
            Object[] sets = lines.computeIfAbsent(ref, r -> new Object[4]);
            if (sets[i] == null) sets[i] = new HashSet<>(4);
            return (Set<T>) sets[i];
        }

        /**
         * Whether {@code ref} was read and written only ever at {@code line}, and every thread
         * that recorded a read of it recorded a write too, and the other way round.
         */
        boolean onlyUpdatedAt(long ref, Frame line) {
            Object[] sets = lines.get(ref);
            if (sets == null || sets[0] == null || sets[1] == null || sets[2] == null || sets[3] == null) return false;
            return sets[0].equals(Set.of(line)) && sets[1].equals(Set.of(line)) && ((Set<?>) sets[2]).size() < MAX_THREADS
                    && sets[2].equals(sets[3]);
        }
    }

    /**
     * For a contention row of one log, at the end of that log: the line both sides update its
     * objects at (rule 3's evidence), or null when there is none.
     */
    static Frame updateLine(Site site, Grouping by, AccessLines access) {
        RowKind kind = site.key.kind();
        if (kind.unexplained() || !(kind.name().equals("WRITE_READ") || kind.name().equals("WRITE_WRITE"))) return null;
        if (site.key.frames().isEmpty()) return null;
        Frame line = site.key.frames().get(0);
        if (!everyOther(site, by, o -> o.get(0).equals(line))) return null;
        java.util.Set<Long> refs = site.refs();
        if (refs == null || refs.isEmpty()) return null;
        for (long ref : refs) if (!access.onlyUpdatedAt(ref, line)) return null;
        return line;
    }

    /** Whether every other side of the row is known and satisfies {@code test} (on a non-empty list). */
    private static boolean everyOther(Site site, Grouping by, java.util.function.Predicate<List<Frame>> test) {
        if (by == Grouping.PAIR) return !site.key.otherFrames().isEmpty() && test.test(site.key.otherFrames());
        return site.everyOther(o -> !o.isEmpty() && test.test(o));
    }

    /**
     * The row's hint, or null. {@code inevitableCalls}: the lines where transactions called
     * {@code Stm.inevitable()}, over all logs.
     */
    static Hint of(Site site, Grouping by, Set<Frame> inevitableCalls, Set<Frame> entries) {
        RowKind kind = site.key.kind();
        if (kind.origin() == RowKind.Origin.UNEXPLAINED_WAIT) return waitHint(kind.name());
        if (kind.unexplained() || (by != Grouping.SITE && by != Grouping.PAIR)) return null;
        switch (kind.name()) {
            case "INEVITABLE" -> {
                if (everyOther(site, by, o -> inevitableCalls.contains(o.get(0)))) {
                    Frame other = by == Grouping.PAIR ? site.key.otherFrames().get(0) : site.topOther().get(0);
                    return new Hint(Hint.Kind.AFTER_COMMIT, "if " + line(other) + " becomes inevitable for I/O or the"
                            + " clock, move that out of the transaction: I/O into Stm.afterCommit(...), the clock"
                            + " read before the transaction starts");
                }
                if (everyOther(site, by, o -> entries.contains(o.get(0)) && !inevitableCalls.contains(o.get(0)))) {
                    Frame other = by == Grouping.PAIR ? site.key.otherFrames().get(0) : site.topOther().get(0);
                    return new Hint(Hint.Kind.MADE_INEVITABLE, "the runtime made the transaction entered at "
                            + line(other) + " inevitable after it kept aborting: these waits go with the conflicts"
                            + " that abort it");
                }
                return null;
            }
            case "WRITE_READ", "WRITE_WRITE" -> {
                Hint unchanged = unchangedWrites(site, by);
                if (unchanged != null) return unchanged;
                Frame update = site.updateLine();
                if (update != null) {
                    Set<String> labels = site.labels();
                    String what = labels != null && labels.size() == 1 ? "`" + labels.iterator().next() + "`" : "it";
                    return new Hint(Hint.Kind.COMMUTE, "both sides read and write " + what + " at " + line(update)
                            + ": if the new value depends only on the old one (a counter, a statistic), use"
                            + " Ref.commute or a TCounter, which do not conflict");
                }
                String map = kind.name().equals("WRITE_READ") ? presenceMap(site.labels()) : null;
                if (map != null) {
                    return new Hint(Hint.Kind.WHOLE_MAP_READ, "a whole-map read of TMap `" + map + "` (size, forEach,"
                            + " keys, snapshot) conflicts with every insert or removal: keep the count in its own"
                            + " Ref or TCounter, or read the whole map outside busy transactions");
                }
                return kind.name().equals("WRITE_READ") ? longReader(site) : null;
            }
            default -> {
                return null;
            }
        }
    }

    // Rules 4 and 7's thresholds (see the class comment).
    /** Identified commits of the other side a row needs before its writes are called unchanged. */
    static final int MIN_COMMITS = 5;
    /** The share of them that must have left the value unchanged: 9 in 10. */
    static final double UNCHANGED_SHARE = 0.9;
    /** Timed victims, and timed attempts of the other side, a row needs before it is called a long reader. */
    static final int MIN_RUNS = 5;
    /** The share of those victims that must have read the object in the first quarter: 3 in 4. */
    static final double EARLY_SHARE = 0.75;
    /** How many times as long as the other side's attempts the victims' must be. */
    static final long LONGER = 10;

    /** Rule 4: the other side's commits left the value as it was. */
    private static Hint unchangedWrites(Site site, Grouping by) {
        HintEvidence e = site.evidenceOrNull();
        if (e == null || e.otherCommits < MIN_COMMITS || e.unchanged < UNCHANGED_SHARE * e.otherCommits) return null;
        String what = object(site);
        String where = oneOther(site, by);
        // the same object may have been changed in place (a mutable value, against the STM's
        // rules): the runtime cannot see that, so the hint says it
        return new Hint(Hint.Kind.WRITE_IF_CHANGED, (where == null ? "the other side" : where) + " wrote " + what
                + " with the value it already held (" + e.unchanged + " of " + e.otherCommits + " commits seen: the"
                + " same object, or an equal number or string), which aborts its readers all the same: write only when"
                + " the value changes (unless the object was changed in place)");
    }

    /** Rule 7: a long transaction that reads the object early, aborted by short writers of it. */
    private static Hint longReader(Site site) {
        HintEvidence e = site.evidenceOrNull();
        if (e == null || e.timedReads < MIN_RUNS || e.timedOthers < MIN_RUNS || e.earlyReads < EARLY_SHARE * e.timedReads) {
            return null;
        }
        // three in four victims at least this long, three in four of the other side's attempts
        // at most this long (each a bucket's bound, so the ratio is never overstated)
        long victims = e.victimsAtLeast(0.25);
        long others = e.othersAtMost(0.75);
        // and the victims' threads' committed transactions, on average (see HintEvidence)
        long committed = e.victimsCommittedMean();
        if (others <= 0 || victims < LONGER * others || committed < LONGER * others) return null;
        victims = Math.min(victims, committed);
        String what = object(site);
        return new Hint(Hint.Kind.READ_LAST, "reads " + what + " early (in the first quarter of the transaction, in "
                + e.earlyReads + " of " + e.timedReads + " conflicts timed) in transactions of "
                + Units.duration(victims, false) + " or more, while"
                + " the transactions that write it take " + Units.duration(others, false) + " or less:"
                + " split the transaction, or read " + what + " last");
    }

    /** The row's object as a hint names it: its label in backquotes when it has one, else "the Ref". */
    private static String object(Site site) {
        Set<String> labels = site.labels();
        return labels != null && labels.size() == 1 ? "`" + labels.iterator().next() + "`" : "the Ref";
    }

    /** The other side's line when every other side of the row is that one line; null otherwise. */
    private static String oneOther(Site site, Grouping by) {
        List<Frame> top = by == Grouping.PAIR ? site.key.otherFrames() : site.topOther();
        if (top.isEmpty()) return null;
        Frame line = top.get(0);
        return everyOther(site, by, o -> o.get(0).equals(line)) ? line(line) : null;
    }

    /** The map whose presence stripes all the labels are, or null. */
    private static String presenceMap(Set<String> labels) {
        if (labels == null || labels.isEmpty()) return null;
        String map = null;
        for (String l : labels) {
            var m = PRESENCE_STRIPE.matcher(l);
            if (!m.matches() || (map != null && !map.equals(m.group(1)))) return null;
            map = m.group(1);
        }
        return map;
    }

    private static Hint waitHint(String kind) {
        return switch (kind) {
            case "LOCK" -> new Hint(Hint.Kind.WAIT_LOCK, "waits for a Ref's lock while another transaction"
                    + " commits: normal in short bursts; a lot of it means long commits (large write sets) of shared Refs");
            case "BACKOFF" -> new Hint(Hint.Kind.WAIT_BACKOFF, "the pause before re-running an aborted attempt: it"
                    + " follows aborts that recorded no conflict; look at the ABORT_ rows");
            case "RETRY" -> new Hint(Hint.Kind.WAIT_RETRY, "Stm.retry() waiting for a Ref it read to change:"
                    + " blocking by design (nothing to do yet), normal unless the work should not wait");
            case "INEVITABLE" -> new Hint(Hint.Kind.WAIT_INEVITABLE, "waits for an inevitable transaction to end"
                    + " (one runs at a time): see the INEVITABLE rows for where transactions become inevitable");
            default -> null;
        };
    }

    /** A frame as a hint names it: {@code PrimesApp.java:91}, or the whole frame without a file or line. */
    private static String line(Frame f) {
        return f.file() != null && f.line() >= 0 ? f.file() + ":" + f.line() : f.toString();
    }
}
