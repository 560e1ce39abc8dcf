package dev.stmlog.analyzer;

import dev.stmlog.analyzer.pypy.C8Numbering;
import dev.stmlog.analyzer.pypy.PypyEventAdapter;
import dev.stmlog.analyzer.pypy.PypyGeneration;
import dev.stmlog.format.EventVisitor;
import dev.stmlog.format.ReadResult;
import dev.stmlog.format.event.Metadata;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * PyPy-STM's conflict logs (stmgc C7 and C8), their records mapped onto stmlog's events by
 * {@link PypyEventAdapter}. See {@code analyzer/docs/pypy-compatibility.md}.
 */
public final class PypySource implements LogSource {
    /**
     * The event numbering of C8 logs, which their header does not give
     * (analyzer/docs/pypy-compatibility.md#c8-numberings): {@code final}, {@code 2015-06} or {@code 2015-03}.
     */
    public static final Setting EVENTS = new Setting("pypy-events", C8Numbering.FINAL.label(),
            List.of(C8Numbering.FINAL.label(), C8Numbering.JUNE_2015.label(), C8Numbering.MARCH_2015.label()));

    /** The C8 numbering {@code options} give. */
    public static C8Numbering numbering(Options options) {
        return C8Numbering.parse(options.setting(EVENTS));
    }

    @Override
    public String name() {
        return "pypy";
    }

    @Override
    public boolean accepts(byte[] start) {
        return PypyGeneration.detect(start) != null;
    }

    @Override
    public List<Setting> settings() {
        return List.of(EVENTS);
    }

    @Override
    public ReadResult read(Path file, EventVisitor visitor, Options options, Progress progress) throws IOException {
        return PypyEventAdapter.read(file, file.toString(), numbering(options), visitor, options.warn());
    }

    @Override
    public String format(ReadResult r) {
        return "PyPy-STM " + PypyGeneration.ofHeaderText(r.writerVersion()).name() + " log";
    }

    /** Only what the log has: PyPy-STM logs carry no process metadata and no trailer. */
    @Override
    public Map<String, String> details(ReadResult r) {
        Map<String, String> d = new LinkedHashMap<>();
        Metadata m = r.metadata();
        if (m != null) m.user().forEach((k, v) -> d.put(k.replace("pypy.", "pypy "), v));
        return d;
    }
}
