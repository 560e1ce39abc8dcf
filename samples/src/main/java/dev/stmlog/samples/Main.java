package dev.stmlog.samples;

import dev.stmlog.samples.astar.AstarSample;
import dev.stmlog.samples.bank.BankSample;
import dev.stmlog.samples.planted.PlantedSample;
import dev.stmlog.samples.primes.PrimesSample;
import dev.stmlog.samples.wiki.WikiSample;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code java -jar stmlog-samples.jar <sample> [--threads N] [--duration S] [--mode stm|serial|lock] ...}
 *
 * <p>Every run ends with exactly one {@code RESULT ...} line (see {@link Result}). Bad usage is
 * one line on stderr and exit code 2.
 *
 * <p>Recording: with {@code STM_LOG=file}, the runtime records. Its metadata takes the
 * application's keys from the system properties {@code stmlog.meta.*} <em>as they are when the
 * STM is first used</em>, so they are set here, right after parsing and before any sample code
 * runs: {@code sample}, {@code mode}, {@code threads} (and the sample's own, e.g. {@code tuned}).
 */
public final class Main {

    static final Map<String, Sample> SAMPLES = new LinkedHashMap<>();

    static {
        for (Sample s : List.of(new PrimesSample(), new AstarSample(), new WikiSample(), new BankSample(), new PlantedSample())) {
            SAMPLES.put(s.name(), s);
        }
    }

    private Main() {
    }

    public static void main(String[] args) {
        int code = run(args, System.out, System.err);
        System.out.flush();
        // exit explicitly: a sample may leave (daemon or pool) threads behind; the runtime's
        // shutdown hook still closes the log.
        System.exit(code);
    }

    /** Runs the command line; returns the exit code (0 ok, 1 failure, 2 bad usage). */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        Options options;
        Sample sample;
        try {
            if (args.length == 0) {
                throw new UsageException("no sample given (one of " + String.join(", ", SAMPLES.keySet()) + "; try --help)");
            }
            if (isHelp(args[0])) {
                out.print(usage());
                return 0;
            }
            sample = SAMPLES.get(args[0]);
            if (sample == null) {
                throw new UsageException("unknown sample '" + args[0] + "' (one of " + String.join(", ", SAMPLES.keySet()) + ")");
            }
            List<String> rest = Arrays.asList(args).subList(1, args.length);
            if (rest.stream().anyMatch(Main::isHelp)) {
                out.print(usage(sample));
                return 0;
            }
            options = Options.parse(sample.name(), rest, sample.options());
        } catch (UsageException e) {
            err.println("stmlog-samples: " + e.getMessage());
            return 2;
        }

        // First thing, before the STM is touched: the log's metadata.
        System.setProperty("stmlog.meta.sample", sample.name());
        System.setProperty("stmlog.meta.mode", options.mode().label());
        System.setProperty("stmlog.meta.threads", Integer.toString(options.threads()));

        try {
            Result r = sample.run(options, out);
            out.println(r.line());
            out.flush();
            return 0;
        } catch (UsageException e) { // a sample's own option, found bad when read
            err.println("stmlog-samples: " + e.getMessage());
            return 2;
        } catch (Exception | Error e) {
            err.println("stmlog-samples: " + sample.name() + " failed: " + e);
            e.printStackTrace(err);
            return 1;
        }
    }

    private static boolean isHelp(String a) {
        return a.equals("--help") || a.equals("-h") || a.equals("help");
    }

    static String usage() {
        StringBuilder sb = new StringBuilder();
        sb.append("usage: java -jar stmlog-samples.jar <sample> [--threads N] [--duration S] [--mode stm|serial|lock] [options]\n");
        sb.append("       java -jar stmlog-samples.jar <sample> --help\n\nsamples:\n");
        for (Sample s : SAMPLES.values()) {
            sb.append(String.format("  %-8s %s%n", s.name(), s.summary()));
        }
        sb.append("\ncommon options:\n");
        appendOptions(sb, Options.COMMON);
        sb.append("\nEvery run ends with: RESULT sample=<name> mode=<mode> threads=<n> ops=<n> seconds=<s> ops_per_s=<x>\n");
        sb.append("Record a conflict log with STM_LOG=<file>; each completed operation is the user mark \"op\".\n");
        return sb.toString();
    }

    static String usage(Sample s) {
        StringBuilder sb = new StringBuilder();
        sb.append("usage: java -jar stmlog-samples.jar ").append(s.name()).append(" [options]\n  ").append(s.summary()).append("\n\noptions:\n");
        appendOptions(sb, s.options());
        appendOptions(sb, Options.COMMON);
        return sb.toString();
    }

    private static void appendOptions(StringBuilder sb, List<Sample.Opt> opts) {
        for (Sample.Opt o : opts) {
            String left = "--" + o.name() + (o.arg() == null ? "" : " " + o.arg());
            sb.append(String.format("  %-18s %s%n", left, o.help()));
        }
    }
}
