package dev.tomoyoctl.policy.abi;

import static dev.tomoyoctl.policy.abi.AbiLayout.f;

import java.nio.ByteBuffer;

/**
 * struct tmy_inet_range_val: value of "tmy_inet_ranges".
 *
 * @param portSet key of the port set in tmy_port_sets (unique within a generation)
 */
public record TmyInetRangeVal(int portSet) {
    public static final int SIZE = 8;
    public static final AbiLayout LAYOUT = AbiLayout.of("tmy_inet_range_val", SIZE, f("port_set", 0, 4),
            f("_pad", 4, 4));

    public void encode(ByteBuffer out) {
        Le.check(out, SIZE, "tmy_inet_range_val");
        ByteBuffer b = Le.le(out);
        int p = out.position();
        b.putInt(p, portSet);
        b.putInt(p + 4, 0);
        out.position(p + SIZE);
    }

    public byte[] toBytes() {
        return Le.bytes(SIZE, this::encode);
    }

    public static TmyInetRangeVal decode(ByteBuffer in) {
        Le.check(in, SIZE, "tmy_inet_range_val");
        ByteBuffer b = Le.le(in);
        int p = in.position();
        TmyInetRangeVal r = new TmyInetRangeVal(b.getInt(p));
        in.position(p + SIZE);
        return r;
    }

    public static TmyInetRangeVal decode(byte[] bytes) {
        return decode(ByteBuffer.wrap(bytes));
    }
}
