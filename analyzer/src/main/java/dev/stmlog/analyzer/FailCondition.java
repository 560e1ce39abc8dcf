package dev.stmlog.analyzer;

import dev.stmlog.reports.DiffView;
import dev.stmlog.reports.TopView;
import dev.stmlog.reports.TransactionTotals;
import dev.stmlog.reports.Units;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A regression that {@code stmlog diff --fail-if} guards against, as a small expression:
 * <pre>
 *   condition := [site-]metric op change  |  site-new [op amount]
 *   metric    := lost | paused | total | count | throughput
 *   op        := &gt; | &gt;= | &lt; | &lt;=
 *   change    := [+|-]number ( % | ns | us | ms | s )     (count: also a plain number;
 *                                                        throughput: also a plain number of ops/s)
 * </pre>
 * {@code lost}, {@code paused}, {@code total} (lost + paused) are the totals' times, {@code count}
 * the conflicts counted, {@code throughput} as {@code scale} measures it; the change is new minus
 * base, in percent of the base when the amount ends in {@code %} (a growth from 0 is an
 * infinite percentage, no change is 0%). {@code site-lost > +5ms} holds when some row's own
 * change does (a row missing on one side counts 0 there). {@code site-new} holds when a row
 * appeared at all; {@code site-new > 5ms} when a new row has more than 5 ms lost + paused,
 * {@code site-new > 2%} more than 2% of the new logs' lost + paused total.
 *
 * @param text    the expression as given
 * @param site    whether it is about single rows rather than the totals
 * @param metric  the figure compared
 * @param op      how it is compared
 * @param amount  the threshold: nanoseconds, a count, operations per second, or a percentage
 * @param percent whether the amount is a percentage
 */
public record FailCondition(String text, boolean site, Metric metric, Op op, double amount, boolean percent) {

    /** What a condition compares. */
    public enum Metric {
        LOST(true), PAUSED(true), TOTAL(true), COUNT(false), THROUGHPUT(false), NEW(true);

        final boolean time;

        Metric(boolean time) {
            this.time = time;
        }
    }

    /** How a change is compared with the amount. */
    public enum Op {
        GT(">"), GE(">="), LT("<"), LE("<=");

        final String symbol;

        Op(String symbol) {
            this.symbol = symbol;
        }

        boolean holds(double x, double amount) {
            return switch (this) {
                case GT -> x > amount;
                case GE -> x >= amount;
                case LT -> x < amount;
                case LE -> x <= amount;
            };
        }
    }

    /** A malformed expression: {@link #token()} is the part that is wrong, the message says what was expected. */
    public static final class Malformed extends IllegalArgumentException {
        private final String token;

        Malformed(String token, String expected) {
            super("'" + token + "': " + expected);
            this.token = token;
        }

        public String token() {
            return token;
        }
    }

    private static final String METRICS = "lost, paused, total, count, throughput, site-lost, site-paused, site-total,"
            + " site-count or site-new";

    /** Parses an expression; see the class comment. */
    public static FailCondition parse(String text) {
        List<String> tokens = tokens(text);
        if (tokens.isEmpty()) throw new Malformed(text, "empty; expected a condition such as 'lost > +10%'");
        String word = tokens.get(0);
        boolean site = word.startsWith("site-");
        String name = site ? word.substring(5) : word;
        Metric metric = switch (name) {
            case "lost" -> Metric.LOST;
            case "paused" -> Metric.PAUSED;
            case "total" -> Metric.TOTAL;
            case "count" -> Metric.COUNT;
            case "throughput" -> site ? null : Metric.THROUGHPUT;
            case "new" -> site ? Metric.NEW : null;
            default -> null;
        };
        if (metric == null) throw new Malformed(word, "expected " + METRICS);
        // bare site-new: any new row, even one that cost no time
        if (metric == Metric.NEW && tokens.size() == 1) return new FailCondition(text, true, Metric.NEW, Op.GE, 0, false);
        if (tokens.size() < 2) throw new Malformed(word, "expected a comparison after it: >, >=, < or <=");
        Op op = switch (tokens.get(1)) {
            case ">" -> Op.GT;
            case ">=" -> Op.GE;
            case "<" -> Op.LT;
            case "<=" -> Op.LE;
            default -> null;
        };
        if (op == null) throw new Malformed(tokens.get(1), "expected a comparison: >, >=, < or <=");
        if (metric == Metric.NEW && (op == Op.LT || op == Op.LE)) {
            throw new Malformed(tokens.get(1), "site-new takes > or >= (a new row above an amount)");
        }
        if (tokens.size() < 3) throw new Malformed(tokens.get(1), "expected an amount after it, such as +10%, +5ms or +100");
        String amount = tokens.get(2);
        if (tokens.size() > 3) throw new Malformed(tokens.get(3), "unexpected after the amount");
        return amount(text, site, metric, op, amount);
    }

    private static FailCondition amount(String text, boolean site, Metric metric, Op op, String token) {
        int i = 0;
        boolean negative = false;
        if (i < token.length() && (token.charAt(i) == '+' || token.charAt(i) == '-')) negative = token.charAt(i++) == '-';
        int digits = i;
        while (i < token.length() && (Character.isDigit(token.charAt(i)) || token.charAt(i) == '.')) i++;
        String unit = token.substring(i);
        double value;
        try {
            if (digits == i) throw new NumberFormatException();
            value = Double.parseDouble(token.substring(digits, i));
        } catch (NumberFormatException e) {
            throw new Malformed(token, "expected an amount such as +10%, +5ms or +100");
        }
        if (negative) value = -value;
        if (metric == Metric.NEW && negative) throw new Malformed(token, "site-new takes an amount of 0 or more");
        if (unit.equals("%")) return new FailCondition(text, site, metric, op, value, true);
        if (metric.time) {
            long scale = switch (unit) {
                case "ns" -> 1L;
                case "us" -> 1_000L;
                case "ms" -> 1_000_000L;
                case "s" -> 1_000_000_000L;
                default -> 0L;
            };
            if (scale == 0) throw new Malformed(token, "expected a percentage or a time: %, ns, us, ms or s");
            return new FailCondition(text, site, metric, op, value * scale, false);
        }
        if (!unit.isEmpty()) {
            throw new Malformed(token, metric == Metric.COUNT ? "expected a percentage or a plain count (+100)"
                    : "expected a percentage or a plain number of operations per second");
        }
        return new FailCondition(text, site, metric, op, value, false);
    }

    /** Words ({@code site-lost}), comparisons ({@code >=}) and amounts ({@code +10%}); spaces optional. */
    private static List<String> tokens(String text) {
        List<String> out = new ArrayList<>();
        int i = 0, n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            int start = i;
            if (Character.isWhitespace(c)) {
                i++;
                continue;
            } else if (Character.isLetter(c)) {
                while (i < n && (Character.isLetter(text.charAt(i)) || text.charAt(i) == '-')) i++;
            } else if (c == '<' || c == '>' || c == '=' || c == '!') {
                while (i < n && "<>=!".indexOf(text.charAt(i)) >= 0) i++;
            } else {
                // an amount, or anything else up to the next space or comparison
                while (i < n && !Character.isWhitespace(text.charAt(i)) && "<>=!".indexOf(text.charAt(i)) < 0) i++;
            }
            out.add(text.substring(start, i).toLowerCase(Locale.ROOT));
        }
        return out;
    }

    /**
     * Whether the condition holds for {@code c}; if it does, what held, for one line of output
     * ({@code lost in aborts 31.5 ms -> 63.0 ms, +31.5 ms (+100.0%)}).
     */
    public Optional<String> check(Comparison c) {
        if (site) return checkRows(c);
        double b, n;
        String what;
        TransactionTotals bt = c.base().transactions(), nt = c.current().transactions();
        switch (metric) {
            case LOST -> { b = bt.abortedNanos(); n = nt.abortedNanos(); what = "lost in aborts"; }
            case PAUSED -> { b = bt.pausedNanos(); n = nt.pausedNanos(); what = "paused"; }
            case TOTAL -> {
                b = bt.abortedNanos() + bt.pausedNanos();
                n = nt.abortedNanos() + nt.pausedNanos();
                what = "lost + paused";
            }
            case COUNT -> { b = c.base().conflicts(); n = c.current().conflicts(); what = "conflicts"; }
            case THROUGHPUT -> {
                b = c.base().throughput().perSecond();
                n = c.current().throughput().perSecond();
                what = "throughput/s";
            }
            default -> throw new IllegalStateException(metric.name());
        }
        if (!op.holds(change(b, n), amount)) return Optional.empty();
        return Optional.of(what + " " + shown(b) + " -> " + shown(n) + ", " + signed(n - b) + " ("
                + DiffView.percentText(b, n) + ")");
    }

    private Optional<String> checkRows(Comparison c) {
        List<String> held = new ArrayList<>();
        long newTotal = c.current().transactions().abortedNanos() + c.current().transactions().pausedNanos();
        for (DiffView.SiteChange s : c.rows()) {
            String line;
            if (metric == Metric.NEW) {
                if (s.status() != DiffView.Status.NEW) continue;
                long t = s.current().totalNanos();
                double x = percent ? (newTotal == 0 ? 0 : t * 100.0 / newTotal) : t;
                if (!op.holds(x, amount)) continue;
                line = "new row " + s.kind().label() + " " + s.key() + " (" + Units.duration(t, false) + " lost + paused, "
                        + Units.count(s.current().count(), false) + "x)";
            } else {
                TopView.Ranking r = switch (metric) {
                    case LOST -> TopView.Ranking.LOST;
                    case PAUSED -> TopView.Ranking.PAUSED;
                    case TOTAL -> TopView.Ranking.TOTAL;
                    default -> TopView.Ranking.COUNT;
                };
                double b = s.base().of(r), n = s.current().of(r);
                if (!op.holds(change(b, n), amount)) continue;
                line = s.status().id() + " row " + s.kind().label() + " " + s.key() + ": " + r.id() + " " + shown(b)
                        + " -> " + shown(n) + " (" + DiffView.percentText(b, n) + ")";
            }
            held.add(line);
        }
        if (held.isEmpty()) return Optional.empty();
        return Optional.of(held.get(0) + (held.size() > 1 ? " (and " + (held.size() - 1) + " more rows)" : ""));
    }

    /** The change from {@code b} to {@code n}: in percent (from 0, infinite) or in the metric's units. */
    private double change(double b, double n) {
        if (!percent) return n - b;
        Double p = DiffView.percentChange(b, n);
        return p != null ? p : n > b ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
    }

    private String shown(double x) {
        if (metric.time) return Units.duration((long) x, false);
        if (metric == Metric.THROUGHPUT) return Units.rate(x, false);
        return Units.count((long) x, false);
    }

    private String signed(double x) {
        return (x > 0 ? "+" : "") + shown(x);
    }

    @Override
    public String toString() {
        return text;
    }
}
