package dev.tomoyoctl.policy.abi;

import static dev.tomoyoctl.policy.abi.AbiLayout.f;

import java.nio.ByteBuffer;

/**
 * struct tmy_port_val: value of "tmy_port_sets".
 *
 * @param perms TMY_NET_PERM() bits granted for the ports of the block
 */
public record TmyPortVal(int perms) {
    public static final int SIZE = 8;
    public static final AbiLayout LAYOUT = AbiLayout.of("tmy_port_val", SIZE, f("perms", 0, 4), f("_pad", 4, 4));

    public void encode(ByteBuffer out) {
        Le.check(out, SIZE, "tmy_port_val");
        ByteBuffer b = Le.le(out);
        int p = out.position();
        b.putInt(p, perms);
        b.putInt(p + 4, 0);
        out.position(p + SIZE);
    }

    public byte[] toBytes() {
        return Le.bytes(SIZE, this::encode);
    }

    public static TmyPortVal decode(ByteBuffer in) {
        Le.check(in, SIZE, "tmy_port_val");
        ByteBuffer b = Le.le(in);
        int p = in.position();
        TmyPortVal r = new TmyPortVal(b.getInt(p));
        in.position(p + SIZE);
        return r;
    }

    public static TmyPortVal decode(byte[] bytes) {
        return decode(ByteBuffer.wrap(bytes));
    }
}
