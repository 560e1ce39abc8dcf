package dev.stmlog.runtime;

import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Per-thread event counters behind {@link Stm#stats()}. Each is written only by its own thread
 * with plain increments (no shared counter on the hot path); a snapshot sums them all and is
 * exact once the counting threads have finished (e.g. after {@code join}), approximate while
 * they run.
 */
final class Counters {

    private static final ConcurrentLinkedQueue<Counters> ALL = new ConcurrentLinkedQueue<>();

    long commits;
    long readOnlyCommits;
    long writeWriteAborts;
    long writeReadAborts;
    long inevitableAborts;
    long retries;
    long rollbacks;
    long inevitables;

    static Counters register() {
        Counters c = new Counters();
        ALL.add(c);
        return c;
    }

    void countConflict(Recorder.ConflictKind kind) {
        switch (kind) {
            case WRITE_WRITE -> writeWriteAborts++;
            case WRITE_READ -> writeReadAborts++;
            case INEVITABLE -> inevitableAborts++;
        }
    }

    static StmStats snapshot() {
        long commits = 0, readOnly = 0, ww = 0, wr = 0, inev = 0, retries = 0, rollbacks = 0, inevitables = 0;
        for (Counters c : ALL) {
            commits += c.commits;
            readOnly += c.readOnlyCommits;
            ww += c.writeWriteAborts;
            wr += c.writeReadAborts;
            inev += c.inevitableAborts;
            retries += c.retries;
            rollbacks += c.rollbacks;
            inevitables += c.inevitables;
        }
        return new StmStats(commits, readOnly, ww, wr, inev, retries, rollbacks, inevitables);
    }
}
