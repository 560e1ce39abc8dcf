package dev.stmlog.analyzer.cli;

import picocli.CommandLine;

import java.math.BigDecimal;
import java.util.Locale;

/** Seconds ({@code 1.5}), or a number with a unit ({@code 250ms}, {@code 3s}, {@code 2m}), to nanoseconds. */
final class DurationConverter implements CommandLine.ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
        String v = value.strip().toLowerCase(Locale.ROOT);
        long scale = 1_000_000_000L;
        String[][] units = {{"ns", "1"}, {"us", "1000"}, {"ms", "1000000"}, {"s", "1000000000"}, {"m", "60000000000"}};
        for (String[] u : units) {
            if (v.endsWith(u[0]) && !(u[0].equals("s") && (v.endsWith("ns") || v.endsWith("us") || v.endsWith("ms")))) {
                scale = Long.parseLong(u[1]);
                v = v.substring(0, v.length() - u[0].length()).strip();
                break;
            }
        }
        BigDecimal n;
        try {
            n = new BigDecimal(v);
        } catch (NumberFormatException e) {
            throw new CommandLine.TypeConversionException("'" + value + "' is not a time (seconds, or a number with ns, us, ms, s or m)");
        }
        if (n.signum() < 0) throw new CommandLine.TypeConversionException("'" + value + "' is negative");
        BigDecimal nanos = n.multiply(BigDecimal.valueOf(scale));
        if (nanos.compareTo(BigDecimal.valueOf(Long.MAX_VALUE / 2)) > 0) {
            throw new CommandLine.TypeConversionException("'" + value + "' is too large");
        }
        return nanos.longValue();
    }
}
