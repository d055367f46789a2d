package dev.tomoyoctl.policy.abi;

import static dev.tomoyoctl.policy.abi.AbiLayout.f;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * struct tmy_domain_event (TMY_EV_DOMAIN) followed by {@code path_len} path bytes.
 *
 * @param parent     domain id of the domain the exec came from
 * @param program    path hash of the name folded into the id
 * @param profile    __u8
 * @param transition __u8: {@link Abi#TMY_TRANSITION_CHILD} (also after no_* rules) or
 *                   TMY_TR_INITIALIZE (name = parent's namespace root + program); TMY_TR_RESET is
 *                   never sent
 * @param flags      __u16, TMY_DOMAIN_EV_*
 * @param path       the executed file's name, raw bytes (the name folded in unless
 *                   TMY_DOMAIN_EV_AGGREGATED)
 */
public record TmyDomainEvent(TmyEventHdr hdr, long parent, long program, int profile, int transition, int flags,
                             byte[] path)
        implements TmyEvent {
    /** Size of the fixed part (sizeof(struct tmy_domain_event)). */
    public static final int SIZE = 64;
    public static final AbiLayout LAYOUT = AbiLayout.of("tmy_domain_event", SIZE, f("hdr", 0, TmyEventHdr.SIZE),
            f("parent", 40, 8), f("program", 48, 8), f("profile", 56, 1), f("transition", 57, 1), f("flags", 58, 2),
            f("path_len", 60, 4));

    public TmyDomainEvent {
        Le.checkU8(profile, "profile");
        Le.checkU8(transition, "transition");
        Le.checkU16(flags, "flags");
        path = path.clone();
    }

    @Override
    public byte[] path() {
        return path.clone();
    }

    /** Writes the record (hdr as given, then the fixed part, then the path). */
    public void encode(ByteBuffer out) {
        Le.check(out, SIZE + path.length, "tmy_domain_event");
        ByteBuffer b = Le.le(out);
        int p = out.position();
        hdr.encode(b);
        b.putLong(p + 40, parent);
        b.putLong(p + 48, program);
        b.put(p + 56, (byte) profile);
        b.put(p + 57, (byte) transition);
        b.putShort(p + 58, (short) flags);
        b.putInt(p + 60, path.length);
        b.position(p + SIZE);
        b.put(path);
        out.position(p + SIZE + path.length);
    }

    public byte[] toBytes() {
        return Le.bytes(SIZE + path.length, this::encode);
    }

    /** Decodes from {@code in}'s position without moving it. */
    public static TmyDomainEvent decode(ByteBuffer in) {
        ByteBuffer b = Le.le(in);
        int p = in.position();
        if (in.remaining() < SIZE) {
            throw new IllegalArgumentException("tmy_domain_event: sample of " + in.remaining() + " bytes < " + SIZE);
        }
        TmyEventHdr hdr = TmyEventHdr.decode(b.duplicate().order(b.order()));
        if (hdr.type() != Abi.TMY_EV_DOMAIN) {
            throw new IllegalArgumentException("tmy_domain_event: hdr.type " + hdr.type() + " != TMY_EV_DOMAIN");
        }
        long pathLen = Integer.toUnsignedLong(b.getInt(p + 60));
        TmyEvent.checkSizes(hdr, SIZE, pathLen, in.remaining(), "tmy_domain_event");
        byte[] path = new byte[(int) pathLen];
        b.position(p + SIZE);
        b.get(path);
        return new TmyDomainEvent(hdr, b.getLong(p + 40), b.getLong(p + 48), Le.u8(b, p + 56), Le.u8(b, p + 57),
                Le.u16(b, p + 58), path);
    }

    public static TmyDomainEvent decode(byte[] sample) {
        return decode(ByteBuffer.wrap(sample));
    }

    public boolean aggregated() {
        return (flags & Abi.TMY_DOMAIN_EV_AGGREGATED) != 0;
    }

    /** True if no transition rule applied (an ordinary child domain). */
    public boolean isOrdinaryChild() {
        return transition == Abi.TMY_TRANSITION_CHILD;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TmyDomainEvent e && hdr.equals(e.hdr) && parent == e.parent && program == e.program
                && profile == e.profile && transition == e.transition && flags == e.flags && Arrays.equals(path, e.path);
    }

    @Override
    public int hashCode() {
        return hdr.hashCode() * 31 + Long.hashCode(parent ^ program) * 17 + Arrays.hashCode(path);
    }

    @Override
    public String toString() {
        return "TmyDomainEvent[hdr=" + hdr + ", parent=" + Long.toHexString(parent) + ", program="
                + Long.toHexString(program) + ", profile=" + profile + ", transition=" + transition + ", flags=" + flags + ", path="
                + pathName() + "]";
    }
}
