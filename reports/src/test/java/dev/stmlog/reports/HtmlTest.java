package dev.stmlog.reports;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The HTML builder escapes by default; markup goes in only through {@link Html#raw}. */
class HtmlTest {
    /** A string as a log might hold it. */
    static final String FROM_LOG = "<script>alert(\"x\")</script> & 'q'";
    static final String ESCAPED = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39;";

    @Test
    void textIsEscaped() {
        assertEquals(ESCAPED, new Html().text(FROM_LOG).toString());
        assertEquals("<td>" + ESCAPED + "</td>", new Html().element("td", FROM_LOG).toString());
    }

    @Test
    void attributeValuesAreEscaped() {
        assertEquals("<td class=\"key\" data-v=\"" + ESCAPED + "\">" + ESCAPED + "</td>",
                new Html().element("td", FROM_LOG, "class", "key", "data-v", FROM_LOG).toString());
        assertEquals("<a href=\"" + ESCAPED + "\">", new Html().open("a", "href", FROM_LOG).toString());
        assertEquals("<rect x=\"" + ESCAPED + "\"/>", new Html().empty("rect", "x", FROM_LOG).toString());
    }

    @Test
    void anAttributeWithoutAValueIsLeftOut() {
        assertEquals("<th scope=\"col\">#</th>", new Html().element("th", "#", "class", null, "scope", "col").toString());
    }

    @Test
    void namesCannotCarryMarkup() {
        assertThrows(IllegalArgumentException.class, () -> new Html().open(FROM_LOG));
        assertThrows(IllegalArgumentException.class, () -> new Html().close("b><script"));
        assertThrows(IllegalArgumentException.class, () -> new Html().open("a", "onclick=\"x\" href", "y"));
        assertThrows(IllegalArgumentException.class, () -> new Html().open("a", "href"));
    }

    @Test
    void rawMarkupOnlyWhenAskedForByName() {
        assertEquals("<b>" + FROM_LOG, new Html().raw("<b>").raw(FROM_LOG).toString());
    }

    @Test
    void controlCharactersAndLineSeparators() {
        assertEquals("a\ufffdb&#x2028;c\td\n", Html.escape("a\u0001b\u2028c\td\n"));
        assertEquals("", Html.escape(null));
    }
}
