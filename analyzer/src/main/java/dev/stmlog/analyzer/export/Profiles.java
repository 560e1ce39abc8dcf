package dev.stmlog.analyzer.export;

import dev.stmlog.analyzer.Analysis;
import dev.stmlog.analyzer.AnalysisOptions;
import dev.stmlog.analyzer.Analyzer;
import dev.stmlog.analyzer.Grouping;
import dev.stmlog.analyzer.LogSource;
import dev.stmlog.analyzer.Progress;
import dev.stmlog.reports.ThreadRow;
import dev.stmlog.reports.export.StackProfile;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The stack profiles of the flame-graph formats: {@code top}'s analysis with whole stacks
 * ({@link Analysis#stackProfile}), so that their time is exactly {@code top}'s lost + paused.
 * Each analysis streams the logs (memory bounded by the number of distinct stacks).
 */
public final class Profiles {
    private Profiles() {}

    /** Stack frames kept per conflict: more than any recorded stack holds. */
    static final int DEPTH = 1024;

    /** An analysis of {@code files} with whole stacks (by pair when the other side is wanted). */
    static Analysis analyze(List<Path> files, AnalysisOptions window, ExportFormat.Settings settings, String thread,
                            LogSource.Options source, Progress progress) throws IOException {
        AnalysisOptions options = new AnalysisOptions(settings.otherSide() ? Grouping.PAIR : Grouping.SITE, DEPTH,
                window.fromNanos(), window.toNanos(), thread);
        return Analyzer.analyze(files, options, source, progress);
    }

    /**
     * The time lost and paused by whole stack in {@code files}, within the window and thread of
     * {@code window}: what the report's flame graph draws. Warnings are left to the caller's own
     * pass over the same logs.
     */
    public static StackProfile lostByStack(List<Path> files, AnalysisOptions window, LogSource.Options source)
            throws IOException {
        return analyze(files, window, ExportFormat.Settings.DEFAULTS, window.thread(), source.withWarn(w -> { }),
                Progress.NONE).stackProfile("time lost by stack");
    }

    /**
     * The profile of every thread (or of {@code --thread}'s), then, unless a thread was chosen,
     * one per thread that lost or paused time: each a new pass over the logs, which keeps the
     * memory bound; the first analysis's results (damage) come first in {@code results}.
     */
    static List<StackProfile> perThread(List<Path> files, AnalysisOptions window, ExportFormat.Settings settings,
                                        LogSource.Options source, Progress progress, List<Analysis> analyses)
            throws IOException {
        Analysis all = analyze(files, window, settings, window.thread(), source, progress);
        analyses.add(all);
        List<StackProfile> profiles = new ArrayList<>();
        profiles.add(all.stackProfile(window.thread() == null ? "all threads" : "thread " + window.thread()));
        if (window.thread() != null) return profiles;
        LogSource.Options quiet = source.withWarn(w -> { }); // the first pass said it already
        for (ThreadRow t : all.summary().threads()) {
            if (t.transactions().abortedNanos() + t.transactions().pausedNanos() == 0) continue;
            Analysis one = analyze(files, window, settings, t.id(), quiet, Progress.NONE);
            profiles.add(one.stackProfile("thread " + t.id() + (t.name().isEmpty() ? "" : " " + t.name())));
        }
        return profiles;
    }
}
