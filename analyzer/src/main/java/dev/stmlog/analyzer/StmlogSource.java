package dev.stmlog.analyzer;

import dev.stmlog.format.EventVisitor;
import dev.stmlog.format.LogReader;
import dev.stmlog.format.ReadResult;
import dev.stmlog.format.event.Metadata;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** Logs in stmlog's own format, as the instrumented runtime writes them. */
final class StmlogSource implements LogSource {
    @Override
    public String name() {
        return "stmlog";
    }

    @Override
    public boolean accepts(byte[] start) {
        return LogReader.hasMagic(start);
    }

    @Override
    public ReadResult read(Path file, EventVisitor visitor, Options options, Progress progress) throws IOException {
        try (FileChannel ch = FileChannel.open(file);
             LogReader reader = LogReader.open(new CountingChannel(ch, file.toString(), progress), file.toString())) {
            return reader.read(visitor, options.decoders());
        }
    }

    @Override
    public String format(ReadResult r) {
        return "stmlog version 1";
    }

    @Override
    public Map<String, String> details(ReadResult r) {
        Map<String, String> d = new LinkedHashMap<>();
        Metadata m = r.metadata();
        if (m == null) {
            d.put("metadata", "missing (its chunk was lost)");
            return d;
        }
        d.put("pid", Long.toString(m.pid()));
        d.put("command", m.commandLine());
        d.put("jvm", m.jvm());
        d.put("processors", Integer.toString(m.processors()));
        d.put("worker threads", Integer.toString(m.workerThreads()));
        d.put("started", Instant.ofEpochSecond(0, m.startEpochNanos()).toString());
        for (Map.Entry<String, String> e : m.user().entrySet()) d.put("app " + e.getKey(), e.getValue());
        return d;
    }
}
