package dev.tomoyoctl.policy.abi;

import static dev.tomoyoctl.policy.abi.AbiLayout.f;

import java.nio.ByteBuffer;

/**
 * struct tmy_signal_event (TMY_EV_SIGNAL_LEARN, TMY_EV_SIGNAL_AUDIT): "ipc signal SIG TARGET".
 * No path.
 *
 * @param target    the target task's domain id
 * @param sig       signal number
 * @param category  TMY_CAT_IPC, __u8
 * @param mode      enum tmy_mode in force, __u8
 * @param profile   __u8
 * @param flags     TMY_ACCESS_*, __u8
 * @param targetPid the target's tgid
 */
public record TmySignalEvent(TmyEventHdr hdr, long target, int sig, int category, int mode, int profile, int flags,
                             int targetPid) implements TmyEvent {
    public static final int SIZE = 64;
    public static final AbiLayout LAYOUT = AbiLayout.of("tmy_signal_event", SIZE, f("hdr", 0, TmyEventHdr.SIZE),
            f("target", 40, 8), f("sig", 48, 4), f("category", 52, 1), f("mode", 53, 1), f("profile", 54, 1),
            f("flags", 55, 1), f("target_pid", 56, 4), f("_pad", 60, 4));

    public TmySignalEvent {
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
        Le.check(out, SIZE, "tmy_signal_event");
        ByteBuffer b = Le.le(out);
        int p = out.position();
        hdr.encode(b);
        b.putLong(p + 40, target);
        b.putInt(p + 48, sig);
        b.put(p + 52, (byte) category);
        b.put(p + 53, (byte) mode);
        b.put(p + 54, (byte) profile);
        b.put(p + 55, (byte) flags);
        b.putInt(p + 56, targetPid);
        b.putInt(p + 60, 0);
        out.position(p + SIZE);
    }

    public byte[] toBytes() {
        return Le.bytes(SIZE, this::encode);
    }

    /** Decodes from {@code in}'s position without moving it. */
    public static TmySignalEvent decode(ByteBuffer in) {
        ByteBuffer b = Le.le(in);
        int p = in.position();
        if (in.remaining() < SIZE) {
            throw new IllegalArgumentException("tmy_signal_event: sample of " + in.remaining() + " bytes < " + SIZE);
        }
        TmyEventHdr hdr = TmyEventHdr.decode(b.duplicate().order(b.order()));
        if (hdr.type() != Abi.TMY_EV_SIGNAL_LEARN && hdr.type() != Abi.TMY_EV_SIGNAL_AUDIT) {
            throw new IllegalArgumentException("tmy_signal_event: hdr.type " + hdr.type()
                    + " is neither TMY_EV_SIGNAL_LEARN nor TMY_EV_SIGNAL_AUDIT");
        }
        TmyEvent.checkSizes(hdr, SIZE, 0, in.remaining(), "tmy_signal_event");
        return new TmySignalEvent(hdr, b.getLong(p + 40), b.getInt(p + 48), Le.u8(b, p + 52), Le.u8(b, p + 53),
                Le.u8(b, p + 54), Le.u8(b, p + 55), b.getInt(p + 56));
    }

    public static TmySignalEvent decode(byte[] sample) {
        return decode(ByteBuffer.wrap(sample));
    }
}
