package dev.stmlog.samples.wiki;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * An immutable title index: title → byte offset of the article in a (synthetic) dump, with exact
 * lookup and prefix search by binary search over sorted arrays.
 *
 * <p>Immutability is the whole trick of this sample. The big part (the {@code base}, a million
 * titles) is built once by the main thread and never written again, so readers can share it
 * freely. Updates make a <em>new</em> index that shares the base and copies only the small
 * sorted overlay of titles added since; the new index is published by one write to one Ref.
 * Readers read that Ref once per query: a transaction that reads one Ref and writes nothing
 * commits without locks or validation, and conflicts only with the rare update that commits
 * during its first read.
 */
public final class WikiIndex {

    /** A prefix search's answer: how many titles match, and the first few in order. */
    public record Matches(int count, List<String> first) {
    }

    private final String[] baseTitles;  // sorted, shared by every version of the index
    private final long[] baseOffsets;
    private final String[] addedTitles; // sorted, small, copied on update
    private final long[] addedOffsets;
    private final long dumpEnd;         // where the next added article goes in the dump

    private WikiIndex(String[] baseTitles, long[] baseOffsets, String[] addedTitles, long[] addedOffsets, long dumpEnd) {
        this.baseTitles = baseTitles;
        this.baseOffsets = baseOffsets;
        this.addedTitles = addedTitles;
        this.addedOffsets = addedOffsets;
        this.dumpEnd = dumpEnd;
    }

    /** Builds the index of articles {@code 0..n-1} (titles from {@link Titles}); single-threaded. */
    public static WikiIndex build(int n) {
        record Entry(String title, long offset) {
        }
        Entry[] entries = new Entry[n];
        long offset = 0;
        for (int i = 0; i < n; i++) {
            entries[i] = new Entry(Titles.title(i), offset);
            offset += Titles.articleLength(i);
        }
        Arrays.sort(entries, Comparator.comparing(Entry::title));
        String[] titles = new String[n];
        long[] offsets = new long[n];
        for (int i = 0; i < n; i++) {
            titles[i] = entries[i].title();
            offsets[i] = entries[i].offset();
        }
        return new WikiIndex(titles, offsets, new String[0], new long[0], offset);
    }

    public int size() {
        return baseTitles.length + addedTitles.length;
    }

    /** Number of titles added since the build. */
    public int added() {
        return addedTitles.length;
    }

    /** The byte offset of the article titled {@code title}, or -1. */
    public long lookup(String title) {
        int i = Arrays.binarySearch(baseTitles, title);
        if (i >= 0) return baseOffsets[i];
        int j = Arrays.binarySearch(addedTitles, title);
        return j >= 0 ? addedOffsets[j] : -1;
    }

    /** Titles starting with {@code prefix}: their count and the first {@code limit} in order. */
    public Matches prefix(String prefix, int limit) {
        int b0 = lowerBound(baseTitles, prefix), b1 = upperBoundOfPrefix(baseTitles, prefix, b0);
        int a0 = lowerBound(addedTitles, prefix), a1 = upperBoundOfPrefix(addedTitles, prefix, a0);
        List<String> first = new ArrayList<>(Math.min(limit, 16));
        int b = b0, a = a0; // merge the two sorted ranges
        while (first.size() < limit && (b < b1 || a < a1)) {
            if (a >= a1 || (b < b1 && baseTitles[b].compareTo(addedTitles[a]) < 0)) {
                first.add(baseTitles[b++]);
            } else {
                first.add(addedTitles[a++]);
            }
        }
        return new Matches((b1 - b0) + (a1 - a0), first);
    }

    /**
     * A new index with {@code title} added (its article appended to the dump, {@code length}
     * bytes); this index is unchanged. An existing title is left as is.
     */
    public WikiIndex withAdded(String title, int length) {
        if (lookup(title) >= 0) return this;
        int at = -Arrays.binarySearch(addedTitles, title) - 1;
        int k = addedTitles.length;
        String[] titles = new String[k + 1];
        long[] offsets = new long[k + 1];
        System.arraycopy(addedTitles, 0, titles, 0, at);
        System.arraycopy(addedOffsets, 0, offsets, 0, at);
        titles[at] = title;
        offsets[at] = dumpEnd;
        System.arraycopy(addedTitles, at, titles, at + 1, k - at);
        System.arraycopy(addedOffsets, at, offsets, at + 1, k - at);
        return new WikiIndex(baseTitles, baseOffsets, titles, offsets, dumpEnd + length);
    }

    /** Any title of the index, by rank in the base (for drawing queries). */
    public String baseTitle(int i) {
        return baseTitles[i];
    }

    public int baseSize() {
        return baseTitles.length;
    }

    /** First index whose title is {@code >= key}. */
    private static int lowerBound(String[] a, String key) {
        int lo = 0, hi = a.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (a[mid].compareTo(key) < 0) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    /** First index at or after {@code from} whose title does not start with {@code prefix}. */
    private static int upperBoundOfPrefix(String[] a, String prefix, int from) {
        int lo = from, hi = a.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (a[mid].startsWith(prefix)) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }
}
