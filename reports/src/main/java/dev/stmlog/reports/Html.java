package dev.stmlog.reports;

/**
 * Builds HTML text in which every string is escaped: element content and attribute values
 * alike. Markup that this code made itself goes in only through {@link #raw}, so that a string
 * from a log cannot become markup by someone forgetting to escape it.
 *
 * <p>Attributes are given as name/value pairs; a pair whose value is null is left out. Tag and
 * attribute names are checked to be names (letters, digits, {@code -}), so that they are no way
 * in for markup either.
 */
final class Html {
    private final StringBuilder b = new StringBuilder(4096);

    /** {@code <tag name="value" ...>}. */
    Html open(String tag, String... attributes) {
        b.append('<').append(name(tag));
        attributes(attributes);
        b.append('>');
        return this;
    }

    /** {@code </tag>}. */
    Html close(String tag) {
        b.append("</").append(name(tag)).append('>');
        return this;
    }

    /** {@code <tag ...>text</tag>}, the text escaped. */
    Html element(String tag, String text, String... attributes) {
        return open(tag, attributes).text(text).close(tag);
    }

    /** {@code <tag .../>}: an empty SVG element. */
    Html empty(String tag, String... attributes) {
        b.append('<').append(name(tag));
        attributes(attributes);
        b.append("/>");
        return this;
    }

    /** Escaped text. */
    Html text(String text) {
        b.append(escape(text));
        return this;
    }

    /** A number, which needs no escaping. */
    Html text(long n) {
        b.append(n);
        return this;
    }

    Html newline() {
        b.append('\n');
        return this;
    }

    /**
     * Markup inserted as it is: only ever markup built by this package (an {@link Html}'s
     * output, a resource), never a string that came from a log.
     */
    Html raw(CharSequence markup) {
        b.append(markup);
        return this;
    }

    private void attributes(String[] attributes) {
        if (attributes.length % 2 != 0) throw new IllegalArgumentException("attributes come in name/value pairs");
        for (int i = 0; i < attributes.length; i += 2) {
            if (attributes[i + 1] == null) continue;
            b.append(' ').append(name(attributes[i])).append("=\"").append(escape(attributes[i + 1])).append('"');
        }
    }

    private static String name(String name) {
        boolean ok = !name.isEmpty();
        for (int i = 0; i < name.length() && ok; i++) {
            char c = name.charAt(i);
            ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-';
        }
        if (!ok) throw new IllegalArgumentException("not a tag or attribute name: " + name);
        return name;
    }

    @Override
    public String toString() {
        return b.toString();
    }

    /**
     * Escapes text for HTML element content and quoted attribute values: {@code & < > " '},
     * and the line separators U+2028/U+2029. Control characters other than tab and newline
     * become U+FFFD.
     */
    static String escape(String s) {
        if (s == null) return "";
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            String r = switch (c) {
                case '&' -> "&amp;";
                case '<' -> "&lt;";
                case '>' -> "&gt;";
                case '"' -> "&quot;";
                case '\'' -> "&#39;";
                case '\u2028' -> "&#x2028;";
                case '\u2029' -> "&#x2029;";
                default -> (c < 0x20 && c != '\t' && c != '\n') || c == 0x7f ? "\ufffd" : null;
            };
            if (r == null) {
                if (b != null) b.append(c);
            } else {
                if (b == null) b = new StringBuilder(s.length() + 16).append(s, 0, i);
                b.append(r);
            }
        }
        return b == null ? s : b.toString();
    }
}
