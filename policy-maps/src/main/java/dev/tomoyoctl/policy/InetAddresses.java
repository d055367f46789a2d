package dev.tomoyoctl.policy;

import dev.tomoyoctl.policy.abi.Abi;

import java.math.BigInteger;
import java.util.Arrays;

/**
 * IPv4/IPv6 literals as TOMOYO reads and prints them in network rules and address_group lines.
 *
 * <p>Parsing accepts what the kernel's in4_pton/in6_pton accept for TOMOYO: a dotted quad of
 * decimal numbers 0..255; IPv6 as up to eight groups of 1-4 hex digits with at most one "::",
 * optionally ending in a dotted quad. Printing is the kernel's %pI4 and %pI6c (RFC 5952: lower
 * case, no leading zeros, the longest run of two or more zero groups compressed, the leftmost on
 * ties; a v4-mapped (::ffff:a.b.c.d) or ISATAP (..:0:5efe:a.b.c.d, ..:200:5efe:a.b.c.d) address
 * prints its last 32 bits dotted), which is what TOMOYO prints back.
 */
public final class InetAddresses {
    private InetAddresses() {}

    /** An address range of one family; lo &lt;= hi as unsigned big-endian integers. */
    public record Range(int family, BigInteger lo, BigInteger hi) {
        public Range {
            if (family != Abi.TMY_AF_INET && family != Abi.TMY_AF_INET6) {
                throw new IllegalArgumentException("family " + family);
            }
            if (lo.compareTo(hi) > 0 || lo.signum() < 0 || hi.bitLength() > bits(family)) {
                throw new IllegalArgumentException("bad range");
            }
        }

        public boolean contains(int fam, BigInteger a) {
            return fam == family && lo.compareTo(a) <= 0 && a.compareTo(hi) <= 0;
        }

        public boolean isSingle() {
            return lo.equals(hi);
        }

        /** As TOMOYO prints it: "A" or "A-B". */
        public String text() {
            String a = format(toBytes16(lo, family), family == Abi.TMY_AF_INET6);
            return isSingle() ? a : a + "-" + format(toBytes16(hi, family), family == Abi.TMY_AF_INET6);
        }
    }

    /** 32 for TMY_AF_INET, 128 for TMY_AF_INET6. */
    public static int bits(int family) {
        return family == Abi.TMY_AF_INET ? 32 : 128;
    }

    /**
     * Formats an address: {@code addr16} holds 16 bytes in network order (IPv4 in the first 4),
     * or exactly 4 bytes for IPv4.
     */
    public static String format(byte[] addr16, boolean ipv6) {
        if (!ipv6) {
            if (addr16.length < 4) {
                throw new IllegalArgumentException("an IPv4 address needs 4 bytes");
            }
            return (addr16[0] & 0xff) + "." + (addr16[1] & 0xff) + "." + (addr16[2] & 0xff) + "." + (addr16[3] & 0xff);
        }
        if (addr16.length != 16) {
            throw new IllegalArgumentException("an IPv6 address needs 16 bytes");
        }
        int[] w = new int[8];
        for (int i = 0; i < 8; i++) {
            w[i] = ((addr16[2 * i] & 0xff) << 8) | (addr16[2 * i + 1] & 0xff);
        }
        boolean v4mapped = w[0] == 0 && w[1] == 0 && w[2] == 0 && w[3] == 0 && w[4] == 0 && w[5] == 0xffff;
        boolean isatap = (w[4] | 0x0200) == 0x0200 && w[5] == 0x5efe;
        boolean useIPv4 = v4mapped || isatap;
        int range = useIPv4 ? 6 : 8;
        int longest = 0, colonpos = -1;
        for (int i = 0; i < range; i++) {
            int z = 0;
            for (int j = i; j < range && w[j] == 0; j++) {
                z++;
            }
            if (z > longest) {
                longest = z;
                colonpos = i;
            }
        }
        if (longest <= 1) {
            colonpos = -1; // a single zero group is not compressed
        }
        StringBuilder sb = new StringBuilder(40);
        boolean needColon = false;
        for (int i = 0; i < range; i++) {
            if (i == colonpos) {
                if (needColon || i == 0) {
                    sb.append(':');
                }
                sb.append(':');
                needColon = false;
                i += longest - 1;
                continue;
            }
            if (needColon) {
                sb.append(':');
            }
            sb.append(Integer.toHexString(w[i]));
            needColon = true;
        }
        if (useIPv4) {
            if (needColon) {
                sb.append(':');
            }
            sb.append(addr16[12] & 0xff).append('.').append(addr16[13] & 0xff).append('.').append(addr16[14] & 0xff)
                    .append('.').append(addr16[15] & 0xff);
        }
        return sb.toString();
    }

    /** The family of a literal: TMY_AF_INET6 if it has a ':', else TMY_AF_INET. */
    public static int familyOf(String literal) {
        return literal.indexOf(':') >= 0 ? Abi.TMY_AF_INET6 : Abi.TMY_AF_INET;
    }

    /** Parses a literal: 4 bytes (IPv4) or 16 bytes (IPv6), or null if it is not one. */
    public static byte[] parse(String s) {
        return s.indexOf(':') >= 0 ? parse6(s) : parse4(s);
    }

    /** The literal as TOMOYO prints it, or null if it is not an address. */
    public static String canonical(String s) {
        byte[] a = parse(s);
        return a == null ? null : format(a, a.length == 16);
    }

    static byte[] parse4(String s) {
        String[] p = s.split("\\.", -1);
        if (p.length != 4) {
            return null;
        }
        byte[] out = new byte[4];
        for (int i = 0; i < 4; i++) {
            if (p[i].isEmpty() || p[i].length() > 3 || !p[i].chars().allMatch(c -> c >= '0' && c <= '9')) {
                return null;
            }
            int v = Integer.parseInt(p[i]);
            if (v > 255) {
                return null;
            }
            out[i] = (byte) v;
        }
        return out;
    }

    static byte[] parse6(String s) {
        byte[] v4 = null;
        int lastColon = s.lastIndexOf(':');
        String hexPart = s;
        if (s.indexOf('.', lastColon) >= 0) {
            v4 = parse4(s.substring(lastColon + 1));
            if (v4 == null) {
                return null;
            }
            // keep the colon(s) before the dotted part: "::1.2.3.4" -> "::" + v4
            hexPart = s.substring(0, lastColon + 1);
            if (hexPart.endsWith("::")) {
                // fine: compression right before the IPv4 part
            } else if (hexPart.endsWith(":")) {
                hexPart = hexPart.substring(0, hexPart.length() - 1);
            }
        }
        int groupsWanted = v4 == null ? 8 : 6;
        int dc = hexPart.indexOf("::");
        if (dc >= 0 && hexPart.indexOf("::", dc + 1) >= 0) {
            return null;
        }
        int[] head, tail;
        if (dc >= 0) {
            head = groups(hexPart.substring(0, dc));
            tail = groups(hexPart.substring(dc + 2));
            if (head == null || tail == null || head.length + tail.length > groupsWanted - 1) {
                return null;
            }
        } else {
            head = groups(hexPart);
            tail = new int[0];
            if (head == null || head.length != groupsWanted) {
                return null;
            }
        }
        byte[] out = new byte[16];
        for (int i = 0; i < head.length; i++) {
            out[2 * i] = (byte) (head[i] >> 8);
            out[2 * i + 1] = (byte) head[i];
        }
        int start = groupsWanted - tail.length;
        for (int i = 0; i < tail.length; i++) {
            out[2 * (start + i)] = (byte) (tail[i] >> 8);
            out[2 * (start + i) + 1] = (byte) tail[i];
        }
        if (v4 != null) {
            System.arraycopy(v4, 0, out, 12, 4);
        }
        return out;
    }

    /** "a:b:c" -> groups; "" -> none; null if malformed. */
    private static int[] groups(String s) {
        if (s.isEmpty()) {
            return new int[0];
        }
        String[] p = s.split(":", -1);
        int[] out = new int[p.length];
        for (int i = 0; i < p.length; i++) {
            if (p[i].isEmpty() || p[i].length() > 4) {
                return null;
            }
            for (char c : p[i].toCharArray()) {
                if (Character.digit(c, 16) < 0) {
                    return null;
                }
            }
            out[i] = Integer.parseInt(p[i], 16);
        }
        return out;
    }

    /**
     * Parses "A" or "A-B" (both of one family, A &lt;= B).
     *
     * @throws IllegalArgumentException naming what is wrong ("bad address 'x'", "range with the
     *                                  low end above the high end", "range mixing IPv4 and IPv6")
     */
    public static Range parseRange(String text) {
        int dash = text.indexOf('-');
        String a = dash < 0 ? text : text.substring(0, dash);
        String b = dash < 0 ? text : text.substring(dash + 1);
        byte[] lo = parse(a);
        if (lo == null) {
            throw new IllegalArgumentException("bad address '" + a + "'");
        }
        byte[] hi = parse(b);
        if (hi == null) {
            throw new IllegalArgumentException("bad address '" + b + "'");
        }
        if (lo.length != hi.length) {
            throw new IllegalArgumentException("range '" + text + "' mixes IPv4 and IPv6");
        }
        int family = lo.length == 4 ? Abi.TMY_AF_INET : Abi.TMY_AF_INET6;
        BigInteger l = new BigInteger(1, lo), h = new BigInteger(1, hi);
        if (l.compareTo(h) > 0) {
            throw new IllegalArgumentException("range '" + text + "' has its low end above its high end");
        }
        return new Range(family, l, h);
    }

    /** An address as an unsigned integer: the first 4 (IPv4) or 16 bytes of {@code addr}. */
    public static BigInteger toInteger(byte[] addr, int family) {
        return new BigInteger(1, Arrays.copyOf(addr, family == Abi.TMY_AF_INET ? 4 : 16));
    }

    /** The 16-byte form (IPv4 in the first 4 bytes, the rest zero) of an address integer. */
    public static byte[] toBytes16(BigInteger v, int family) {
        int n = family == Abi.TMY_AF_INET ? 4 : 16;
        byte[] raw = v.toByteArray(); // big-endian, maybe with a leading sign byte
        byte[] out = new byte[16];
        int copy = Math.min(raw.length, n);
        System.arraycopy(raw, raw.length - copy, out, n - copy, copy);
        return out;
    }
}
