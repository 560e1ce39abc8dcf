package dev.stmlog.samples.wiki;

/**
 * Deterministic synthetic article titles, like "Bado Kefimi River": title {@code i} spells a
 * bijective scramble of {@code i} (32 bits) in fixed-width syllables, so distinct numbers give
 * distinct titles with no dictionary and no de-duplication, and the same title every run.
 */
public final class Titles {

    /** 32 two-letter syllables = 5 bits each; fixed width makes the spelling unambiguous. */
    private static final String[] SYLLABLES = new String[32];
    private static final String[] SUFFIXES = {"", " River", " (film)", " Castle"};

    static {
        String consonants = "bdfgklmn", vowels = "aeio";
        for (int c = 0; c < 8; c++) {
            for (int v = 0; v < 4; v++) {
                SYLLABLES[c * 4 + v] = "" + consonants.charAt(c) + vowels.charAt(v);
            }
        }
    }

    private Titles() {
    }

    /** A bijection of the 32-bit integers (every step is invertible). */
    static int scramble(int i) {
        int x = i * 0x9E3779B1;
        x ^= x >>> 16;
        x *= 0x85EBCA6B;
        x ^= x >>> 13;
        return x;
    }

    /** The title of article {@code i}: two words of three syllables (30 bits) and a suffix (2 bits). */
    public static String title(int i) {
        int x = scramble(i);
        StringBuilder sb = new StringBuilder(24);
        for (int s = 0; s < 6; s++) {
            String syl = SYLLABLES[(x >>> (5 * s)) & 31];
            if (s == 3) sb.append(' ');
            if (s == 0 || s == 3) {
                sb.append(Character.toUpperCase(syl.charAt(0))).append(syl.charAt(1));
            } else {
                sb.append(syl);
            }
        }
        return sb.append(SUFFIXES[x >>> 30]).toString();
    }

    /** The length in bytes of article {@code i} in the synthetic dump (200..5199). */
    public static int articleLength(int i) {
        return 200 + Integer.remainderUnsigned(scramble(~i), 5000);
    }
}
