package dev.tomoyoctl.policy.abi;

import static dev.tomoyoctl.policy.abi.AbiLayout.f;

import java.nio.ByteBuffer;

/**
 * struct tmy_domain_val: value of hash map "tmy_domains".
 *
 * @param profile __u8
 * @param flags   TMY_DOMAIN_*
 * @param learned __u32: entries counted against max_learning_entry (see PolicyCompiler)
 */
public record TmyDomainVal(int profile, int flags, int learned) {
    public static final int SIZE = 16;
    public static final AbiLayout LAYOUT = AbiLayout.of("tmy_domain_val", SIZE, f("profile", 0, 1), f("_pad", 1, 3),
            f("flags", 4, 4), f("learned", 8, 4), f("_pad2", 12, 4));

    public TmyDomainVal {
        Le.checkU8(profile, "profile");
    }

    public void encode(ByteBuffer out) {
        Le.check(out, SIZE, "tmy_domain_val");
        ByteBuffer b = Le.le(out);
        int p = out.position();
        b.put(p, (byte) profile);
        b.put(p + 1, (byte) 0).put(p + 2, (byte) 0).put(p + 3, (byte) 0);
        b.putInt(p + 4, flags);
        b.putInt(p + 8, learned);
        b.putInt(p + 12, 0);
        out.position(p + SIZE);
    }

    public byte[] toBytes() {
        return Le.bytes(SIZE, this::encode);
    }

    public static TmyDomainVal decode(ByteBuffer in) {
        Le.check(in, SIZE, "tmy_domain_val");
        ByteBuffer b = Le.le(in);
        int p = in.position();
        TmyDomainVal r = new TmyDomainVal(Le.u8(b, p), b.getInt(p + 4), b.getInt(p + 8));
        in.position(p + SIZE);
        return r;
    }

    public static TmyDomainVal decode(byte[] bytes) {
        return decode(ByteBuffer.wrap(bytes));
    }
}
