package dev.stmlog.analyzer.cli;

/** {@code --format}: text for people, csv and json for other programs. */
public enum OutputFormat {
    TEXT, CSV, JSON
}
