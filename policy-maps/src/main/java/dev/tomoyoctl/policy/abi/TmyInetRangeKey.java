package dev.tomoyoctl.policy.abi;

import static dev.tomoyoctl.policy.abi.AbiLayout.f;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * struct tmy_inet_range_key: key of the LPM trie "tmy_inet_ranges".
 *
 * @param prefixlen {@link Abi#TMY_INET_RANGE_FIXED_BITS} + address prefix bits (0..32 IPv4,
 *                  0..128 IPv6)
 * @param family    TMY_AF_INET or TMY_AF_INET6, __u8
 * @param addr      16 bytes, network byte order, IPv4 in addr[0..3]; bits past the prefix zero
 */
public record TmyInetRangeKey(int prefixlen, int generation, long domain, int family, byte[] addr) {
    public static final int SIZE = 40;
    public static final AbiLayout LAYOUT = AbiLayout.of("tmy_inet_range_key", SIZE, f("prefixlen", 0, 4),
            f("generation", 4, 4), f("domain", 8, 8), f("family", 16, 1), f("_pad", 17, 7), f("addr", 24, 16));

    public TmyInetRangeKey {
        Le.checkU8(family, "family");
        addr = Le.addr16(addr, "addr");
    }

    /** The key of an address block: {@code addrBits} leading bits of {@code addr}. */
    public static TmyInetRangeKey of(int generation, long domain, int family, byte[] addr, int addrBits) {
        int max = family == Abi.TMY_AF_INET ? 32 : 128;
        if (addrBits < 0 || addrBits > max) {
            throw new IllegalArgumentException("address prefix of " + addrBits + " bits for family " + family);
        }
        return new TmyInetRangeKey(Abi.TMY_INET_RANGE_FIXED_BITS + addrBits, generation, domain, family, addr);
    }

    /** The address prefix bits (prefixlen minus the fixed part). */
    public int addrBits() {
        return prefixlen - Abi.TMY_INET_RANGE_FIXED_BITS;
    }

    @Override
    public byte[] addr() {
        return addr.clone();
    }

    public void encode(ByteBuffer out) {
        Le.check(out, SIZE, "tmy_inet_range_key");
        ByteBuffer b = Le.le(out);
        int p = out.position();
        b.putInt(p, prefixlen);
        b.putInt(p + 4, generation);
        b.putLong(p + 8, domain);
        b.put(p + 16, (byte) family);
        for (int i = 17; i < 24; i++) {
            b.put(p + i, (byte) 0);
        }
        b.put(p + 24, addr);
        out.position(p + SIZE);
    }

    public byte[] toBytes() {
        return Le.bytes(SIZE, this::encode);
    }

    public static TmyInetRangeKey decode(ByteBuffer in) {
        Le.check(in, SIZE, "tmy_inet_range_key");
        ByteBuffer b = Le.le(in);
        int p = in.position();
        byte[] a = new byte[16];
        b.get(p + 24, a);
        TmyInetRangeKey r = new TmyInetRangeKey(b.getInt(p), b.getInt(p + 4), b.getLong(p + 8), Le.u8(b, p + 16), a);
        in.position(p + SIZE);
        return r;
    }

    public static TmyInetRangeKey decode(byte[] bytes) {
        return decode(ByteBuffer.wrap(bytes));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TmyInetRangeKey k && prefixlen == k.prefixlen && generation == k.generation
                && domain == k.domain && family == k.family && Arrays.equals(addr, k.addr);
    }

    @Override
    public int hashCode() {
        return ((prefixlen * 31 + generation) * 31 + Long.hashCode(domain)) * 31 + family + Arrays.hashCode(addr) * 17;
    }

    @Override
    public String toString() {
        return "TmyInetRangeKey[prefixlen=" + prefixlen + ", generation=" + generation + ", domain="
                + Long.toHexString(domain) + ", family=" + family + ", addr=" + HexFormat.of().formatHex(addr) + "]";
    }
}
