package dev.tomoyoctl.policy.abi;

import static dev.tomoyoctl.policy.abi.AbiLayout.f;

import java.nio.ByteBuffer;

/**
 * struct tmy_cap_event (TMY_EV_CAP_LEARN, TMY_EV_CAP_AUDIT): "capability NAME". No path.
 *
 * @param cap      capability number
 * @param category TMY_CAT_CAPABILITY, __u8
 * @param mode     enum tmy_mode in force, __u8
 * @param profile  __u8
 * @param flags    TMY_ACCESS_*, __u8
 */
public record TmyCapEvent(TmyEventHdr hdr, int cap, int category, int mode, int profile, int flags)
        implements TmyEvent {
    public static final int SIZE = 48;
    public static final AbiLayout LAYOUT = AbiLayout.of("tmy_cap_event", SIZE, f("hdr", 0, TmyEventHdr.SIZE),
            f("cap", 40, 4), f("category", 44, 1), f("mode", 45, 1), f("profile", 46, 1), f("flags", 47, 1));

    public TmyCapEvent {
        Le.checkU8(category, "category");
        Le.checkU8(mode, "mode");
        Le.checkU8(profile, "profile");
        Le.checkU8(flags, "flags");
    }

    /** No path in this record: empty. */
    @Override
    public byte[] path() {
        return new byte[0];
    }

    public boolean granted() {
        return (flags & Abi.TMY_ACCESS_GRANTED) != 0;
    }

    public void encode(ByteBuffer out) {
        Le.check(out, SIZE, "tmy_cap_event");
        ByteBuffer b = Le.le(out);
        int p = out.position();
        hdr.encode(b);
        b.putInt(p + 40, cap);
        b.put(p + 44, (byte) category);
        b.put(p + 45, (byte) mode);
        b.put(p + 46, (byte) profile);
        b.put(p + 47, (byte) flags);
        out.position(p + SIZE);
    }

    public byte[] toBytes() {
        return Le.bytes(SIZE, this::encode);
    }

    /** Decodes from {@code in}'s position without moving it. */
    public static TmyCapEvent decode(ByteBuffer in) {
        ByteBuffer b = Le.le(in);
        int p = in.position();
        if (in.remaining() < SIZE) {
            throw new IllegalArgumentException("tmy_cap_event: sample of " + in.remaining() + " bytes < " + SIZE);
        }
        TmyEventHdr hdr = TmyEventHdr.decode(b.duplicate().order(b.order()));
        if (hdr.type() != Abi.TMY_EV_CAP_LEARN && hdr.type() != Abi.TMY_EV_CAP_AUDIT) {
            throw new IllegalArgumentException("tmy_cap_event: hdr.type " + hdr.type()
                    + " is neither TMY_EV_CAP_LEARN nor TMY_EV_CAP_AUDIT");
        }
        TmyEvent.checkSizes(hdr, SIZE, 0, in.remaining(), "tmy_cap_event");
        return new TmyCapEvent(hdr, b.getInt(p + 40), Le.u8(b, p + 44), Le.u8(b, p + 45), Le.u8(b, p + 46),
                Le.u8(b, p + 47));
    }

    public static TmyCapEvent decode(byte[] sample) {
        return decode(ByteBuffer.wrap(sample));
    }
}
