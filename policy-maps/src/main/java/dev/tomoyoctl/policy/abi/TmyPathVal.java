package dev.tomoyoctl.policy.abi;

import static dev.tomoyoctl.policy.abi.AbiLayout.f;

import java.nio.ByteBuffer;

/**
 * struct tmy_path_val: value of hash map "tmy_path_rules".
 *
 * @param perms   TMY_PERM_* allowed
 * @param learned TMY_PERM_* of perms that the kernel added in learning mode
 */
public record TmyPathVal(int perms, int learned) {
    public static final int SIZE = 8;
    public static final AbiLayout LAYOUT = AbiLayout.of("tmy_path_val", SIZE, f("perms", 0, 4), f("learned", 4, 4));

    public void encode(ByteBuffer out) {
        Le.check(out, SIZE, "tmy_path_val");
        ByteBuffer b = Le.le(out);
        int p = out.position();
        b.putInt(p, perms);
        b.putInt(p + 4, learned);
        out.position(p + SIZE);
    }

    public byte[] toBytes() {
        return Le.bytes(SIZE, this::encode);
    }

    public static TmyPathVal decode(ByteBuffer in) {
        Le.check(in, SIZE, "tmy_path_val");
        ByteBuffer b = Le.le(in);
        int p = in.position();
        TmyPathVal r = new TmyPathVal(b.getInt(p), b.getInt(p + 4));
        in.position(p + SIZE);
        return r;
    }

    public static TmyPathVal decode(byte[] bytes) {
        return decode(ByteBuffer.wrap(bytes));
    }
}
