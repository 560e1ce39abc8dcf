package dev.stmlog.samples.wiki;

import dev.stmlog.samples.Mode;
import dev.stmlog.samples.Workers;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WikiTest {

    /** The straightforward oracle: a list of (title, offset), searched linearly. */
    static final class Linear {
        final Map<String, Long> entries = new LinkedHashMap<>();
        long end;

        long lookup(String t) {
            for (Map.Entry<String, Long> e : entries.entrySet()) if (e.getKey().equals(t)) return e.getValue();
            return -1;
        }

        WikiIndex.Matches prefix(String p, int limit) {
            List<String> all = new ArrayList<>();
            for (String t : entries.keySet()) if (t.startsWith(p)) all.add(t);
            all.sort(null);
            return new WikiIndex.Matches(all.size(), all.subList(0, Math.min(limit, all.size())));
        }
    }

    @Test
    void titlesAreDeterministicAndDistinct() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 200_000; i++) assertTrue(seen.add(Titles.title(i)), "duplicate title " + Titles.title(i));
        assertEquals(Titles.title(12345), Titles.title(12345));
    }

    @Test
    void answersMatchALinearSearch() {
        int n = 3000;
        WikiIndex index = WikiIndex.build(n);
        Linear oracle = new Linear();
        for (int i = 0; i < n; i++) {
            oracle.entries.put(Titles.title(i), oracle.end);
            oracle.end += Titles.articleLength(i);
        }
        SplittableRandom r = new SplittableRandom(1);
        for (int step = 0; step < 600; step++) {
            if (step % 10 == 0) { // updates, as in the sample
                String t = index.baseTitle(r.nextInt(n)) + " (" + step + ")";
                int len = 200 + r.nextInt(5000);
                index = index.withAdded(t, len);
                oracle.entries.put(t, oracle.end);
                oracle.end += len;
            }
            String title = r.nextInt(4) == 0 ? "Nope " + step : Titles.title(r.nextInt(n));
            assertEquals(oracle.lookup(title), index.lookup(title), title);
            String p = r.nextInt(5) == 0 ? "" : WikiSample.randomPrefix(new ArrayList<>(oracle.entries.keySet()).get(r.nextInt(oracle.entries.size())), r);
            assertEquals(oracle.prefix(p, 10), index.prefix(p, 10), "prefix '" + p + "'");
        }
        assertEquals(oracle.entries.size(), index.size());
        for (Map.Entry<String, Long> e : oracle.entries.entrySet()) assertEquals(e.getValue(), index.lookup(e.getKey()));
    }

    @Test
    void parallelQueriesAndUpdatesInStm() throws Exception {
        WikiIndex built = WikiIndex.build(20_000);
        WikiSample.Wiki wiki = new WikiSample.Wiki(Mode.STM, built, 10);
        Workers.Run run = Workers.run(2, 0, 0.5, 1, (t, r) -> {
            if (r.nextInt(50) == 0) {
                wiki.add("Added " + t + "." + r.nextLong(), 100);
            } else {
                String title = Titles.title(r.nextInt(20_000));
                if (wiki.lookup(title) < 0) throw new AssertionError("lost " + title);
            }
        });
        assertTrue(run.ops() > 0);
        WikiIndex now = wiki.current();
        assertEquals(20_000 + now.added(), now.size());
        assertTrue(now.added() > 0);
    }
}
