package dev.stmlog.reports;

/** Draws counts per time bucket as one line of characters, darker for more. */
public final class Timeline {
    /** Columns of a time line. */
    public static final int COLUMNS = 60;

    /** From nothing to the most: a blank, then nine levels. */
    public static final String LEVELS = " .:-=+*#%@";

    private Timeline() {}

    /** One character per count: blank for 0, {@code @} for the largest count, levels in between. */
    public static String draw(int[] counts) {
        int max = 0;
        for (int c : counts) max = Math.max(max, c);
        StringBuilder b = new StringBuilder(counts.length);
        int top = LEVELS.length() - 1;
        for (int c : counts) {
            if (c <= 0) {
                b.append(' ');
            } else {
                int level = (int) Math.ceil((double) c * top / max);
                b.append(LEVELS.charAt(Math.max(1, Math.min(top, level))));
            }
        }
        return b.toString();
    }
}
