package dev.stmlog.samples;

import java.io.PrintStream;
import java.util.List;

/** One runnable sample: a name, its own options, and a run that returns the RESULT. */
public interface Sample {

    /** An option: {@code arg} names its value, or is null for a flag. */
    record Opt(String name, String arg, String help) {
    }

    String name();

    String summary();

    /** The sample's own options (the common ones are added by {@link Main}). */
    List<Opt> options();

    /** Runs the sample; progress and reports go to {@code out}; the caller prints the RESULT line. */
    Result run(Options options, PrintStream out) throws Exception;
}
