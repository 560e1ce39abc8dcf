package dev.stmlog.reports;

/**
 * What a {@link ReportWriter} writes: one of the records the analyzer fills in ({@link SummaryView},
 * {@link TopView}, {@link CheckView}, {@link EventRow}, {@link ScaleView}, {@link ReportView},
 * {@link DiffView}). A
 * marker only, so that a format's table of writers is keyed by view types and nothing else.
 */
public interface View {}
