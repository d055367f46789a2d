package dev.tomoyoctl.policy.abi;

import static dev.tomoyoctl.policy.abi.AbiLayout.f;

import java.nio.ByteBuffer;

/**
 * struct tmy_signal_key: key of hash map "tmy_signal_rules" (value: struct tmy_path_val with
 * perms = TMY_SIGNAL_ALLOWED).
 *
 * @param domain the sender's domain
 * @param target a target domain id (the rule covers that domain and the domains below it)
 * @param sig    signal number
 */
public record TmySignalKey(long domain, long target, int generation, int sig) {
    public static final int SIZE = 24;
    public static final AbiLayout LAYOUT = AbiLayout.of("tmy_signal_key", SIZE, f("domain", 0, 8),
            f("target", 8, 8), f("generation", 16, 4), f("sig", 20, 4));

    public void encode(ByteBuffer out) {
        Le.check(out, SIZE, "tmy_signal_key");
        ByteBuffer b = Le.le(out);
        int p = out.position();
        b.putLong(p, domain);
        b.putLong(p + 8, target);
        b.putInt(p + 16, generation);
        b.putInt(p + 20, sig);
        out.position(p + SIZE);
    }

    public byte[] toBytes() {
        return Le.bytes(SIZE, this::encode);
    }

    public static TmySignalKey decode(ByteBuffer in) {
        Le.check(in, SIZE, "tmy_signal_key");
        ByteBuffer b = Le.le(in);
        int p = in.position();
        TmySignalKey r = new TmySignalKey(b.getLong(p), b.getLong(p + 8), b.getInt(p + 16), b.getInt(p + 20));
        in.position(p + SIZE);
        return r;
    }

    public static TmySignalKey decode(byte[] bytes) {
        return decode(ByteBuffer.wrap(bytes));
    }
}
