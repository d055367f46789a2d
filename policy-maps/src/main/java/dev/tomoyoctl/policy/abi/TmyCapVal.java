package dev.tomoyoctl.policy.abi;

import static dev.tomoyoctl.policy.abi.AbiLayout.f;

import java.nio.ByteBuffer;

/**
 * struct tmy_cap_val: value of hash map "tmy_cap_rules" (key: struct tmy_domain_key).
 *
 * @param allowed bit n: capability n
 * @param learned bits of allowed that the kernel added in learning mode
 */
public record TmyCapVal(long allowed, long learned) {
    public static final int SIZE = 16;
    public static final AbiLayout LAYOUT = AbiLayout.of("tmy_cap_val", SIZE, f("allowed", 0, 8), f("learned", 8, 8));

    public void encode(ByteBuffer out) {
        Le.check(out, SIZE, "tmy_cap_val");
        ByteBuffer b = Le.le(out);
        int p = out.position();
        b.putLong(p, allowed);
        b.putLong(p + 8, learned);
        out.position(p + SIZE);
    }

    public byte[] toBytes() {
        return Le.bytes(SIZE, this::encode);
    }

    public static TmyCapVal decode(ByteBuffer in) {
        Le.check(in, SIZE, "tmy_cap_val");
        ByteBuffer b = Le.le(in);
        int p = in.position();
        TmyCapVal r = new TmyCapVal(b.getLong(p), b.getLong(p + 8));
        in.position(p + SIZE);
        return r;
    }

    public static TmyCapVal decode(byte[] bytes) {
        return decode(ByteBuffer.wrap(bytes));
    }
}
