package dev.stmlog.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stmlog.reports.export.StackProfile;
import dev.stmlog.reports.export.StackProfile.Frame;
import dev.stmlog.reports.export.StackProfile.Sample;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The report's flame graph: one box per frame in its context, as wide as its share of the time. */
class FlameGraphTest {
    private static final Frame KIND = Frame.pseudo("WRITE_READ");
    private static final Frame MAIN = new Frame("App.main", "App.java", 10);
    private static final Frame TRANSFER = new Frame("App.transfer", "App.java", 42);
    private static final Frame AUDIT = new Frame("App.audit", "App.java", 77);

    /** Each drawn frame: {@code title-prefix x y width}. */
    private static List<String> boxes(StackProfile p) {
        Html h = new Html();
        FlameGraph.svg(p, h);
        Matcher m = Pattern.compile("<g class=\"[a-z]+\"><title>([^<]*?) — [^<]*</title><rect x=\"([0-9.]+)\" y=\"([0-9]+)\" width=\"([0-9.]+)\"")
                .matcher(h.toString());
        List<String> out = new ArrayList<>();
        while (m.find()) out.add(m.group(1) + " " + m.group(2) + " " + m.group(3) + " " + m.group(4));
        return out;
    }

    @Test
    void sharedPrefixesAreOneBoxAndWidthsAreShares() {
        StackProfile p = new StackProfile("p", List.of(
                new Sample(List.of(KIND, MAIN, AUDIT), 1_000),
                new Sample(List.of(KIND, MAIN, TRANSFER), 2_000),
                new Sample(List.of(KIND, MAIN, TRANSFER), 1_000)));
        // root at the bottom (y 54 for 4 rows of 18), biggest sibling first
        assertEquals(List.of("all 0.00 54 1200.00", "WRITE_READ 0.00 36 1200.00", "App.main(App.java:10) 0.00 18 1200.00",
                "App.transfer(App.java:42) 0.00 0 900.00", "App.audit(App.java:77) 900.00 0 300.00"), boxes(p));
    }

    @Test
    void framesTooNarrowToSeeAreLeftOutButKeepTheirParentsWidth() {
        StackProfile p = new StackProfile("p", List.of(
                new Sample(List.of(KIND, MAIN), 1_000_000),
                new Sample(List.of(KIND, AUDIT), 10)));
        assertEquals(List.of("all 0.00 36 1200.00", "WRITE_READ 0.00 18 1200.00", "App.main(App.java:10) 0.00 0 1199.99"),
                boxes(p));
    }

    @Test
    void labelsAreCutToTheirBoxAndEverythingIsEscaped() {
        String hostile = "<script>alert(1)</script>\"&";
        StackProfile p = new StackProfile("<b>", List.of(
                new Sample(List.of(KIND, new Frame(hostile, "A.java", 1)), 1),
                new Sample(List.of(KIND, MAIN), 199)));
        Html h = new Html();
        FlameGraph.svg(p, h);
        String svg = h.toString();
        assertTrue(!svg.contains("<script") && !svg.contains("<b>"), svg);
        assertTrue(svg.contains("&lt;script&gt;alert(1)&lt;/script&gt;&quot;&amp;(A.java:1)"), svg);
        // a 6-unit box gets no label; the big one gets its whole name
        assertTrue(svg.contains(">App.main(App.java:10)</text>"), svg);
        assertEquals(3, svg.split("<text", -1).length - 1, svg);
    }
}
