package dev.tomoyoctl.policy.abi;

import static dev.tomoyoctl.policy.abi.AbiLayout.f;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * struct tmy_access_event (TMY_EV_LEARN, TMY_EV_AUDIT) followed by {@code path_len} path bytes.
 *
 * @param object   path hash
 * @param perm     the one TMY_PERM_* bit asked for
 * @param category enum tmy_category, __u8
 * @param mode     enum tmy_mode in force, __u8
 * @param profile  __u8
 * @param flags    TMY_ACCESS_*, __u8
 */
public record TmyAccessEvent(TmyEventHdr hdr, long object, int perm, int category, int mode, int profile, int flags,
                             byte[] path) implements TmyEvent {
    public static final int SIZE = 64;
    public static final AbiLayout LAYOUT = AbiLayout.of("tmy_access_event", SIZE, f("hdr", 0, TmyEventHdr.SIZE),
            f("object", 40, 8), f("perm", 48, 4), f("category", 52, 1), f("mode", 53, 1), f("profile", 54, 1),
            f("flags", 55, 1), f("path_len", 56, 4), f("_pad", 60, 4));

    public TmyAccessEvent {
        Le.checkU8(category, "category");
        Le.checkU8(mode, "mode");
        Le.checkU8(profile, "profile");
        Le.checkU8(flags, "flags");
        path = path.clone();
    }

    @Override
    public byte[] path() {
        return path.clone();
    }

    public boolean granted() {
        return (flags & Abi.TMY_ACCESS_GRANTED) != 0;
    }

    public boolean pathUnresolved() {
        return (flags & Abi.TMY_ACCESS_PATH_UNRESOLVED) != 0;
    }

    public void encode(ByteBuffer out) {
        Le.check(out, SIZE + path.length, "tmy_access_event");
        ByteBuffer b = Le.le(out);
        int p = out.position();
        hdr.encode(b);
        b.putLong(p + 40, object);
        b.putInt(p + 48, perm);
        b.put(p + 52, (byte) category);
        b.put(p + 53, (byte) mode);
        b.put(p + 54, (byte) profile);
        b.put(p + 55, (byte) flags);
        b.putInt(p + 56, path.length);
        b.putInt(p + 60, 0);
        b.position(p + SIZE);
        b.put(path);
        out.position(p + SIZE + path.length);
    }

    public byte[] toBytes() {
        return Le.bytes(SIZE + path.length, this::encode);
    }

    /** Decodes from {@code in}'s position without moving it. */
    public static TmyAccessEvent decode(ByteBuffer in) {
        ByteBuffer b = Le.le(in);
        int p = in.position();
        if (in.remaining() < SIZE) {
            throw new IllegalArgumentException("tmy_access_event: sample of " + in.remaining() + " bytes < " + SIZE);
        }
        TmyEventHdr hdr = TmyEventHdr.decode(b.duplicate().order(b.order()));
        if (hdr.type() != Abi.TMY_EV_LEARN && hdr.type() != Abi.TMY_EV_AUDIT) {
            throw new IllegalArgumentException("tmy_access_event: hdr.type " + hdr.type()
                    + " is neither TMY_EV_LEARN nor TMY_EV_AUDIT");
        }
        long pathLen = Integer.toUnsignedLong(b.getInt(p + 56));
        TmyEvent.checkSizes(hdr, SIZE, pathLen, in.remaining(), "tmy_access_event");
        byte[] path = new byte[(int) pathLen];
        b.position(p + SIZE);
        b.get(path);
        return new TmyAccessEvent(hdr, b.getLong(p + 40), b.getInt(p + 48), Le.u8(b, p + 52), Le.u8(b, p + 53),
                Le.u8(b, p + 54), Le.u8(b, p + 55), path);
    }

    public static TmyAccessEvent decode(byte[] sample) {
        return decode(ByteBuffer.wrap(sample));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TmyAccessEvent e && hdr.equals(e.hdr) && object == e.object && perm == e.perm
                && category == e.category && mode == e.mode && profile == e.profile && flags == e.flags
                && Arrays.equals(path, e.path);
    }

    @Override
    public int hashCode() {
        return hdr.hashCode() * 31 + Long.hashCode(object) * 17 + perm + Arrays.hashCode(path);
    }

    @Override
    public String toString() {
        return "TmyAccessEvent[hdr=" + hdr + ", object=" + Long.toHexString(object) + ", perm=" + perm + ", category="
                + category + ", mode=" + mode + ", profile=" + profile + ", flags=" + flags + ", path=" + pathName()
                + "]";
    }
}
