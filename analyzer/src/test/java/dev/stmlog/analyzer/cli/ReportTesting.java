package dev.stmlog.analyzer.cli;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Checks shared by the report and scale tests. */
final class ReportTesting {
    private ReportTesting() {}

    /** The PNG decodes, is {@code width} wide and at least {@code minHeight} high, and is not blank. */
    static BufferedImage assertChart(Path png, int width, int minHeight) throws IOException {
        BufferedImage img = ImageIO.read(png.toFile());
        assertNotNull(img, png + " does not decode");
        assertEquals(width, img.getWidth(), png + " width");
        assertTrue(img.getHeight() >= minHeight, png + " height " + img.getHeight());
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < img.getHeight(); y += 3) {
            for (int x = 0; x < img.getWidth(); x += 3) colours.add(img.getRGB(x, y));
        }
        assertTrue(colours.size() >= 5, png + " looks blank: " + colours.size() + " colours");
        return img;
    }

    /** How many times {@code needle} occurs in {@code text}. */
    static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) n++;
        return n;
    }
}
