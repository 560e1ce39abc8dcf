package dev.stmlog.reports;

import java.math.BigDecimal;
import java.util.Locale;

/** How numbers are written: for people ({@code 1.2 ms}, {@code 12,345}) or exactly. */
public final class Units {
    private Units() {}

    /** {@code nanos} as a duration: {@code 812 ns}, {@code 12.3 us}, {@code 1.2 ms}, {@code 14.8 s}. */
    public static String duration(long nanos, boolean exact) {
        if (exact) return seconds(nanos) + " s";
        long a = Math.abs(nanos);
        if (a < 1_000) return nanos + " ns";
        if (a < 999_950) return scaled(nanos / 1e3, "us");
        if (a < 999_950_000) return scaled(nanos / 1e6, "ms");
        return scaled(nanos / 1e9, "s");
    }

    private static String scaled(double v, String unit) {
        return String.format(Locale.ROOT, Math.abs(v) < 99.95 ? "%.1f %s" : "%.0f %s", v, unit);
    }

    /**
     * {@code nanos} as seconds in exact decimal, with no trailing zeros: {@code 0.0125},
     * {@code 3}, {@code 0}. Valid as a JSON number.
     */
    public static String seconds(long nanos) {
        if (nanos == 0) return "0";
        return BigDecimal.valueOf(nanos, 9).stripTrailingZeros().toPlainString();
    }

    /** A count with thousands separators, or plain when {@code exact}. */
    public static String count(long n, boolean exact) {
        return exact ? Long.toString(n) : String.format(Locale.ROOT, "%,d", n);
    }

    /** {@code part} as a percentage of {@code whole}, one decimal: {@code 12.5%}; {@code -} when whole is 0. */
    public static String percent(long part, long whole) {
        if (whole <= 0) return "-";
        return String.format(Locale.ROOT, "%.1f%%", part * 100.0 / whole);
    }

    /** A rate per second: {@code 5,364} or, exactly, {@code 5364.123}. */
    public static String rate(double perSecond, boolean exact) {
        return exact ? String.format(Locale.ROOT, "%.3f", perSecond) : String.format(Locale.ROOT, "%,.0f", perSecond);
    }
}
