package dev.stmlog.reports;

import java.util.Objects;

/**
 * One drawn chart: the PNG, the file it is saved as beside a page, and what it shows (the
 * page's alt text).
 */
public record Chart(String fileName, String description, byte[] png) {
    public Chart {
        Objects.requireNonNull(fileName, "fileName");
        Objects.requireNonNull(description, "description");
        png = png.clone();
    }

    @Override
    public byte[] png() {
        return png.clone();
    }
}
