package dev.stmlog.samples.wiki;

import dev.stmlog.samples.Mode;
import dev.stmlog.samples.Options;
import dev.stmlog.samples.Result;
import dev.stmlog.samples.Sample;
import dev.stmlog.samples.Shared;
import dev.stmlog.samples.Workers;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * <b>wiki</b>: PyParallel's read-mostly service. The main thread builds a large title index
 * (a million synthetic titles → byte offsets) once; then N threads answer exact lookups and
 * prefix searches in parallel, and about one operation in a thousand adds a title.
 *
 * <p>What it teaches: sharing <em>immutable</em> data is free. The index is an immutable
 * {@link WikiIndex} published through one Ref ({@code wiki.index}); a query is a transaction that
 * reads that Ref once and then works on plain arrays. Read-only transactions commit without
 * locks or validation, so the log shows near-zero conflicts and throughput scales with cores.
 * The only conflicts are an update against another update (both write {@code wiki.index}), or a
 * query whose single read meets an update being written back.
 */
public final class WikiSample implements Sample {

    @Override
    public String name() {
        return "wiki";
    }

    @Override
    public String summary() {
        return "read-mostly title index (>= 1M titles) built once, queried in parallel, rare updates";
    }

    @Override
    public List<Opt> options() {
        return List.of(
                new Opt("titles", "N", "titles in the index (default 1000000)"),
                new Opt("update-every", "K", "about one operation in K adds a title; 0 = never (default 1000)"),
                new Opt("limit", "N", "titles returned by a prefix search (default 10)"));
    }

    /** The service: the index published through one shared cell, and the three operations. */
    public static final class Wiki {
        private final Mode.Tx tx; // Stm::atomic, or no-op, or the global lock
        /** The current index; transactional in stm mode. Replaced (never mutated) by updates. */
        private final Shared.Cell<WikiIndex> index;
        private final int limit;

        public Wiki(Mode mode, WikiIndex initial, int limit) {
            this.tx = mode.tx();
            this.index = Shared.cell(mode, initial, "wiki.index");
            this.limit = limit;
        }

        public long lookup(String title) {
            return tx.atomic(() -> index.get().lookup(title));
        }

        public WikiIndex.Matches prefix(String prefix) {
            return tx.atomic(() -> index.get().prefix(prefix, limit));
        }

        /** Adds a title: build the new index from the current one, publish it with one write. */
        public void add(String title, int length) {
            tx.atomic(() -> index.update(current -> current.withAdded(title, length)));
        }

        public WikiIndex current() {
            return tx.atomic(index::get);
        }
    }

    @Override
    public Result run(Options o, PrintStream out) throws Exception {
        int n = o.intValue("titles", 1_000_000, 10, 50_000_000);
        int updateEvery = o.intValue("update-every", 1000, 0, Integer.MAX_VALUE);
        int limit = o.intValue("limit", 10, 1, 1000);

        long t0 = System.nanoTime();
        WikiIndex built = WikiIndex.build(n); // by the main thread, before any worker starts
        out.printf(Locale.ROOT, "wiki: built an index of %d titles in %.2f s%n", n, (System.nanoTime() - t0) / 1e9);
        Wiki wiki = new Wiki(o.mode(), built, limit);
        long[] updates = new long[o.threads()];

        Workers.Run run = Workers.run(o.threads(), o.warmup(), o.duration(), o.seed(), (t, r) -> {
            if (updateEvery > 0 && r.nextInt(updateEvery) == 0) {
                // A new article: a variant of an existing title, unique per thread and update.
                String title = built.baseTitle(r.nextInt(n)) + " (" + t + "." + (++updates[t]) + ")";
                wiki.add(title, 200 + r.nextInt(5000));
            } else if (r.nextBoolean()) {
                String title = Titles.title(r.nextInt(n));
                if (wiki.lookup(title) < 0) throw new IllegalStateException("title not found: " + title);
            } else {
                String p = randomPrefix(Titles.title(r.nextInt(n)), r);
                if (wiki.prefix(p).count() == 0) throw new IllegalStateException("no title starts with " + p);
            }
        });
        out.println("wiki: titles added during the run: " + wiki.current().added());
        return new Result(name(), o.mode(), o.threads(), run.ops(), run.seconds());
    }

    /** The first 2 to 5 characters of {@code title}: what a user types into a search box. */
    static String randomPrefix(String title, SplittableRandom r) {
        return title.substring(0, Math.min(title.length(), 2 + r.nextInt(4)));
    }
}
