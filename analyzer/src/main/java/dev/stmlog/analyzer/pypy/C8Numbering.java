package dev.stmlog.analyzer.pypy;

/**
 * The three C8 event numberings. They share one header ({@code PROF01} was never bumped), so a
 * file does not say which it uses; the user picks one ({@code --pypy-events}), and the reader
 * maps its codes onto the final numbering, which is the only one the analysis knows.
 */
public enum C8Numbering {
    /** stmgc of 5 November 2015 on, the final C8 script's numbering (16 codes). */
    FINAL("final", new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}),
    /** stmgc of 24 June 2015: no DETACH/REATTACH, BECOME_INEVITABLE=3, WRITE_READ=4 (14 codes). */
    JUNE_2015("2015-06", new int[] {0, 1, 2, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}),
    /** stmgc of 10 March 2015: also no WAIT_SYNCING; WRITE_READ=3, BECOME_INEVITABLE=4 (13 codes). */
    MARCH_2015("2015-03", new int[] {0, 1, 2, 6, 5, 7, 9, 10, 11, 12, 13, 14, 15});

    private final String label;
    private final int[] toFinal;

    C8Numbering(String label, int[] toFinal) {
        this.label = label;
        this.toFinal = toFinal;
    }

    /** The option value: {@code final}, {@code 2015-06} or {@code 2015-03}. */
    public String label() {
        return label;
    }

    /** Parses an option value; throws IllegalArgumentException naming the valid ones. */
    public static C8Numbering parse(String label) {
        for (C8Numbering n : values()) {
            if (n.label.equals(label)) return n;
        }
        throw new IllegalArgumentException("unknown PyPy C8 event numbering '" + label
                + "' (expected final, 2015-06 or 2015-03)");
    }

    /** Number of codes; codes at or above it make the file "appear corrupted". */
    public int codeLimit() {
        return toFinal.length;
    }

    /** The final-numbering code for {@code code} of this numbering ({@code code < codeLimit()}). */
    public int toFinal(int code) {
        return toFinal[code];
    }

    /** A copy of the mapping table, indexed by this numbering's code. */
    int[] table() {
        return toFinal.clone();
    }

    /** Raw codes that may carry a marker in this numbering (BECOME_INEVITABLE, WRITE_READ). */
    boolean carriesMarker(int rawCode) {
        return rawCode < toFinal.length && (toFinal[rawCode] == 5 || toFinal[rawCode] == 6);
    }

    @Override
    public String toString() {
        return label;
    }
}
