package dev.stmlog.analyzer.export;

import java.util.List;

/** Every format of {@code stmlog export}, in the order {@code --help} lists them. */
public final class ExportFormats {
    private ExportFormats() {}

    public static final List<ExportFormat> ALL = List.of(new TraceFormat(), new CollapsedFormat(), new SpeedscopeFormat());

    /** The format named {@code name}, or null. */
    public static ExportFormat named(String name) {
        for (ExportFormat f : ALL) {
            if (f.name().equals(name)) return f;
        }
        return null;
    }
}
