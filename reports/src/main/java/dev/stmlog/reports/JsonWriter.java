package dev.stmlog.reports;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * A small streaming JSON writer. Strings are escaped so that the output is valid JSON and can
 * also be embedded in an HTML {@code <script>} element: quotes, backslashes and control
 * characters, {@code <}, {@code >}, {@code &}, U+2028, U+2029 and unpaired surrogates are
 * written as escapes.
 */
public final class JsonWriter {
    private final Appendable out;
    private final boolean pretty;
    private final boolean[] first = new boolean[64];
    private int depth;
    private boolean afterName;

    /** Writes to {@code out}; {@code pretty} puts one member per line, indented by two spaces. */
    public JsonWriter(Appendable out, boolean pretty) {
        this.out = out;
        this.pretty = pretty;
    }

    public JsonWriter beginObject() {
        beforeValue();
        raw("{");
        push();
        return this;
    }

    public JsonWriter endObject() {
        pop("}");
        return this;
    }

    public JsonWriter beginArray() {
        beforeValue();
        raw("[");
        push();
        return this;
    }

    public JsonWriter endArray() {
        pop("]");
        return this;
    }

    /** The name of the next member of the current object. */
    public JsonWriter name(String name) {
        separate();
        raw(quote(name));
        raw(pretty ? ": " : ":");
        afterName = true;
        return this;
    }

    public JsonWriter value(String s) {
        beforeValue();
        raw(s == null ? "null" : quote(s));
        return this;
    }

    public JsonWriter value(long n) {
        beforeValue();
        raw(Long.toString(n));
        return this;
    }

    public JsonWriter value(boolean b) {
        beforeValue();
        raw(Boolean.toString(b));
        return this;
    }

    /** A finite double; NaN and infinities, which JSON cannot hold, are written as null. */
    public JsonWriter value(double d) {
        beforeValue();
        raw(Double.isFinite(d) ? Double.toString(d) : "null");
        return this;
    }

    /** Nanoseconds as seconds, in exact decimal. */
    public JsonWriter seconds(long nanos) {
        beforeValue();
        raw(Units.seconds(nanos));
        return this;
    }

    /** A string, number, boolean, null, list or map (with string keys), written as JSON. */
    public JsonWriter any(Object v) {
        if (v == null) {
            beforeValue();
            raw("null");
        } else if (v instanceof String s) {
            value(s);
        } else if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            value(((Number) v).longValue());
        } else if (v instanceof Number n) {
            value(n.doubleValue());
        } else if (v instanceof Boolean b) {
            value(b.booleanValue());
        } else if (v instanceof List<?> list) {
            beginArray();
            for (Object o : list) any(o);
            endArray();
        } else if (v instanceof Map<?, ?> map) {
            beginObject();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                name(String.valueOf(e.getKey()));
                any(e.getValue());
            }
            endObject();
        } else {
            value(v.toString());
        }
        return this;
    }

    public JsonWriter strings(List<String> list) {
        beginArray();
        for (String s : list) value(s);
        endArray();
        return this;
    }

    /** {@code s} as a JSON string literal, quotes included. */
    public static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2);
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '\b' -> b.append("\\b");
                case '\f' -> b.append("\\f");
                case '<', '>', '&', '\u2028', '\u2029', '\u007f' -> unicode(b, c);
                default -> {
                    if (c < 0x20) {
                        unicode(b, c);
                    } else if (Character.isHighSurrogate(c) && i + 1 < s.length()
                            && Character.isLowSurrogate(s.charAt(i + 1))) {
                        b.append(c).append(s.charAt(++i));
                    } else if (Character.isSurrogate(c)) {
                        unicode(b, c); // unpaired: not encodable as UTF-8
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    private static void unicode(StringBuilder b, char c) {
        b.append("\\u");
        String hex = Integer.toHexString(c);
        for (int i = hex.length(); i < 4; i++) b.append('0');
        b.append(hex);
    }

    private void push() {
        if (depth + 1 >= first.length) throw new IllegalStateException("JSON nested too deeply");
        first[++depth] = true;
    }

    private void pop(String close) {
        if (depth == 0) throw new IllegalStateException("nothing to close");
        boolean empty = first[depth];
        depth--;
        if (pretty && !empty) newline();
        raw(close);
    }

    private void beforeValue() {
        if (afterName) {
            afterName = false;
        } else if (depth > 0) {
            separate();
        }
    }

    private void separate() {
        if (!first[depth]) raw(",");
        first[depth] = false;
        if (pretty) newline();
    }

    private void newline() {
        raw("\n");
        for (int i = 0; i < depth; i++) raw("  ");
    }

    private void raw(String s) {
        try {
            out.append(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
