package dev.stmlog.reports.export;

import dev.stmlog.reports.JsonWriter;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * speedscope's own file format (its published {@code file-format-schema.json}): one "sampled"
 * profile per {@link StackProfile}, in nanoseconds, each sample a stack of indices into the
 * shared frame table, root first, weighted by its time.
 */
public final class SpeedscopeWriter {
    static final String SCHEMA = "https://www.speedscope.app/file-format-schema.json";

    public void write(String name, List<StackProfile> profiles, Appendable out) {
        Map<StackProfile.Frame, Integer> index = new HashMap<>();
        List<StackProfile.Frame> frames = new java.util.ArrayList<>();
        for (StackProfile p : profiles) {
            for (StackProfile.Sample s : p.samples()) {
                for (StackProfile.Frame f : s.stack()) {
                    if (index.putIfAbsent(f, frames.size()) == null) frames.add(f);
                }
            }
        }
        JsonWriter w = new JsonWriter(out, false);
        w.beginObject();
        w.name("$schema").value(SCHEMA);
        w.name("name").value(name);
        w.name("exporter").value("stmlog");
        w.name("activeProfileIndex").value(0L);
        w.name("shared").beginObject().name("frames").beginArray();
        for (StackProfile.Frame f : frames) {
            w.beginObject().name("name").value(f.name());
            if (f.file() != null) w.name("file").value(f.file());
            if (f.line() >= 0) w.name("line").value((long) f.line());
            w.endObject();
        }
        w.endArray().endObject();
        w.name("profiles").beginArray();
        for (StackProfile p : profiles) {
            w.beginObject();
            w.name("type").value("sampled");
            w.name("name").value(p.name());
            w.name("unit").value("nanoseconds");
            w.name("startValue").value(0L);
            w.name("endValue").value(p.totalNanos());
            w.name("samples").beginArray();
            for (StackProfile.Sample s : p.samples()) {
                w.beginArray();
                for (StackProfile.Frame f : s.stack()) w.value((long) index.get(f));
                w.endArray();
            }
            w.endArray();
            w.name("weights").beginArray();
            for (StackProfile.Sample s : p.samples()) w.value(s.nanos());
            w.endArray();
            w.endObject();
        }
        w.endArray();
        w.endObject();
        try {
            out.append('\n');
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
