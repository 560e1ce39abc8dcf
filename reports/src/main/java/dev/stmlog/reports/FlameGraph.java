package dev.stmlog.reports;

import dev.stmlog.reports.export.StackProfile;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A flame graph of a {@link StackProfile} as inline SVG, for the HTML report: no script, no
 * network, readable under the page's Content-Security-Policy. The root (every sample) is at the
 * bottom, each stack grows upwards, a frame's width is its share of the time, and siblings are
 * ordered by time, the biggest first (a left-heavy graph: the same stack is always in the same
 * place). Each frame's {@code <title>} (a tooltip) gives its name and time; frames too narrow
 * to see are left out, their time still counted in their parent's width.
 */
final class FlameGraph {
    /** The drawing's width in SVG units; the page scales it to its column. */
    static final double WIDTH = 1200;
    static final int ROW = 18;
    /** Narrower frames are not drawn (a tenth of a pixel at the drawing's width). */
    static final double MIN_WIDTH = 0.1;
    /** Average width of a character of the 11-unit label font, to cut labels to their frame. */
    static final double CHAR_WIDTH = 6.6;

    private FlameGraph() {}

    /** One frame in its context: the time of the samples through it, and what they called. */
    private static final class Node {
        final StackProfile.Frame frame;
        long nanos;
        final Map<StackProfile.Frame, Node> children = new LinkedHashMap<>();

        Node(StackProfile.Frame frame) {
            this.frame = frame;
        }

        int depth() {
            int d = 0;
            for (Node c : children.values()) d = Math.max(d, c.depth());
            return d + 1;
        }
    }

    static void svg(StackProfile profile, Html h) {
        Node root = new Node(StackProfile.Frame.pseudo("all"));
        for (StackProfile.Sample s : profile.samples()) {
            Node n = root;
            n.nanos += s.nanos();
            for (StackProfile.Frame f : s.stack()) {
                n = n.children.computeIfAbsent(f, Node::new);
                n.nanos += s.nanos();
            }
        }
        int rows = root.depth();
        int height = rows * ROW;
        h.open("svg", "class", "flame", "viewBox", "0 0 " + (int) WIDTH + " " + height, "role", "img",
                "aria-label", "flame graph of " + profile.name(), "width", "100%");
        if (root.nanos > 0) draw(root, 0, height - ROW, root.nanos, 0, h);
        h.close("svg").newline();
    }

    private static void draw(Node n, double x, int y, long total, int level, Html h) {
        double w = WIDTH * n.nanos / total;
        String label = n.frame.toString() + " — " + Units.duration(n.nanos, false)
                + String.format(Locale.ROOT, " (%.1f%%)", 100.0 * n.nanos / total);
        h.open("g", "class", level == 0 ? "root" : n.frame.file() == null ? "pseudo" : "frame");
        h.element("title", label);
        h.empty("rect", "x", fmt(x), "y", Integer.toString(y), "width", fmt(w), "height", Integer.toString(ROW - 1),
                "fill", level == 0 ? null : colour(n.frame.toString()));
        int chars = (int) ((w - 6) / CHAR_WIDTH);
        if (chars >= 3) {
            String text = n.frame.toString();
            if (text.length() > chars) text = text.substring(0, chars - 1) + "…";
            h.element("text", text, "x", fmt(x + 3), "y", Integer.toString(y + ROW - 5));
        }
        h.close("g");
        List<Node> children = new ArrayList<>(n.children.values());
        children.sort(Comparator.<Node>comparingLong(c -> c.nanos).reversed()
                .thenComparing(c -> c.frame.toString()));
        double cx = x;
        for (Node c : children) {
            double cw = WIDTH * c.nanos / total;
            if (cw >= MIN_WIDTH) draw(c, cx, y - ROW, total, level + 1, h);
            cx += cw;
        }
    }

    /** A warm colour from the frame's name: the same frame has the same colour everywhere. */
    private static String colour(String name) {
        int hash = name.hashCode();
        int hue = 5 + Math.floorMod(hash, 50); // red to yellow
        int light = 52 + Math.floorMod(hash >>> 8, 14);
        return "hsl(" + hue + ",80%," + light + "%)";
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }
}
