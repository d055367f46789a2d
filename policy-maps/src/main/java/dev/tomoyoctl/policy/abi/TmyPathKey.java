package dev.tomoyoctl.policy.abi;

import static dev.tomoyoctl.policy.abi.AbiLayout.f;

import java.nio.ByteBuffer;

/**
 * struct tmy_path_key: key of hash map "tmy_path_rules".
 *
 * @param pathHash hash of the whole path (TMY_MATCH_EXACT) or of a directory prefix ending in '/'
 *                 (TMY_MATCH_SUBTREE)
 * @param match    enum tmy_match, __u8
 */
public record TmyPathKey(long domain, long pathHash, int generation, int match) {
    public static final int SIZE = 24;
    public static final AbiLayout LAYOUT = AbiLayout.of("tmy_path_key", SIZE, f("domain", 0, 8),
            f("path_hash", 8, 8), f("generation", 16, 4), f("match", 20, 1), f("_pad", 21, 3));

    public TmyPathKey {
        Le.checkU8(match, "match");
    }

    public void encode(ByteBuffer out) {
        Le.check(out, SIZE, "tmy_path_key");
        ByteBuffer b = Le.le(out);
        int p = out.position();
        b.putLong(p, domain);
        b.putLong(p + 8, pathHash);
        b.putInt(p + 16, generation);
        b.put(p + 20, (byte) match);
        b.put(p + 21, (byte) 0).put(p + 22, (byte) 0).put(p + 23, (byte) 0);
        out.position(p + SIZE);
    }

    public byte[] toBytes() {
        return Le.bytes(SIZE, this::encode);
    }

    public static TmyPathKey decode(ByteBuffer in) {
        Le.check(in, SIZE, "tmy_path_key");
        ByteBuffer b = Le.le(in);
        int p = in.position();
        TmyPathKey r = new TmyPathKey(b.getLong(p), b.getLong(p + 8), b.getInt(p + 16), Le.u8(b, p + 20));
        in.position(p + SIZE);
        return r;
    }

    public static TmyPathKey decode(byte[] bytes) {
        return decode(ByteBuffer.wrap(bytes));
    }
}
