package dev.tomoyoctl.policy;

/**
 * TOMOYO's number unions (tomoyo_parse_number_union): "N" or "MIN-MAX" with each number decimal,
 * 0octal or 0xhex, MIN &lt;= MAX. Used for ports and number_group members.
 */
public final class NumberUnion {
    private NumberUnion() {}

    /** One unsigned number in TOMOYO's syntax, or null. */
    public static Long parseNumber(String s) {
        try {
            if (s.isEmpty() || s.charAt(0) == '+' || s.charAt(0) == '-') {
                return null;
            }
            if (s.startsWith("0x") || s.startsWith("0X")) {
                String h = s.substring(2);
                return h.isEmpty() || h.charAt(0) == '+' ? null : Long.parseUnsignedLong(h, 16);
            }
            if (s.length() > 1 && s.startsWith("0")) {
                return Long.parseUnsignedLong(s.substring(1), 8);
            }
            return Long.parseUnsignedLong(s, 10);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * {lo, hi} of "N" or "MIN-MAX" (unsigned 64-bit values as longs).
     *
     * @throws IllegalArgumentException naming the bad part
     */
    public static long[] parse(String s) {
        int dash = s.indexOf('-');
        String a = dash < 0 ? s : s.substring(0, dash);
        String b = dash < 0 ? s : s.substring(dash + 1);
        Long lo = parseNumber(a);
        if (lo == null) {
            throw new IllegalArgumentException("bad number '" + a + "'");
        }
        Long hi = parseNumber(b);
        if (hi == null) {
            throw new IllegalArgumentException("bad number '" + b + "'");
        }
        if (Long.compareUnsigned(lo, hi) > 0) {
            throw new IllegalArgumentException("range '" + s + "' has its low end above its high end");
        }
        return new long[] {lo, hi};
    }

    /**
     * A port or port range: {lo, hi} within 0..65535.
     *
     * @throws IllegalArgumentException naming the bad part
     */
    public static int[] parsePort(String s) {
        long[] r = parse(s);
        for (long v : r) {
            if (v < 0 || v > 65535) {
                throw new IllegalArgumentException("port " + Long.toUnsignedString(v) + " is out of 0..65535");
            }
        }
        return new int[] {(int) r[0], (int) r[1]};
    }
}
