package dev.stmlog.reports;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The output-format seam: one factory listing every format, each writing the views it says it writes. */
class ReportFormatsTest {

    /** One of every view; a view type missing here fails {@link #everyFormatWritesEveryViewItSupports}. */
    static Map<Class<? extends View>, View> samples() {
        Map<Class<? extends View>, View> views = new LinkedHashMap<>();
        views.put(SummaryView.class, WritersTest.summary());
        views.put(TopView.class, WritersTest.top());
        views.put(CheckView.class, new CheckView(List.of(new CheckView.FileCheck("a.stmlog", 1234,
                Map.of("writer", "stmlog 1"), 2, 30, 28, 0, true, 28, 0, DamageView.NONE))));
        views.put(EventRow.class, new EventRow(1_500, "7", "main", "TxAbort", Map.of("cause", "CONFLICT")));
        views.put(ScaleView.class, new ScaleView(List.of(new ScaleRun("x.stmlog", "stm", 2, false, "commits", 500,
                1_000_000_000L, 1_000_000_000L, 0, new TransactionTotals(500, 3, 250_000_000L, 10_000_000L, 0)))));
        views.put(ReportView.class, ChartsAndHtmlTest.report("a"));
        views.put(DiffView.class, DiffWritersTest.diff());
        return views;
    }

    @Test
    void theFactoryListsEveryFormatByName() {
        assertEquals(List.of("text", "csv", "json"), ReportFormats.names());
        for (ReportWriter w : ReportFormats.all(TextOptions.PLAIN)) {
            assertEquals(w.getClass(), ReportFormats.named(w.name(), TextOptions.PLAIN).getClass());
            assertEquals(w.getClass(), ReportFormats.named(w.name().toUpperCase(), TextOptions.PLAIN).getClass());
            assertFalse(w.views().isEmpty(), w.name());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ReportFormats.named("xml", TextOptions.PLAIN));
        assertTrue(e.getMessage().contains("text, csv, json"), e.getMessage());
    }

    /** What each verb offers follows from what the formats write (these were lists in each verb). */
    @Test
    void theFormatsOfAViewAreThoseThatWriteIt() {
        assertEquals(List.of("text", "csv", "json"), ReportFormats.namesFor(SummaryView.class));
        assertEquals(List.of("text", "csv", "json"), ReportFormats.namesFor(TopView.class));
        assertEquals(List.of("text", "json"), ReportFormats.namesFor(CheckView.class));
        assertEquals(List.of("text", "json"), ReportFormats.namesFor(EventRow.class));
        assertEquals(List.of("text", "csv"), ReportFormats.namesFor(ScaleView.class));
        assertEquals(List.of(), ReportFormats.namesFor(ReportView.class));
        assertEquals(List.of("text", "csv", "json"), ReportFormats.namesFor(DiffView.class));
    }

    @Test
    void everyFormatWritesEveryViewItSupports() {
        Map<Class<? extends View>, View> samples = samples();
        List<ReportWriter> formats = new java.util.ArrayList<>(ReportFormats.all(new TextOptions(false, false)));
        formats.add(new HtmlReportWriter()); // the page of a report folder: not a --format, but a format all the same
        for (ReportWriter w : formats) {
            for (Class<? extends View> type : w.views()) {
                View view = samples.get(type);
                assertTrue(view != null, "no sample " + type.getSimpleName() + " to write as " + w.name());
                StringBuilder out = new StringBuilder();
                w.write(view, out);
                assertFalse(out.toString().isBlank(), w.name() + " wrote nothing for a " + type.getSimpleName());
            }
        }
    }

    @Test
    void aViewAFormatDoesNotWriteIsRefused() {
        ReportWriter csv = ReportFormats.named("csv", TextOptions.PLAIN);
        assertFalse(csv.canWrite(CheckView.class));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> csv.write(samples().get(CheckView.class), new StringBuilder()));
        assertTrue(e.getMessage().contains("csv cannot write a CheckView"), e.getMessage());
    }

    /** Through the seam or through the typed method, the same bytes. */
    @Test
    void theSeamWritesWhatTheTypedMethodsWrite() {
        StringBuilder seam = new StringBuilder();
        ReportFormats.named("json", TextOptions.PLAIN).write(WritersTest.top(), seam);
        StringBuilder typed = new StringBuilder();
        new JsonReportWriter().writeTop(WritersTest.top(), typed);
        assertEquals(typed.toString(), seam.toString());

        StringBuilder text = new StringBuilder();
        ReportWriter.ViewWriter<SummaryView> summary = ReportFormats.named("text", TextOptions.PLAIN)
                .writerFor(SummaryView.class);
        summary.write(WritersTest.summary(), text);
        java.io.StringWriter printed = new java.io.StringWriter();
        new TextReportWriter(TextOptions.PLAIN).writeSummary(WritersTest.summary(), new java.io.PrintWriter(printed));
        assertEquals(printed.toString(), text.toString());
    }

    @Test
    void aFormatRegistersEachViewOnce() {
        class Twice extends ReportWriter {
            Twice() {
                super("twice");
                writes(TopView.class, (v, out) -> {});
                writes(TopView.class, (v, out) -> {});
            }
        }
        assertThrows(IllegalStateException.class, Twice::new);
    }
}
