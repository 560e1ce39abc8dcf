package dev.stmlog.reports;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A report as a folder: {@code index.html} with its charts ({@code *.png}) and tables
 * ({@code *.csv}) beside it. The charts are drawn once, saved as files and inlined in the page.
 * The page is {@link HtmlReportWriter}'s, the tables {@link CsvReportWriter}'s; this class only
 * says which file holds what.
 */
public final class ReportFolder {
    private static final String SITES = "sites.csv", THREADS = "threads.csv", TRANSACTIONS = "transactions.csv",
            CONFLICTS = "conflicts.csv";
    /** The tables beside a {@code stmlog report} page, in the order the page lists them. */
    static final List<String> REPORT_TABLES = List.of(SITES, THREADS, TRANSACTIONS, CONFLICTS);
    /** The table beside a {@code stmlog scale} page. */
    static final String SCALE_TABLE = "scale.csv";

    private ReportFolder() {}

    /** Writes {@code dir/index.html}, its charts and tables; returns the files written, the page last. */
    public static List<Path> writeReport(ReportView view, Path dir) throws IOException {
        Files.createDirectories(dir);
        List<Chart> charts = PngCharts.forReport(view);
        List<Path> written = writeCharts(charts, dir);
        CsvReportWriter csv = new CsvReportWriter();
        written.add(table(dir, SITES, b -> csv.writeTop(view.top(), b)));
        written.add(table(dir, THREADS, b -> csv.writeSummary(view.summary(), b)));
        written.add(table(dir, TRANSACTIONS, b -> csv.writeSpans(view.timelines(), b)));
        written.add(table(dir, CONFLICTS, b -> csv.writeConflicts(view.conflicts(), b)));
        Path index = dir.resolve("index.html");
        try (Writer w = Files.newBufferedWriter(index, StandardCharsets.UTF_8)) {
            new HtmlReportWriter().writeReportPage(view, charts, w);
        }
        written.add(index);
        return written;
    }

    /** Writes {@code dir/index.html}, {@code dir/scale.csv} and the two scaling charts; returns the files written. */
    public static List<Path> writeScale(ScaleView view, Path dir) throws IOException {
        Files.createDirectories(dir);
        List<Chart> charts = PngCharts.forScale(view);
        List<Path> written = writeCharts(charts, dir);
        written.add(table(dir, SCALE_TABLE, b -> new CsvReportWriter().writeScale(view, b)));
        Path index = dir.resolve("index.html");
        try (Writer w = Files.newBufferedWriter(index, StandardCharsets.UTF_8)) {
            new HtmlReportWriter().writeScalePage(view, charts, w);
        }
        written.add(index);
        return written;
    }

    private static List<Path> writeCharts(List<Chart> charts, Path dir) throws IOException {
        List<Path> written = new ArrayList<>();
        for (Chart c : charts) {
            Path file = dir.resolve(c.fileName());
            Files.write(file, c.png());
            written.add(file);
        }
        return written;
    }

    private static Path table(Path dir, String name, Consumer<StringBuilder> csv) throws IOException {
        StringBuilder b = new StringBuilder();
        csv.accept(b);
        Path file = dir.resolve(name);
        Files.writeString(file, b, StandardCharsets.UTF_8);
        return file;
    }
}
