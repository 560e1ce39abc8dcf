package dev.stmlog.analyzer.pypy;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;

/**
 * Python 2.7 formatting rules the original script's output depends on.
 *
 * <p>Java's {@code String.format} rounds a shortest-decimal representation half-up, Python rounds
 * the exact binary value correctly (ties to even); the two disagree on values such as 1.0005, so
 * every number the printer writes goes through {@link #fixed}. These run a few dozen times per
 * report, never per record, so BigDecimal's cost does not matter.
 */
public final class PyFormat {
    private PyFormat() {}

    /** Python {@code %<width>.<decimals>f}: exact value, correctly rounded, left-padded. */
    public static String fixed(double x, int decimals, int width) {
        String digits = new BigDecimal(Math.abs(x)).setScale(decimals, RoundingMode.HALF_EVEN).toPlainString();
        // Python prints '-' for every negative double, including -0.0 and values rounding to zero
        boolean negative = x < 0 || (x == 0.0 && 1.0 / x < 0);
        return pad(negative ? new StringBuilder(digits.length() + 1).append('-').append(digits).toString() : digits,
                width);
    }

    /** Python {@code %<width>s}: left-pads, never cuts. */
    public static String pad(String s, int width) {
        if (s.length() >= width) return s;
        StringBuilder b = new StringBuilder(width);
        for (int i = s.length(); i < width; i++) b.append(' ');
        return b.append(s).toString();
    }

    /**
     * The scripts' {@code percent(value, total)}: one decimal, then the decimals are cut (not
     * rounded) when the text is longer than 3 characters. The caller has checked that
     * {@code total != 0}.
     */
    public static String percent(double value, double total) {
        String r = fixed(value * 100.0 / total, 1, 0);
        if (r.length() > 3) r = r.substring(0, r.indexOf('.'));
        return new StringBuilder(r.length() + 1).append(r).append('%').toString();
    }

    /** Python 2's {@code repr()} of a byte string: how the original quotes file names in errors. */
    public static String repr(byte[] s) {
        boolean hasSingle = false;
        boolean hasDouble = false;
        for (byte b : s) {
            if (b == '\'') hasSingle = true;
            else if (b == '"') hasDouble = true;
        }
        char quote = hasSingle && !hasDouble ? '"' : '\'';
        StringBuilder out = new StringBuilder(s.length + 2).append(quote);
        for (byte b : s) {
            int c = b & 0xFF;
            if (c == quote || c == '\\') out.append('\\').append((char) c);
            else if (c == '\t') out.append("\\t");
            else if (c == '\n') out.append("\\n");
            else if (c == '\r') out.append("\\r");
            else if (c < 0x20 || c >= 0x7F) out.append(String.format("\\x%02x", c));
            else out.append((char) c);
        }
        return out.append(quote).toString();
    }

    /** {@link #repr(byte[])} of a name as typed on the command line (encoded as UTF-8). */
    public static String repr(String name) {
        return repr(name.getBytes(StandardCharsets.UTF_8));
    }
}
