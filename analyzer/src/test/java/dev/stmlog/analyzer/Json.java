package dev.stmlog.analyzer;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict JSON parser for tests (RFC 8259): objects become maps, arrays lists, numbers
 * BigDecimal. Anything invalid (a raw control character in a string, a trailing comma, a bad
 * escape, trailing text) throws.
 */
public final class Json {
    private final String s;
    private int p;

    private Json(String s) {
        this.s = s;
    }

    public static Object parse(String text) {
        Json j = new Json(text);
        j.ws();
        Object v = j.value();
        j.ws();
        if (j.p != text.length()) throw j.error("trailing text");
        return v;
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> object(String text) {
        return (Map<String, Object>) parse(text);
    }

    private Object value() {
        if (p >= s.length()) throw error("end of input");
        char c = s.charAt(p);
        switch (c) {
            case '{': return object();
            case '[': return array();
            case '"': return string();
            case 't': return literal("true", Boolean.TRUE);
            case 'f': return literal("false", Boolean.FALSE);
            case 'n': return literal("null", null);
            default: return number();
        }
    }

    private Map<String, Object> object() {
        Map<String, Object> m = new LinkedHashMap<>();
        p++;
        ws();
        if (peek() == '}') {
            p++;
            return m;
        }
        while (true) {
            ws();
            if (peek() != '"') throw error("expected a name");
            String name = string();
            ws();
            expect(':');
            ws();
            if (m.containsKey(name)) throw error("duplicate name " + name);
            m.put(name, value());
            ws();
            char c = next();
            if (c == '}') return m;
            if (c != ',') throw error("expected , or }");
        }
    }

    private List<Object> array() {
        List<Object> l = new ArrayList<>();
        p++;
        ws();
        if (peek() == ']') {
            p++;
            return l;
        }
        while (true) {
            ws();
            l.add(value());
            ws();
            char c = next();
            if (c == ']') return l;
            if (c != ',') throw error("expected , or ]");
        }
    }

    private String string() {
        expect('"');
        StringBuilder b = new StringBuilder();
        while (true) {
            char c = next();
            if (c == '"') return b.toString();
            if (c < 0x20) throw error("raw control character in a string");
            if (c != '\\') {
                b.append(c);
                continue;
            }
            char e = next();
            switch (e) {
                case '"' -> b.append('"');
                case '\\' -> b.append('\\');
                case '/' -> b.append('/');
                case 'b' -> b.append('\b');
                case 'f' -> b.append('\f');
                case 'n' -> b.append('\n');
                case 'r' -> b.append('\r');
                case 't' -> b.append('\t');
                case 'u' -> {
                    if (p + 4 > s.length()) throw error("short \\u escape");
                    b.append((char) Integer.parseInt(s.substring(p, p + 4), 16));
                    p += 4;
                }
                default -> throw error("bad escape \\" + e);
            }
        }
    }

    private Object number() {
        int start = p;
        if (peek() == '-') p++;
        if (peek() == '0') {
            p++;
        } else if (Character.isDigit(peek())) {
            while (Character.isDigit(peek())) p++;
        } else {
            throw error("bad value");
        }
        if (peek() == '.') {
            p++;
            if (!Character.isDigit(peek())) throw error("bad fraction");
            while (Character.isDigit(peek())) p++;
        }
        if (peek() == 'e' || peek() == 'E') {
            p++;
            if (peek() == '+' || peek() == '-') p++;
            if (!Character.isDigit(peek())) throw error("bad exponent");
            while (Character.isDigit(peek())) p++;
        }
        return new BigDecimal(s.substring(start, p));
    }

    private Object literal(String word, Object v) {
        if (!s.startsWith(word, p)) throw error("bad literal");
        p += word.length();
        return v;
    }

    private void ws() {
        while (p < s.length() && " \t\n\r".indexOf(s.charAt(p)) >= 0) p++;
    }

    private char peek() {
        return p < s.length() ? s.charAt(p) : '\0';
    }

    private char next() {
        if (p >= s.length()) throw error("end of input");
        return s.charAt(p++);
    }

    private void expect(char c) {
        if (next() != c) throw error("expected " + c);
    }

    private IllegalArgumentException error(String what) {
        return new IllegalArgumentException("invalid JSON at " + p + ": " + what);
    }
}
