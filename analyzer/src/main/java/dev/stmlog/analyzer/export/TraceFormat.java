package dev.stmlog.analyzer.export;

import dev.stmlog.analyzer.AnalysisOptions;
import dev.stmlog.analyzer.Analyzer;
import dev.stmlog.analyzer.LogSource;
import dev.stmlog.analyzer.LogSources;
import dev.stmlog.analyzer.Progress;
import dev.stmlog.format.ReadResult;
import dev.stmlog.reports.export.ChromeTraceWriter;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code --to trace}: Chrome Trace Event JSON for Perfetto UI and {@code chrome://tracing}
 * (see {@link TraceExport}). Streams: each log is read once, in order, and nothing but a record
 * per thread is kept.
 */
final class TraceFormat implements ExportFormat {

    @Override
    public String name() {
        return "trace";
    }

    @Override
    public String description() {
        return "Chrome trace JSON (Perfetto UI, chrome://tracing, speedscope): a track per thread, attempts by outcome, waits, conflicts as arrows";
    }

    @Override
    public List<ReadResult> write(List<Path> files, AnalysisOptions options, Settings settings, LogSource.Options source,
                                  Progress progress, Appendable out) throws IOException {
        long[] offsets = Analyzer.offsets(files, source);
        ChromeTraceWriter trace = new ChromeTraceWriter(out);
        long[] flowIds = {0};
        List<ReadResult> results = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            Path f = files.get(i);
            results.add(LogSources.read(f, new TraceExport(trace, i, f.getFileName().toString(), offsets[i], options,
                    flowIds), source, progress));
        }
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("exporter", "stmlog");
        meta.put("logs", files.stream().map(Path::toString).toList());
        List<Object> recordings = new ArrayList<>();
        for (ReadResult r : results) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("log", r.name());
            if (r.metadata() != null) {
                m.put("pid", r.metadata().pid());
                m.put("command", r.metadata().commandLine());
                m.put("jvm", r.metadata().jvm());
                m.put("processors", r.metadata().processors());
                m.put("start_epoch_ns", r.metadata().startEpochNanos());
                if (!r.metadata().user().isEmpty()) m.put("user", r.metadata().user());
            }
            m.put("events", r.events());
            recordings.add(m);
        }
        meta.put("recordings", recordings);
        if (options.windowed()) {
            meta.put("from_ns", options.fromNanos());
            if (options.toNanos() != Long.MAX_VALUE) meta.put("to_ns", options.toNanos());
        }
        if (options.thread() != null) meta.put("thread", options.thread());
        trace.finish(meta);
        return results;
    }
}
