package dev.stmlog.samples;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A parsed command line: {@code <sample> [--name value | --name=value | --flag]...}. Values are
 * checked when read, against the bounds the sample gives, so every mistake becomes a
 * {@link UsageException} (one line, exit code 2) before any work starts.
 */
public final class Options {

    /** Options every sample takes. */
    public static final List<Sample.Opt> COMMON = List.of(
            new Sample.Opt("threads", "N", "worker threads in stm and lock modes (serial always uses 1; default 2)"),
            new Sample.Opt("duration", "S", "measured seconds (default 10)"),
            new Sample.Opt("mode", "M", "stm | serial | lock (default stm)"),
            new Sample.Opt("warmup", "S", "seconds run before measuring, neither counted nor marked (default 0)"),
            new Sample.Opt("seed", "N", "random seed (default 42)"));

    private final String sample;
    private final Map<String, String> values;

    private Options(String sample, Map<String, String> values) {
        this.sample = sample;
        this.values = values;
    }

    /** Parses {@code args} (after the sample name) against the options {@code allowed}. */
    public static Options parse(String sample, List<String> args, List<Sample.Opt> allowed) {
        Map<String, Sample.Opt> byName = new HashMap<>();
        for (Sample.Opt o : COMMON) byName.put(o.name(), o);
        for (Sample.Opt o : allowed) byName.put(o.name(), o);
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (!a.startsWith("--") || a.length() == 2) {
                throw new UsageException("unexpected argument '" + a + "' for sample " + sample + " (try --help)");
            }
            String name = a.substring(2);
            String value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            Sample.Opt opt = byName.get(name);
            if (opt == null) {
                throw new UsageException("unknown option --" + name + " for sample " + sample + " (try --help)");
            }
            if (opt.arg() == null) {
                if (value != null) throw new UsageException("option --" + name + " takes no value");
                value = "true";
            } else if (value == null) {
                if (i + 1 >= args.size()) throw new UsageException("option --" + name + " needs a value (" + opt.arg() + ")");
                value = args.get(++i);
            }
            if (values.put(name, value) != null) {
                throw new UsageException("option --" + name + " given twice");
            }
        }
        Options o = new Options(sample, values);
        o.mode(); // check the common options now, before any work
        o.threads();
        o.duration();
        o.warmup();
        o.seed();
        return o;
    }

    public String sample() {
        return sample;
    }

    public Mode mode() {
        String m = values.get("mode");
        return m == null ? Mode.STM : Mode.parse(m);
    }

    /** Threads doing the work: always 1 in serial mode, which is the single-threaded baseline. */
    public int threads() {
        int n = intValue("threads", 2, 1, 1024);
        return mode() == Mode.SERIAL ? 1 : n;
    }

    public double duration() {
        return doubleValue("duration", 10, 0.05, 86_400);
    }

    public double warmup() {
        return doubleValue("warmup", 0, 0, 3_600);
    }

    public long seed() {
        return longValue("seed", 42, Long.MIN_VALUE, Long.MAX_VALUE);
    }

    public boolean flag(String name) {
        return values.containsKey(name);
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }

    public String string(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    public int intValue(String name, int fallback, int min, int max) {
        return (int) longValue(name, fallback, min, max);
    }

    public long longValue(String name, long fallback, long min, long max) {
        String v = values.get(name);
        if (v == null) return fallback;
        long n;
        try {
            n = Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new UsageException("bad number for --" + name + ": '" + v + "' (expected an integer " + min + ".." + max + ")");
        }
        if (n < min || n > max) {
            throw new UsageException("--" + name + " out of range: " + n + " (expected " + min + ".." + max + ")");
        }
        return n;
    }

    public double doubleValue(String name, double fallback, double min, double max) {
        String v = values.get(name);
        if (v == null) return fallback;
        double d;
        try {
            d = Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            throw new UsageException("bad number for --" + name + ": '" + v + "' (expected " + min + ".." + max + ")");
        }
        if (!(d >= min && d <= max)) { // also rejects NaN
            throw new UsageException("--" + name + " out of range: " + v + " (expected " + min + ".." + max + ")");
        }
        return d;
    }
}
