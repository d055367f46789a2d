package dev.tomoyoctl.policy.abi;

import static dev.tomoyoctl.policy.abi.AbiLayout.f;

import java.nio.ByteBuffer;

/** struct tmy_cond_key: key of hash map "tmy_cond_rules" (index 0 .. tmy_domain_val.conds - 1). */
public record TmyCondKey(long domain, int generation, int index) {
    public static final int SIZE = 16;
    public static final AbiLayout LAYOUT = AbiLayout.of("tmy_cond_key", SIZE, f("domain", 0, 8),
            f("generation", 8, 4), f("index", 12, 4));

    public byte[] toBytes() {
        return Le.bytes(SIZE, out -> {
            ByteBuffer b = Le.le(out);
            int p = out.position();
            b.putLong(p, domain).putInt(p + 8, generation).putInt(p + 12, index);
            out.position(p + SIZE);
        });
    }

    public static TmyCondKey decode(byte[] bytes) {
        ByteBuffer b = Le.le(ByteBuffer.wrap(bytes));
        return new TmyCondKey(b.getLong(0), b.getInt(8), b.getInt(12));
    }
}
