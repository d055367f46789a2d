package dev.tomoyoctl.policy.abi;

import static dev.tomoyoctl.policy.abi.AbiLayout.f;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * struct tmy_net_event (TMY_EV_NET_LEARN, TMY_EV_NET_AUDIT) followed by {@code path_len} bytes of
 * a unix address.
 *
 * @param perm     the one TMY_NET_PERM() bit asked for
 * @param category TMY_CAT_NETWORK, __u8
 * @param mode     enum tmy_mode in force, __u8
 * @param profile  __u8
 * @param flags    TMY_ACCESS_*, __u8
 * @param family   TMY_AF_INET, TMY_AF_INET6 or TMY_AF_UNIX, __u8
 * @param port     inet: __u16 host byte order (raw: the protocol number)
 * @param addr     inet: 16 bytes network byte order, IPv4 in addr[0..3]
 * @param path     unix: the address bytes (abstract: leading NUL included; empty = "anonymous")
 */
public record TmyNetEvent(TmyEventHdr hdr, int perm, int category, int mode, int profile, int flags, int family,
                          int port, byte[] addr, byte[] path) implements TmyEvent {
    public static final int SIZE = 72;
    public static final AbiLayout LAYOUT = AbiLayout.of("tmy_net_event", SIZE, f("hdr", 0, TmyEventHdr.SIZE),
            f("perm", 40, 4), f("category", 44, 1), f("mode", 45, 1), f("profile", 46, 1), f("flags", 47, 1),
            f("family", 48, 1), f("_pad", 49, 1), f("port", 50, 2), f("path_len", 52, 4), f("addr", 56, 16));

    public TmyNetEvent {
        Le.checkU8(category, "category");
        Le.checkU8(mode, "mode");
        Le.checkU8(profile, "profile");
        Le.checkU8(flags, "flags");
        Le.checkU8(family, "family");
        Le.checkU16(port, "port");
        addr = Le.addr16(addr, "addr");
        path = path.clone();
    }

    @Override
    public byte[] path() {
        return path.clone();
    }

    @Override
    public byte[] addr() {
        return addr.clone();
    }

    public boolean granted() {
        return (flags & Abi.TMY_ACCESS_GRANTED) != 0;
    }

    /** enum tmy_net_proto of {@link #perm()} (its bit index / 4). */
    public int protocol() {
        return Integer.numberOfTrailingZeros(perm) / 4;
    }

    /** enum tmy_net_op of {@link #perm()} (its bit index % 4). */
    public int operation() {
        return Integer.numberOfTrailingZeros(perm) % 4;
    }

    public void encode(ByteBuffer out) {
        Le.check(out, SIZE + path.length, "tmy_net_event");
        ByteBuffer b = Le.le(out);
        int p = out.position();
        hdr.encode(b);
        b.putInt(p + 40, perm);
        b.put(p + 44, (byte) category);
        b.put(p + 45, (byte) mode);
        b.put(p + 46, (byte) profile);
        b.put(p + 47, (byte) flags);
        b.put(p + 48, (byte) family);
        b.put(p + 49, (byte) 0);
        b.putShort(p + 50, (short) port);
        b.putInt(p + 52, path.length);
        b.put(p + 56, addr);
        b.position(p + SIZE);
        b.put(path);
        out.position(p + SIZE + path.length);
    }

    public byte[] toBytes() {
        return Le.bytes(SIZE + path.length, this::encode);
    }

    /** Decodes from {@code in}'s position without moving it. */
    public static TmyNetEvent decode(ByteBuffer in) {
        ByteBuffer b = Le.le(in);
        int p = in.position();
        if (in.remaining() < SIZE) {
            throw new IllegalArgumentException("tmy_net_event: sample of " + in.remaining() + " bytes < " + SIZE);
        }
        TmyEventHdr hdr = TmyEventHdr.decode(b.duplicate().order(b.order()));
        if (hdr.type() != Abi.TMY_EV_NET_LEARN && hdr.type() != Abi.TMY_EV_NET_AUDIT) {
            throw new IllegalArgumentException("tmy_net_event: hdr.type " + hdr.type()
                    + " is neither TMY_EV_NET_LEARN nor TMY_EV_NET_AUDIT");
        }
        long pathLen = Integer.toUnsignedLong(b.getInt(p + 52));
        TmyEvent.checkSizes(hdr, SIZE, pathLen, in.remaining(), "tmy_net_event");
        byte[] addr = new byte[16];
        b.get(p + 56, addr);
        byte[] path = new byte[(int) pathLen];
        b.get(p + SIZE, path);
        return new TmyNetEvent(hdr, b.getInt(p + 40), Le.u8(b, p + 44), Le.u8(b, p + 45), Le.u8(b, p + 46),
                Le.u8(b, p + 47), Le.u8(b, p + 48), Le.u16(b, p + 50), addr, path);
    }

    public static TmyNetEvent decode(byte[] sample) {
        return decode(ByteBuffer.wrap(sample));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TmyNetEvent e && hdr.equals(e.hdr) && perm == e.perm && category == e.category
                && mode == e.mode && profile == e.profile && flags == e.flags && family == e.family && port == e.port
                && Arrays.equals(addr, e.addr) && Arrays.equals(path, e.path);
    }

    @Override
    public int hashCode() {
        return hdr.hashCode() * 31 + perm * 17 + port + Arrays.hashCode(addr) * 7 + Arrays.hashCode(path);
    }

    @Override
    public String toString() {
        return "TmyNetEvent[hdr=" + hdr + ", perm=" + Integer.toHexString(perm) + ", mode=" + mode + ", profile="
                + profile + ", flags=" + flags + ", family=" + family + ", port=" + port + ", addr="
                + HexFormat.of().formatHex(addr) + ", path=" + pathName() + "]";
    }
}
