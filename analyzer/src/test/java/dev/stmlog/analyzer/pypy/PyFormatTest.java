package dev.stmlog.analyzer.pypy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Python 2.7's %f and the scripts' percent(), as analyzer/docs/pypy-compatibility.md#percent and
 * #number-formatting describe them.
 */
class PyFormatTest {

    @Test
    void fixedRoundsTheExactBinaryValue() {
        assertEquals("1.000", PyFormat.fixed(1.0005, 3, 0)); // stored as 1.000499999...
        assertEquals("0.12", PyFormat.fixed(0.125, 2, 0)); // exact tie: to even
        assertEquals("0.2", PyFormat.fixed(0.25, 1, 0));
        assertEquals("0.3", PyFormat.fixed(0.35, 1, 0));
        assertEquals("2", PyFormat.fixed(2.5, 0, 0));
        assertEquals("     4", PyFormat.fixed(3.5, 0, 6));
        assertEquals("0.002", PyFormat.fixed(0.0015000000003055902, 3, 0));
        assertEquals("-0.000", PyFormat.fixed(-0.0001, 3, 0));
        assertEquals("-0.000", PyFormat.fixed(-0.0, 3, 0));
        assertEquals("    0.060", PyFormat.fixed(0.06, 3, 9));
        assertEquals("1234567890.123", PyFormat.fixed(1234567890.123, 3, 9)); // wider than the field: not cut
        assertEquals("100000000000000007629769841091887003294964970946560.000", PyFormat.fixed(1e50, 3, 0));
        assertEquals("1000.020000000", PyFormat.fixed(1000.02, 9, 0));
    }

    @Test
    void percentTruncatesTheRoundedText() {
        assertEquals("0.0%", PyFormat.percent(0.0, 1.0));
        assertEquals("0.2%", PyFormat.percent(0.25, 100.0));
        assertEquals("0.7%", PyFormat.percent(0.7, 100.0));
        assertEquals("9.9%", PyFormat.percent(9.94, 100.0));
        assertEquals("10%", PyFormat.percent(9.96, 100.0));
        assertEquals("61%", PyFormat.percent(37.0, 60.0)); // 61.67 -> "61.7" -> "61", not 62
        assertEquals("100%", PyFormat.percent(99.96, 100.0));
        assertEquals("171%", PyFormat.percent(171.67, 100.0));
        assertEquals("1234%", PyFormat.percent(1234.5, 100.0));
        assertEquals("-0%", PyFormat.percent(-0.5, 100.0));
        assertEquals(" -0%", PyFormat.pad(PyFormat.percent(-0.5, 100.0), 4));
        assertEquals("50%", PyFormat.percent(4, 8)); // integer counts as doubles
    }

    @Test
    void reprQuotesLikePython2() {
        assertEquals("'log.stmlog'", PyFormat.repr("log.stmlog"));
        assertEquals("\"it's.stmlog\"", PyFormat.repr("it's.stmlog"));
        assertEquals("'a\\'b\"c'", PyFormat.repr("a'b\"c"));
        assertEquals("'caf\\xc3\\xa9\\t\\n\\\\'", PyFormat.repr("café\t\n\\".getBytes(StandardCharsets.UTF_8)));
    }
}
