package dev.tomoyoctl.policy.automaton;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * The text of every number in an unsigned range, printed as TOMOYO prints numbers
 * (tomoyo_print_ulong: "%lu", "0%lo", "0x%lX"), as one regex: a prefix, then the digits without
 * leading zeros (0 is "0"), upper-case for hex. TOMOYO compares the numbers of a file operation
 * by value; the kernel prints the value it judges, so "the printed text is in this language" is
 * "the value is in the range". The regex has O(digits x base) parts, however wide the range.
 */
public final class NumberRegex {
    private static final String DIGITS = "0123456789ABCDEF";

    private NumberRegex() {}

    /**
     * The printed forms of lo..hi (unsigned 64-bit values as longs, lo &lt;= hi unsigned).
     *
     * @param base   8, 10 or 16
     * @param prefix "0" (octal), "0x" (hex) or ""
     */
    public static Regex range(Regex.Factory f, long lo, long hi, int base, String prefix) {
        if (base != 8 && base != 10 && base != 16) {
            throw new IllegalArgumentException("base " + base);
        }
        if (Long.compareUnsigned(lo, hi) > 0) {
            throw new IllegalArgumentException("empty range");
        }
        BigInteger b = BigInteger.valueOf(base);
        BigInteger from = unsigned(lo), to = unsigned(hi);
        List<Regex> byLength = new ArrayList<>();
        // split at the powers of the base: within one length the digit strings compare as numbers
        BigInteger low = from;
        for (int len = from.toString(base).length(); low.compareTo(to) <= 0; len++) {
            BigInteger top = b.pow(len).subtract(BigInteger.ONE).min(to);
            byLength.add(sameLength(f, digits(low, base, len), digits(top, base, len), 0, base));
            low = top.add(BigInteger.ONE);
        }
        return f.cat(f.literal(prefix.getBytes(java.nio.charset.StandardCharsets.US_ASCII)), f.or(byLength));
    }

    private static BigInteger unsigned(long v) {
        return new BigInteger(Long.toUnsignedString(v));
    }

    private static int[] digits(BigInteger v, int base, int len) {
        String s = v.toString(base);
        int[] d = new int[len];
        int pad = len - s.length();
        for (int i = 0; i < s.length(); i++) {
            d[pad + i] = Character.digit(s.charAt(i), base);
        }
        return d;
    }

    /** Digit strings x with a[i..] &lt;= x &lt;= z[i..], all of length a.length - i. */
    private static Regex sameLength(Regex.Factory f, int[] a, int[] z, int i, int base) {
        int n = a.length;
        if (i == n) {
            return f.eps;
        }
        if (a[i] == z[i]) {
            return f.cat(digit(f, a[i], a[i]), sameLength(f, a, z, i + 1, base));
        }
        if (isAll(a, i + 1, 0) && isAll(z, i + 1, base - 1)) {
            return f.cat(digit(f, a[i], z[i]), any(f, n - i - 1, base));
        }
        List<Regex> parts = new ArrayList<>();
        int[] top = a.clone(), bottom = z.clone();
        for (int j = i + 1; j < n; j++) {
            top[j] = base - 1;
            bottom[j] = 0;
        }
        parts.add(f.cat(digit(f, a[i], a[i]), sameLength(f, a, top, i + 1, base)));
        if (z[i] - a[i] > 1) {
            parts.add(f.cat(digit(f, a[i] + 1, z[i] - 1), any(f, n - i - 1, base)));
        }
        parts.add(f.cat(digit(f, z[i], z[i]), sameLength(f, bottom, z, i + 1, base)));
        return f.or(parts);
    }

    private static boolean isAll(int[] d, int from, int v) {
        for (int j = from; j < d.length; j++) {
            if (d[j] != v) {
                return false;
            }
        }
        return true;
    }

    private static Regex any(Regex.Factory f, int count, int base) {
        Regex r = f.eps;
        for (int j = 0; j < count; j++) {
            r = f.cat(digit(f, 0, base - 1), r);
        }
        return r;
    }

    /** One digit from lo to hi, as its (upper-case) character. */
    private static Regex digit(Regex.Factory f, int lo, int hi) {
        long[] bits = new long[4];
        for (int d = lo; d <= hi; d++) {
            int c = DIGITS.charAt(d);
            bits[c >>> 6] |= 1L << (c & 63);
        }
        return f.set(bits);
    }
}
