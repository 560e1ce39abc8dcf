package dev.stmlog.reports;

import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.category.StackedBarRenderer;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYIntervalSeries;
import org.jfree.data.xy.XYIntervalSeriesCollection;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Paint;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * Draws the report's charts as PNG images (JFreeChart, headless). Every method returns the
 * PNG's bytes; sizes are in pixels. Times are drawn in seconds.
 */
public final class PngCharts {
    public static final int WIDTH = 1000;
    public static final int HEIGHT = 480;

    static final Color COMMITTED = new Color(0x2e7d32);
    static final Color ABORTED = new Color(0xc62828);
    static final Color PAUSED = new Color(0xef8f00);
    static final Color INEVITABLE = new Color(0x6a1b9a);
    static final Color GC = new Color(0x607d8b);
    static final Color[] KINDS = {new Color(0xc62828), new Color(0x1565c0), new Color(0x6a1b9a),
            new Color(0xef8f00), new Color(0x00838f), new Color(0x5d4037)};

    static {
        if (System.getProperty("java.awt.headless") == null) System.setProperty("java.awt.headless", "true");
    }

    private PngCharts() {}

    /** The charts of {@code stmlog report}, in the order the page shows them. */
    public static List<Chart> forReport(ReportView view) {
        int rows = Math.max(1, view.top().sites().size());
        return List.of(
                new Chart("time-lost-per-site.png", "Time lost per site, split into aborted and paused",
                        lostPerSite(view.top(), WIDTH, Math.max(HEIGHT, 120 + 28 * rows))),
                new Chart("cpu-breakdown.png", "Committed, aborted, paused and GC time",
                        cpuBreakdown(view.summary(), WIDTH, HEIGHT)),
                new Chart("thread-timeline.png", "Transactions per thread over time, coloured by outcome; waits as thin bars",
                        threadTimeline(view.timelines(), view.spansPerThread(), WIDTH,
                                Math.max(HEIGHT, 140 + 30 * view.timelines().size()))),
                new Chart("conflicts-over-time.png", "Conflicts over time, per kind",
                        conflictsOverTime(view.conflicts(), WIDTH, HEIGHT)));
    }

    /** The charts of {@code stmlog scale}, in the order the page shows them. */
    public static List<Chart> forScale(ScaleView view) {
        return List.of(
                new Chart("throughput.png", "Throughput against threads, with the ideal linear line and the serial baseline",
                        scaleThroughput(view, WIDTH, HEIGHT)),
                new Chart("time-per-thread-count.png",
                        "Committed, aborted and paused time per thread count, in the measured part",
                        scaleTime(view, WIDTH, HEIGHT)));
    }

    /** Time lost per row: bars split into lost in aborts and paused, one bar per row. */
    public static byte[] lostPerSite(TopView top, int width, int height) {
        DefaultCategoryDataset d = new DefaultCategoryDataset();
        for (SiteRow r : top.sites()) {
            String label = "#" + r.rank() + " " + shorten(r.kind().label() + " " + r.key(), 60);
            d.addValue(r.lostNanos() / 1e9, "lost in aborts", label);
            d.addValue(r.pausedNanos() / 1e9, "paused", label);
        }
        JFreeChart c = ChartFactory.createStackedBarChart("Time lost per " + top.groupBy(), null, "seconds", d,
                PlotOrientation.HORIZONTAL, true, false, false);
        CategoryPlot p = c.getCategoryPlot();
        StackedBarRenderer r = (StackedBarRenderer) p.getRenderer();
        r.setBarPainter(new StandardBarPainter());
        r.setShadowVisible(false);
        r.setSeriesPaint(0, ABORTED);
        r.setSeriesPaint(1, PAUSED);
        style(c);
        return png(c, width, height);
    }

    /** The threads' time: committed, aborted, paused (in transactions) and GC pauses. */
    public static byte[] cpuBreakdown(SummaryView s, int width, int height) {
        DefaultCategoryDataset d = new DefaultCategoryDataset();
        d.addValue(s.transactions().committedNanos() / 1e9, "seconds", "committed");
        d.addValue(s.transactions().abortedNanos() / 1e9, "seconds", "aborted");
        d.addValue(s.transactions().pausedNanos() / 1e9, "seconds", "paused");
        d.addValue(s.gcNanos() / 1e9, "seconds", "GC");
        JFreeChart c = ChartFactory.createBarChart("Where the threads' time went", null, "seconds", d,
                PlotOrientation.VERTICAL, false, false, false);
        Paint[] paints = {COMMITTED, ABORTED, PAUSED, GC};
        BarRenderer r = new BarRenderer() {
            @Override
            public Paint getItemPaint(int row, int column) {
                return paints[column % paints.length];
            }
        };
        r.setBarPainter(new StandardBarPainter());
        r.setShadowVisible(false);
        c.getCategoryPlot().setRenderer(r);
        style(c);
        return png(c, width, height);
    }

    /**
     * One row per thread, its transactions coloured by outcome and its waits drawn as thin bars;
     * a subtitle says when spans were sampled.
     */
    public static byte[] threadTimeline(List<ThreadTimelineView> threads, int spansPerThread, int width, int height) {
        XYIntervalSeries committed = new XYIntervalSeries("committed");
        XYIntervalSeries aborted = new XYIntervalSeries("aborted");
        XYIntervalSeries inevitable = new XYIntervalSeries("inevitable");
        XYIntervalSeries waits = new XYIntervalSeries("wait");
        String[] names = new String[threads.size()];
        boolean sampled = false;
        for (int i = 0; i < threads.size(); i++) {
            ThreadTimelineView t = threads.get(i);
            names[i] = shorten(t.id() + (t.name().isEmpty() ? "" : " " + t.name()), 24);
            sampled |= t.sampled();
            for (SpanView s : t.spans()) {
                double x0 = s.startNanos() / 1e9, x1 = s.endNanos() / 1e9;
                switch (s.outcome()) {
                    case WAIT -> waits.add(x0, x0, x1, i, i - 0.12, i + 0.12);
                    case ABORTED -> aborted.add(x0, x0, x1, i, i - 0.38, i + 0.38);
                    case INEVITABLE -> inevitable.add(x0, x0, x1, i, i - 0.38, i + 0.38);
                    case COMMITTED -> committed.add(x0, x0, x1, i, i - 0.38, i + 0.38);
                }
            }
        }
        XYIntervalSeriesCollection d = new XYIntervalSeriesCollection();
        d.addSeries(committed);
        d.addSeries(aborted);
        d.addSeries(inevitable);
        d.addSeries(waits);
        XYBarRenderer r = new XYBarRenderer();
        r.setUseYInterval(true);
        r.setBarPainter(new StandardXYBarPainter());
        r.setShadowVisible(false);
        r.setDrawBarOutline(false);
        r.setSeriesPaint(0, COMMITTED);
        r.setSeriesPaint(1, ABORTED);
        r.setSeriesPaint(2, INEVITABLE);
        r.setSeriesPaint(3, PAUSED);
        NumberAxis x = new NumberAxis("seconds from the start");
        x.setAutoRangeIncludesZero(false);
        SymbolAxis y = new SymbolAxis("thread", names.length == 0 ? new String[] {""} : names);
        y.setGridBandsVisible(false);
        y.setInverted(true);
        XYPlot p = new XYPlot(d, x, y, r);
        JFreeChart c = new JFreeChart("Transactions per thread", JFreeChart.DEFAULT_TITLE_FONT, p, true);
        if (sampled) {
            c.addSubtitle(new TextTitle("sampled: at most " + spansPerThread
                    + " spans per thread, evenly spread over the run"));
        }
        style(c);
        return png(c, width, height);
    }

    /** Conflicts per column of the run, one line per kind. */
    public static byte[] conflictsOverTime(ConflictSeries series, int width, int height) {
        XYSeriesCollection d = new XYSeriesCollection();
        double col = series.columnNanos() / 1e9;
        for (Map.Entry<String, int[]> e : series.byKind().entrySet()) {
            XYSeries s = new XYSeries(e.getKey());
            int[] v = e.getValue();
            for (int i = 0; i < v.length; i++) s.add(series.fromNanos() / 1e9 + (i + 0.5) * col, v[i]);
            d.addSeries(s);
        }
        JFreeChart c = ChartFactory.createXYLineChart("Conflicts over time (per " + Units.duration(series.columnNanos(), false)
                + ")", "seconds from the start", "conflicts", d, PlotOrientation.VERTICAL, true, false, false);
        XYLineAndShapeRenderer r = (XYLineAndShapeRenderer) c.getXYPlot().getRenderer();
        for (int i = 0; i < d.getSeriesCount(); i++) {
            r.setSeriesPaint(i, KINDS[i % KINDS.length]);
            r.setSeriesStroke(i, new BasicStroke(2f));
        }
        style(c);
        return png(c, width, height);
    }

    /** Throughput against threads, with the ideal linear line from the 1-thread run and the serial baseline. */
    public static byte[] scaleThroughput(ScaleView view, int width, int height) {
        Map<String, XYSeries> measured = new java.util.LinkedHashMap<>();
        XYSeries ideal = new XYSeries("ideal (linear from 1 thread)");
        XYSeries serial = new XYSeries("serial baseline");
        int max = 1;
        for (ScaleRun r : view.runs()) {
            if (r.baseline()) continue;
            measured.computeIfAbsent(r.mode(), m -> new XYSeries("measured, " + m, true, true)).add(r.threads(), r.throughput());
            max = Math.max(max, r.threads());
        }
        ScaleRun one = view.oneThread();
        if (one != null) {
            ideal.add(1, one.throughput());
            ideal.add(max, one.throughput() * max);
        }
        ScaleRun b = view.baseline();
        if (b != null) {
            serial.add(1, b.throughput());
            serial.add(max, b.throughput());
        }
        XYSeriesCollection d = new XYSeriesCollection();
        for (XYSeries m : measured.values()) d.addSeries(m);
        int modes = measured.size();
        d.addSeries(ideal);
        d.addSeries(serial);
        JFreeChart c = ChartFactory.createXYLineChart("Throughput against threads", "threads",
                "operations per second", d, PlotOrientation.VERTICAL, true, false, false);
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, true);
        Color[] modeColours = {new Color(0x1565c0), new Color(0x2e7d32), new Color(0x6a1b9a), new Color(0x00838f)};
        for (int i = 0; i < modes; i++) {
            r.setSeriesPaint(i, modeColours[i % modeColours.length]);
            r.setSeriesStroke(i, new BasicStroke(2.5f));
        }
        r.setSeriesPaint(modes, new Color(0x9e9e9e));
        r.setSeriesStroke(modes, new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
        r.setSeriesShapesVisible(modes, false);
        r.setSeriesPaint(modes + 1, PAUSED);
        r.setSeriesStroke(modes + 1, new BasicStroke(2f));
        r.setSeriesShapesVisible(modes + 1, false);
        c.getXYPlot().setRenderer(r);
        NumberAxis x = (NumberAxis) c.getXYPlot().getDomainAxis();
        x.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        style(c);
        return png(c, width, height);
    }

    /** Committed, aborted and paused time, stacked, per run: in the part of the run its throughput is measured over. */
    public static byte[] scaleTime(ScaleView view, int width, int height) {
        DefaultCategoryDataset d = new DefaultCategoryDataset();
        java.util.Set<String> used = new java.util.HashSet<>();
        for (ScaleRun r : view.runs()) {
            String label = runLabel(r);
            for (int i = 2; !used.add(label); i++) label = runLabel(r) + " (" + i + ")";
            d.addValue(r.transactions().committedNanos() / 1e9, "committed", label);
            d.addValue(r.transactions().abortedNanos() / 1e9, "aborted", label);
            d.addValue(r.transactions().pausedNanos() / 1e9, "paused", label);
        }
        JFreeChart c = ChartFactory.createStackedBarChart("Time in transactions while measured, per thread count", null, "seconds", d,
                PlotOrientation.VERTICAL, true, false, false);
        StackedBarRenderer r = (StackedBarRenderer) c.getCategoryPlot().getRenderer();
        r.setBarPainter(new StandardBarPainter());
        r.setShadowVisible(false);
        r.setSeriesPaint(0, COMMITTED);
        r.setSeriesPaint(1, ABORTED);
        r.setSeriesPaint(2, PAUSED);
        style(c);
        return png(c, width, height);
    }

    /** {@code stm, 4 threads}; unique per run. */
    static String runLabel(ScaleRun r) {
        return r.mode() + ", " + r.threads() + (r.threads() == 1 ? " thread" : " threads");
    }

    private static void style(JFreeChart c) {
        c.setBackgroundPaint(Color.WHITE);
        c.setAntiAlias(true);
        c.getPlot().setBackgroundPaint(new Color(0xf7f7f7));
        if (c.getPlot() instanceof XYPlot p) {
            p.setDomainGridlinePaint(new Color(0xcccccc));
            p.setRangeGridlinePaint(new Color(0xcccccc));
        } else if (c.getPlot() instanceof CategoryPlot p) {
            p.setRangeGridlinePaint(new Color(0xcccccc));
        }
    }

    static String shorten(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "\u2026";
    }

    private static byte[] png(JFreeChart chart, int width, int height) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ChartUtils.writeChartAsPNG(out, chart, width, height);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
