package dev.tomoyoctl.policy.abi;

import static dev.tomoyoctl.policy.abi.AbiLayout.f;

import java.nio.ByteBuffer;

/** struct tmy_state: array map "tmy_state", one element (index 0). Both fields are __u32. */
public record TmyState(int generation, int flags) {
    public static final int SIZE = 8;
    public static final AbiLayout LAYOUT = AbiLayout.of("tmy_state", SIZE, f("generation", 0, 4), f("flags", 4, 4));

    public void encode(ByteBuffer out) {
        Le.check(out, SIZE, "tmy_state");
        ByteBuffer b = Le.le(out);
        int p = out.position();
        b.putInt(p, generation);
        b.putInt(p + 4, flags);
        out.position(p + SIZE);
    }

    public byte[] toBytes() {
        return Le.bytes(SIZE, this::encode);
    }

    public static TmyState decode(ByteBuffer in) {
        Le.check(in, SIZE, "tmy_state");
        ByteBuffer b = Le.le(in);
        int p = in.position();
        TmyState r = new TmyState(b.getInt(p), b.getInt(p + 4));
        in.position(p + SIZE);
        return r;
    }

    public static TmyState decode(byte[] bytes) {
        return decode(ByteBuffer.wrap(bytes));
    }
}
