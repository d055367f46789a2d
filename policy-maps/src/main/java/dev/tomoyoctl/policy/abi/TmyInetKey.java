package dev.tomoyoctl.policy.abi;

import static dev.tomoyoctl.policy.abi.AbiLayout.f;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * struct tmy_inet_key: key of hash map "tmy_inet_rules" (one address and one port).
 *
 * @param family TMY_AF_INET or TMY_AF_INET6, __u8
 * @param port   __u16, host byte order (raw sockets: the IP protocol number)
 * @param addr   16 bytes, network byte order; IPv4 in addr[0..3], the rest zero
 */
public record TmyInetKey(long domain, int generation, int family, int port, byte[] addr) {
    public static final int SIZE = 32;
    public static final AbiLayout LAYOUT = AbiLayout.of("tmy_inet_key", SIZE, f("domain", 0, 8),
            f("generation", 8, 4), f("family", 12, 1), f("_pad", 13, 1), f("port", 14, 2), f("addr", 16, 16));

    public TmyInetKey {
        Le.checkU8(family, "family");
        Le.checkU16(port, "port");
        addr = Le.addr16(addr, "addr");
    }

    @Override
    public byte[] addr() {
        return addr.clone();
    }

    public void encode(ByteBuffer out) {
        Le.check(out, SIZE, "tmy_inet_key");
        ByteBuffer b = Le.le(out);
        int p = out.position();
        b.putLong(p, domain);
        b.putInt(p + 8, generation);
        b.put(p + 12, (byte) family);
        b.put(p + 13, (byte) 0);
        b.putShort(p + 14, (short) port);
        b.put(p + 16, addr);
        out.position(p + SIZE);
    }

    public byte[] toBytes() {
        return Le.bytes(SIZE, this::encode);
    }

    public static TmyInetKey decode(ByteBuffer in) {
        Le.check(in, SIZE, "tmy_inet_key");
        ByteBuffer b = Le.le(in);
        int p = in.position();
        byte[] a = new byte[16];
        b.get(p + 16, a);
        TmyInetKey r = new TmyInetKey(b.getLong(p), b.getInt(p + 8), Le.u8(b, p + 12), Le.u16(b, p + 14), a);
        in.position(p + SIZE);
        return r;
    }

    public static TmyInetKey decode(byte[] bytes) {
        return decode(ByteBuffer.wrap(bytes));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TmyInetKey k && domain == k.domain && generation == k.generation && family == k.family
                && port == k.port && Arrays.equals(addr, k.addr);
    }

    @Override
    public int hashCode() {
        return (Long.hashCode(domain) * 31 + generation) * 31 + family * 65537 + port + Arrays.hashCode(addr) * 17;
    }

    @Override
    public String toString() {
        return "TmyInetKey[domain=" + Long.toHexString(domain) + ", generation=" + generation + ", family=" + family
                + ", port=" + port + ", addr=" + HexFormat.of().formatHex(addr) + "]";
    }
}
