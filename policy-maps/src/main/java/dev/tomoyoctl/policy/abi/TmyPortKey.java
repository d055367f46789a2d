package dev.tomoyoctl.policy.abi;

import static dev.tomoyoctl.policy.abi.AbiLayout.f;

import java.nio.ByteBuffer;

/**
 * struct tmy_port_key: key of the LPM trie "tmy_port_sets".
 *
 * @param prefixlen {@link Abi#TMY_PORT_SET_FIXED_BITS} + port prefix bits (0..16)
 * @param port      0..65535, stored big-endian in port[2] (so that prefixes are high bits); bits
 *                  past the prefix zero
 */
public record TmyPortKey(int prefixlen, int generation, int portSet, int port) {
    public static final int SIZE = 16;
    public static final AbiLayout LAYOUT = AbiLayout.of("tmy_port_key", SIZE, f("prefixlen", 0, 4),
            f("generation", 4, 4), f("port_set", 8, 4), f("port", 12, 2), f("_pad", 14, 2));

    public TmyPortKey {
        Le.checkU16(port, "port");
    }

    /** The key of a port block: the {@code portBits} leading bits of {@code port}. */
    public static TmyPortKey of(int generation, int portSet, int port, int portBits) {
        if (portBits < 0 || portBits > 16) {
            throw new IllegalArgumentException("port prefix of " + portBits + " bits");
        }
        return new TmyPortKey(Abi.TMY_PORT_SET_FIXED_BITS + portBits, generation, portSet, port);
    }

    public int portBits() {
        return prefixlen - Abi.TMY_PORT_SET_FIXED_BITS;
    }

    public void encode(ByteBuffer out) {
        Le.check(out, SIZE, "tmy_port_key");
        ByteBuffer b = Le.le(out);
        int p = out.position();
        b.putInt(p, prefixlen);
        b.putInt(p + 4, generation);
        b.putInt(p + 8, portSet);
        b.put(p + 12, (byte) (port >>> 8));
        b.put(p + 13, (byte) port);
        b.put(p + 14, (byte) 0).put(p + 15, (byte) 0);
        out.position(p + SIZE);
    }

    public byte[] toBytes() {
        return Le.bytes(SIZE, this::encode);
    }

    public static TmyPortKey decode(ByteBuffer in) {
        Le.check(in, SIZE, "tmy_port_key");
        ByteBuffer b = Le.le(in);
        int p = in.position();
        TmyPortKey r = new TmyPortKey(b.getInt(p), b.getInt(p + 4), b.getInt(p + 8),
                (Le.u8(b, p + 12) << 8) | Le.u8(b, p + 13));
        in.position(p + SIZE);
        return r;
    }

    public static TmyPortKey decode(byte[] bytes) {
        return decode(ByteBuffer.wrap(bytes));
    }
}
