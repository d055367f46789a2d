package dev.tomoyoctl.policy.abi;

import static dev.tomoyoctl.policy.abi.AbiLayout.f;

import java.nio.ByteBuffer;

/** struct tmy_domain_key: key of hash map "tmy_domains". generation is a __u32. */
public record TmyDomainKey(long domain, int generation) {
    public static final int SIZE = 16;
    public static final AbiLayout LAYOUT = AbiLayout.of("tmy_domain_key", SIZE, f("domain", 0, 8),
            f("generation", 8, 4), f("_pad", 12, 4));

    public void encode(ByteBuffer out) {
        Le.check(out, SIZE, "tmy_domain_key");
        ByteBuffer b = Le.le(out);
        int p = out.position();
        b.putLong(p, domain);
        b.putInt(p + 8, generation);
        b.putInt(p + 12, 0);
        out.position(p + SIZE);
    }

    public byte[] toBytes() {
        return Le.bytes(SIZE, this::encode);
    }

    public static TmyDomainKey decode(ByteBuffer in) {
        Le.check(in, SIZE, "tmy_domain_key");
        ByteBuffer b = Le.le(in);
        int p = in.position();
        TmyDomainKey r = new TmyDomainKey(b.getLong(p), b.getInt(p + 8));
        in.position(p + SIZE);
        return r;
    }

    public static TmyDomainKey decode(byte[] bytes) {
        return decode(ByteBuffer.wrap(bytes));
    }
}
