package dev.stmlog.samples.primes;

import java.util.Arrays;

/** The work of a request: the primes up to n, by trial division (deliberately CPU-bound). */
public final class Primes {

    private Primes() {
    }

    public static int[] upTo(int n) {
        int[] out = new int[16];
        int count = 0;
        for (int k = 2; k <= n; k++) {
            if (isPrime(k)) {
                if (count == out.length) out = Arrays.copyOf(out, count * 2);
                out[count++] = k;
            }
        }
        return Arrays.copyOf(out, count);
    }

    static boolean isPrime(int k) {
        if (k < 4) return k >= 2;
        if ((k & 1) == 0) return false;
        for (int d = 3; d <= k / d; d += 2) {
            if (k % d == 0) return false;
        }
        return true;
    }

    /** {@code {"n":n,"primes":[2,3,...]}} */
    public static String json(int n, int[] primes) {
        StringBuilder sb = new StringBuilder(16 + primes.length * 7);
        sb.append("{\"n\":").append(n).append(",\"primes\":[");
        for (int i = 0; i < primes.length; i++) {
            if (i > 0) sb.append(',');
            sb.append(primes[i]);
        }
        return sb.append("]}").toString();
    }
}
