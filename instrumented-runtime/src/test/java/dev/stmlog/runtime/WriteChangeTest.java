package dev.stmlog.runtime;

import dev.stmlog.format.event.ValueChange;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What a commit of a contended Ref says its write did to the value ({@link ConflictSites#change}):
 * compared by identity, and by {@code equals} only for boxed primitives and short strings.
 */
class WriteChangeTest {

    private static ValueChange change(Object old, Object now) {
        return ValueChange.ofCode(ConflictSites.commitChange(ConflictSites.change(old, now)));
    }

    /** A user type that says every two instances are equal, and counts its calls. */
    private static final class AlwaysEqual {
        int calls;

        @Override
        public boolean equals(Object o) {
            calls++;
            return true;
        }

        @Override
        public int hashCode() {
            return 0;
        }
    }

    @Test
    void theSameObjectIsUnchanged() {
        AlwaysEqual a = new AlwaysEqual();
        assertEquals(ValueChange.UNCHANGED, change(a, a));
        assertEquals(ValueChange.UNCHANGED, change(null, null));
        assertEquals(ValueChange.UNCHANGED, change(TimeUnit.SECONDS, TimeUnit.SECONDS));
        assertEquals(0, a.calls);
    }

    @Test
    void boxedPrimitivesAndStringsAreComparedByEquals() {
        assertEquals(ValueChange.UNCHANGED, change(Long.valueOf(100_000), Long.valueOf(100_000)));
        assertEquals(ValueChange.CHANGED, change(Long.valueOf(100_000), Long.valueOf(100_001)));
        assertEquals(ValueChange.UNCHANGED, change(new String("etag"), new String("etag")));
        assertEquals(ValueChange.CHANGED, change("etag-1", "etag-2"));
        assertEquals(ValueChange.UNCHANGED, change(Double.valueOf(0.5), Double.valueOf(0.5)));
        assertEquals(ValueChange.CHANGED, change(Integer.valueOf(1), Long.valueOf(1))); // not equal as objects
    }

    @Test
    void aLongStringIsComparedOnlyWhenItsLengthDiffers() {
        String a = "x".repeat(ConflictSites.MAX_COMPARED_CHARS + 1);
        String b = new String(a);
        assertEquals(ValueChange.NOT_COMPARED, change(a, b));
        assertEquals(ValueChange.CHANGED, change(a, a + "y"));
    }

    @Test
    void aUserTypesEqualsIsNeverCalled() {
        AlwaysEqual a = new AlwaysEqual();
        AlwaysEqual b = new AlwaysEqual();
        assertEquals(ValueChange.NOT_COMPARED, change(a, b));
        assertEquals(ValueChange.NOT_COMPARED, change(List.of(1), new java.util.ArrayList<>(List.of(1))));
        // against null, an enum, a string or a boxed primitive, whose own equals says no
        assertEquals(ValueChange.CHANGED, change(a, null));
        assertEquals(ValueChange.CHANGED, change(null, b));
        assertEquals(ValueChange.CHANGED, change(a, "text"));
        assertEquals(ValueChange.CHANGED, change(7L, b));
        assertEquals(ValueChange.CHANGED, change(a, TimeUnit.SECONDS));
        assertEquals(0, a.calls + b.calls);
    }

    @Test
    void differentEnumConstantsChanged() {
        assertEquals(ValueChange.CHANGED, change(TimeUnit.SECONDS, TimeUnit.MINUTES));
    }

    @Test
    void aCommitKeepsItsThreadAndItsTimeTo16Ns() {
        long c = ConflictSites.commitOf(0x1_2345_6789L, 1_000_007) | ConflictSites.change(1L, 2L);
        assertEquals(0x2345_6789L, c & 0xFFFF_FFFFL, "the thread id's low 32 bits");
        assertEquals(ValueChange.CHANGED, ValueChange.ofCode(ConflictSites.commitChange(c)));
        assertEquals(1_000_000, ConflictSites.commitNanos(c)); // 1,000,007 ns, down to 16 ns
        assertEquals(0, ConflictSites.commitNanos(ConflictSites.commitOf(1, 15)));
        assertEquals(-1, ConflictSites.commitNanos(ConflictSites.commitOf(1, -1)), "not timed");
        // past 17 s, saturated: as long as can be said, never unknown (which would leave the long ones out)
        long saturated = ConflictSites.commitNanos(ConflictSites.commitOf(1, Long.MAX_VALUE));
        assertEquals(saturated, ConflictSites.commitNanos(ConflictSites.commitOf(1, 60_000_000_000L)));
        assertEquals(true, saturated > 17_000_000_000L, "saturated at " + saturated);
    }
}
