package dev.stmlog.analyzer;

import dev.stmlog.analyzer.jfr.JfrLogReader;
import dev.stmlog.format.EventVisitor;
import dev.stmlog.format.ReadResult;
import dev.stmlog.format.event.Metadata;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * JDK Flight Recorder recordings ({@code .jfr}) with the runtime's {@code dev.stmlog.*} events,
 * mapped onto stmlog's events by {@link JfrLogReader}: {@code stmlog top app.jfr} ranks the
 * same sites as {@code top app.stmlog} of the same run. A recording without those events is a
 * one-line error ({@code FILE: a JFR recording without stmlog events}).
 */
final class JfrSource implements LogSource {
    @Override
    public String name() {
        return "jfr";
    }

    @Override
    public boolean accepts(byte[] start) {
        return JfrLogReader.accepts(start);
    }

    @Override
    public ReadResult read(Path file, EventVisitor visitor, Options options, Progress progress) throws IOException {
        return JfrLogReader.read(file, visitor, options.warn());
    }

    @Override
    public String format(ReadResult r) {
        return "JDK Flight Recorder recording (stmlog events)";
    }

    @Override
    public Map<String, String> details(ReadResult r) {
        Map<String, String> d = new LinkedHashMap<>();
        Metadata m = r.metadata();
        if (m != null) {
            d.put("pid", Long.toString(m.pid()));
            d.put("jvm", m.jvm());
            if (!m.commandLine().isEmpty()) d.put("java arguments", m.commandLine());
        }
        return d;
    }
}
