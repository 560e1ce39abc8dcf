package dev.stmlog.reports;

import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The formats that {@code --format} names, in the order help lists them. Adding a format is one
 * {@link ReportWriter} subclass and one line in {@link #ALL}.
 */
public final class ReportFormats {
    private ReportFormats() {}

    /** Each format made for the given text options (only text uses them). */
    private static final List<Function<TextOptions, ReportWriter>> ALL = List.of(
            TextReportWriter::new,
            options -> new CsvReportWriter(),
            options -> new JsonReportWriter());

    /** Every format. */
    public static List<ReportWriter> all(TextOptions options) {
        return ALL.stream().map(f -> f.apply(options)).toList();
    }

    /** The names of every format: {@code text}, {@code csv}, {@code json}. */
    public static List<String> names() {
        return all(TextOptions.PLAIN).stream().map(ReportWriter::name).toList();
    }

    /** The names of the formats that write views of {@code type}. */
    public static List<String> namesFor(Class<? extends View> type) {
        return all(TextOptions.PLAIN).stream().filter(w -> w.canWrite(type)).map(ReportWriter::name).toList();
    }

    /**
     * The format called {@code name} (case ignored).
     *
     * @throws IllegalArgumentException naming the formats there are, when there is none so called
     */
    public static ReportWriter named(String name, TextOptions options) {
        String wanted = name.toLowerCase(Locale.ROOT);
        for (ReportWriter w : all(options)) if (w.name().equals(wanted)) return w;
        throw new IllegalArgumentException("'" + name + "' is not a format (use " + String.join(", ", names()) + ")");
    }
}
