package dev.tomoyoctl.policy.abi;

import static dev.tomoyoctl.policy.abi.AbiLayout.f;

import java.nio.ByteBuffer;

/**
 * struct tmy_transition_key: key of hash map "tmy_transitions" (value: __u32 1).
 *
 * @param program  path hash of the program, 0 = any program
 * @param from     0 (TMY_FROM_ANY), a domain id (TMY_FROM_DOMAIN) or the path hash of a domain's
 *                 last program name (TMY_FROM_LASTNAME)
 * @param type     enum tmy_transition_type, __u8
 * @param fromKind enum tmy_from_kind, __u8
 */
public record TmyTransitionKey(long program, long from, int generation, int type, int fromKind) {
    public static final int SIZE = 24;
    public static final AbiLayout LAYOUT = AbiLayout.of("tmy_transition_key", SIZE, f("program", 0, 8),
            f("from", 8, 8), f("generation", 16, 4), f("type", 20, 1), f("from_kind", 21, 1), f("_pad", 22, 2));

    public TmyTransitionKey {
        Le.checkU8(type, "type");
        Le.checkU8(fromKind, "from_kind");
    }

    public void encode(ByteBuffer out) {
        Le.check(out, SIZE, "tmy_transition_key");
        ByteBuffer b = Le.le(out);
        int p = out.position();
        b.putLong(p, program);
        b.putLong(p + 8, from);
        b.putInt(p + 16, generation);
        b.put(p + 20, (byte) type);
        b.put(p + 21, (byte) fromKind);
        b.putShort(p + 22, (short) 0);
        out.position(p + SIZE);
    }

    public byte[] toBytes() {
        return Le.bytes(SIZE, this::encode);
    }

    public static TmyTransitionKey decode(ByteBuffer in) {
        Le.check(in, SIZE, "tmy_transition_key");
        ByteBuffer b = Le.le(in);
        int p = in.position();
        TmyTransitionKey r = new TmyTransitionKey(b.getLong(p), b.getLong(p + 8), b.getInt(p + 16), Le.u8(b, p + 20),
                Le.u8(b, p + 21));
        in.position(p + SIZE);
        return r;
    }

    public static TmyTransitionKey decode(byte[] bytes) {
        return decode(ByteBuffer.wrap(bytes));
    }
}
