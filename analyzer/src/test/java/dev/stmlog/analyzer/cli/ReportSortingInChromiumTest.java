package dev.stmlog.analyzer.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The report's tables sort when their headers are clicked or get Enter or Space, in headless
 * Chromium: a driver script, added to a copy of the page after the page's own, dispatches the
 * events to the headers, so that the page's own handlers run, and writes down each column's
 * order after each; this test checks that order with its own comparison (numbers as numbers,
 * text by code units, ties in their previous order), not the page's. A table added to the copy
 * with known values checks the exact order, where numbers and their text would sort apart.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ReportSortingInChromiumTest {

    /** Numbers whose text sorts otherwise ("9" after "10"), and text whose case differs. */
    private static final String SYNTHETIC = "<table id=\"synthetic\" class=\"sortable\"><thead><tr>"
            + "<th class=\"num\" data-sort=\"n\" scope=\"col\">n</th><th data-sort=\"s\" scope=\"col\">s</th></tr></thead><tbody>"
            + row("9", "beta") + row("10", "Alpha") + row("100", "gamma") + row("2.5", "alpha2") + row("-1", "Beta0")
            + row("1e3", "delta") + "</tbody></table>\n";

    private static String row(String n, String s) {
        return "<tr><td class=\"num\" data-v=\"" + n + "\">" + n + "</td><td>" + s + "</td></tr>";
    }

    /**
     * After report.js: for each sortable table and each sortable header, a click, then Enter,
     * then Space, each followed by a line: table, column, action, numeric, aria-sort, the rows'
     * ids (their place in the page as written) and the column's values (data-v, else text).
     */
    private static final String DRIVER = """
            <script>
            (function () {
              var lines = [];
              function record(table, th, col, action) {
                var rows = Array.prototype.slice.call(table.tBodies[0].rows);
                lines.push([table.id, th.getAttribute('data-sort'), action, th.classList.contains('num') ? 'num' : 'text',
                  th.getAttribute('aria-sort') || '',
                  rows.map(function (r) { return r.getAttribute('data-driver-id'); }).join(','),
                  rows.map(function (r) {
                    var td = r.cells[col], v = td.getAttribute('data-v');
                    return v !== null ? 'v' + encodeURIComponent(v) : 't' + encodeURIComponent(td.textContent.trim());
                  }).join(',')].join('\\t'));
              }
              Array.prototype.forEach.call(document.querySelectorAll('table.sortable'), function (table) {
                Array.prototype.forEach.call(table.tBodies[0].rows, function (r, i) { r.setAttribute('data-driver-id', String(i)); });
                Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, col) {
                  if (!th.hasAttribute('data-sort')) return;
                  th.click();
                  record(table, th, col, 'click');
                  th.focus();
                  th.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true }));
                  record(table, th, col, 'enter');
                  th.dispatchEvent(new KeyboardEvent('keydown', { key: ' ', bubbles: true, cancelable: true }));
                  record(table, th, col, 'space');
                });
              });
              var out = document.getElementById('driven');
              out.textContent = lines.join('\\n');
              out.setAttribute('data-driven', 'yes');
            })();
            </script>
            """;

    @TempDir
    Path dir;

    @Test
    void clicksAndKeysOnTheHeadersSortTheRowsByTheirValues() throws Exception {
        Path planted = Planted.write(dir.resolve("planted.stmlog"));
        Path report = dir.resolve("report");
        Cli.Result r = Cli.run("report", "-o", report.toString(), planted.toString());
        assertEquals(0, r.status(), r.err());
        String html = Files.readString(report.resolve("index.html"));
        int pre = html.indexOf("<pre id=\"selftest\"");
        int end = html.lastIndexOf("</body>");
        assertTrue(pre > 0 && end > pre, "the page's layout changed");
        String driven = html.substring(0, pre) + SYNTHETIC + "<pre id=\"driven\"></pre>\n" + html.substring(pre, end)
                + DRIVER + html.substring(end);
        Path page = report.resolve("driven.html");
        Files.writeString(page, driven);

        Chromium.Page result = Chromium.open(page, null, dir);
        assertEquals(List.of(), result.consoleErrors(), result.log());
        Matcher m = Pattern.compile("<pre id=\"driven\"[^>]*data-driven=\"yes\"[^>]*>([^<]*)</pre>").matcher(result.dom());
        assertTrue(m.find(), "the driver ran: " + ReportCommandTest.tail(result.dom()));
        List<String> lines = result.dom().substring(m.start(1), m.end(1)).lines().toList();

        Map<String, List<String>> orderBefore = new HashMap<>(); // per table: row ids before the action
        Map<String, Integer> checked = new HashMap<>();
        for (String line : lines) {
            String[] f = line.split("\t", -1);
            assertEquals(7, f.length, line);
            String table = f[0], column = f[1], action = f[2];
            boolean numeric = f[3].equals("num");
            List<String> ids = List.of(f[5].split(","));
            List<String> cells = Arrays.stream(f[6].split(",", -1)).toList(); // 'v' data-v or 't' text, then the value
            List<String> values = cells.stream().map(c -> decode(c.substring(1))).toList();
            String what = table + "." + column + " after " + action + ": " + values + " rows " + ids;
            int rows = ids.size();
            List<String> before = orderBefore.computeIfAbsent(table, t -> initial(rows));
            assertEquals(before.stream().sorted().toList(), ids.stream().sorted().toList(), "the same rows: " + what);

            // A first click sorts numbers descending and text ascending; each key press turns it round.
            int direction = (numeric ? -1 : 1) * (action.equals("enter") ? -1 : 1);
            assertEquals(direction > 0 ? "ascending" : "descending", f[4], "aria-sort: " + what);
            for (int i = 1; i < rows; i++) {
                int c = compare(cells.get(i - 1), cells.get(i), numeric, what) * direction;
                assertTrue(c <= 0, "out of order at row " + i + ": " + what);
                if (c == 0) {
                    assertTrue(before.indexOf(ids.get(i - 1)) < before.indexOf(ids.get(i)), "ties keep their order: " + what);
                }
            }
            orderBefore.put(table, ids);
            checked.merge(table, 1, Integer::sum);

            if (table.equals("synthetic")) {
                List<String> ascending = column.equals("n") ? List.of("-1", "2.5", "9", "10", "100", "1e3")
                        : List.of("Alpha", "alpha2", "beta", "Beta0", "delta", "gamma");
                List<String> expected = new ArrayList<>(ascending);
                if (direction < 0) java.util.Collections.reverse(expected);
                assertEquals(expected, values, what);
            }
        }
        // sites: rank, kind, key, count, lost, paused, total; threads: 8 columns; synthetic: 2; three actions each
        assertEquals(Map.of("sites", 7 * 3, "threads", 8 * 3, "synthetic", 2 * 3), checked,
                "every sortable column of every table was driven");
    }

    private static List<String> initial(int rows) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < rows; i++) ids.add(Integer.toString(i));
        return ids;
    }

    /**
     * Two cells ('v' and a data-v, or 't' and the text): values that are numbers as numbers (a
     * numeric column's must all be), anything else lower-cased, by code units.
     */
    private static int compare(String a, String b, boolean numeric, String what) {
        Double x = number(a), y = number(b);
        if (numeric && (x == null || y == null)) fail("not a number in a numeric column: " + what);
        if (x != null && y != null) return Double.compare(x, y);
        return text(a).compareTo(text(b));
    }

    private static Double number(String cell) {
        String v = decode(cell.substring(1)).trim();
        if (cell.charAt(0) != 'v' || v.isEmpty()) return null;
        try {
            double d = Double.parseDouble(v);
            return Double.isNaN(d) ? null : d;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String text(String cell) {
        return decode(cell.substring(1)).trim().toLowerCase(java.util.Locale.ROOT);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("&amp;", "&"), StandardCharsets.UTF_8);
    }
}
