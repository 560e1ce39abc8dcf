package dev.stmlog.analyzer;

import dev.stmlog.format.EventVisitor;
import dev.stmlog.format.ReadResult;
import dev.stmlog.format.event.AbortCause;
import dev.stmlog.format.event.Event;
import dev.stmlog.format.event.Metadata;
import dev.stmlog.format.event.WaitKind;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Reads logs and aggregates them into an {@link Analysis}. Each log is read in one streaming
 * pass, its chunks decoded in parallel ({@link LogSource.Options#decoders()}); several logs are
 * read in parallel (one per core) and their results merged. Threads of
 * different logs are kept apart; sites with the same frames are the same site in every log.
 */
public final class Analyzer {
    private Analyzer() {}

    public static Analysis analyze(List<Path> files, AnalysisOptions options, Progress progress) throws IOException {
        return analyze(files, options, LogSource.Options.DEFAULTS, progress);
    }

    public static Analysis analyze(List<Path> files, AnalysisOptions options, LogSource.Options source, Progress progress)
            throws IOException {
        return analyze(files, options, source, progress, 0);
    }

    /**
     * As {@link #analyze(List, AnalysisOptions, LogSource.Options, Progress)}, also keeping up to
     * {@code spansPerThread} transaction and wait spans per thread (sampled evenly) for the
     * report's time line; 0 keeps none.
     */
    public static Analysis analyze(List<Path> files, AnalysisOptions options, LogSource.Options source, Progress progress,
                                   int spansPerThread) throws IOException {
        if (files.isEmpty()) throw new IllegalArgumentException("no logs");
        long[] offsets = offsets(files, source);
        List<FileAggregator> aggregators = new ArrayList<>();
        List<ReadResult> results = new ArrayList<>();
        int cores = Runtime.getRuntime().availableProcessors();
        int parallel = Math.min(files.size(), cores);
        // several logs are read in parallel already: each reader decodes with the cores left over
        LogSource.Options perFile = parallel <= 1 ? source
                : source.withDecoders(Math.min(source.decoders(), Math.max(0, cores / parallel - 1)));
        if (parallel <= 1) {
            for (int i = 0; i < files.size(); i++) {
                FileAggregator a = new FileAggregator(i, offsets[i], options, spansPerThread);
                results.add(LogSources.read(files.get(i), a, perFile, progress));
                aggregators.add(a);
            }
        } else {
            ExecutorService pool = Executors.newFixedThreadPool(parallel, r -> {
                Thread t = new Thread(r, "stmlog-reader");
                t.setDaemon(true);
                return t;
            });
            try {
                List<Future<ReadResult>> futures = new ArrayList<>();
                for (int i = 0; i < files.size(); i++) {
                    FileAggregator a = new FileAggregator(i, offsets[i], options, spansPerThread);
                    aggregators.add(a);
                    Path f = files.get(i);
                    futures.add(pool.submit(() -> LogSources.read(f, a, perFile, progress)));
                }
                for (Future<ReadResult> f : futures) results.add(get(f));
            } finally {
                pool.shutdownNow();
            }
        }
        return new Analysis(files.stream().map(Path::toString).toList(), options, aggregators, results);
    }

    private static ReadResult get(Future<ReadResult> f) throws IOException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof IOException io) throw io;
            if (c instanceof UncheckedIOException u) throw u.getCause();
            if (c instanceof RuntimeException r) throw r;
            if (c instanceof Error err) throw err;
            throw new IOException(c);
        }
    }

    /**
     * Where each log's times go on the shared time line: its recording's start (from its
     * metadata) after the earliest one's. All zero for one log, or when a log has no metadata.
     */
    public static long[] offsets(List<Path> files, LogSource.Options source) throws IOException {
        long[] offsets = new long[files.size()];
        if (files.size() == 1) return offsets;
        long[] starts = new long[files.size()];
        long min = Long.MAX_VALUE;
        for (int i = 0; i < files.size(); i++) {
            Metadata m = metadataOf(files.get(i), source);
            if (m == null) return offsets;
            starts[i] = m.startEpochNanos();
            min = Math.min(min, starts[i]);
        }
        for (int i = 0; i < files.size(); i++) offsets[i] = starts[i] - min;
        return offsets;
    }

    /** The metadata of a log, read from its first chunk only; null when that chunk is lost. */
    public static Metadata metadataOf(Path file, LogSource.Options source) throws IOException {
        MetadataOnly v = new MetadataOnly();
        try {
            // the first chunk is all it reads: no decoders to start
            LogSources.read(file, v, new LogSource.Options(source.settings(), w -> { }, 0), Progress.NONE);
        } catch (Stop stop) {
            // read what we came for
        }
        return v.metadata;
    }

    private static final class Stop extends RuntimeException {
        Stop() {
            super(null, null, false, false);
        }
    }

    private static final class MetadataOnly implements EventVisitor {
        Metadata metadata;

        @Override
        public void metadata(Metadata m) {
            metadata = m;
            throw new Stop();
        }

        @Override
        public void event(Event e) {
            throw new Stop();
        }

        @Override
        public void txStart(long time, long thread) {
            throw new Stop();
        }

        @Override
        public void txCommit(long time, long thread) {
            throw new Stop();
        }

        @Override
        public void txAbort(long time, long thread, AbortCause cause) {
            throw new Stop();
        }

        @Override
        public void waitBegin(long time, long thread, WaitKind kind) {
            throw new Stop();
        }

        @Override
        public void waitEnd(long time, long thread, WaitKind kind) {
            throw new Stop();
        }
    }
}
