package dev.tomoyoctl.policy.abi;

import static dev.tomoyoctl.policy.abi.AbiLayout.f;

import java.nio.ByteBuffer;

/**
 * struct tmy_event_hdr: the start of every ring-buffer record.
 *
 * @param type     enum tmy_event_type, __u16
 * @param size     total record size in bytes (fixed part + path), __u32
 * @param ktimeNs  bpf_ktime_get_ns()
 * @param domain   the acting task's domain id (for TMY_EV_DOMAIN: the new domain)
 */
public record TmyEventHdr(int type, int size, long ktimeNs, long domain, int pid, int tid, int uid, int gid) {
    public static final int SIZE = 40;
    public static final AbiLayout LAYOUT = AbiLayout.of("tmy_event_hdr", SIZE, f("type", 0, 2), f("_pad", 2, 2),
            f("size", 4, 4), f("ktime_ns", 8, 8), f("domain", 16, 8), f("pid", 24, 4), f("tid", 28, 4),
            f("uid", 32, 4), f("gid", 36, 4));

    public TmyEventHdr {
        Le.checkU16(type, "type");
    }

    public void encode(ByteBuffer out) {
        Le.check(out, SIZE, "tmy_event_hdr");
        ByteBuffer b = Le.le(out);
        int p = out.position();
        b.putShort(p, (short) type);
        b.putShort(p + 2, (short) 0);
        b.putInt(p + 4, size);
        b.putLong(p + 8, ktimeNs);
        b.putLong(p + 16, domain);
        b.putInt(p + 24, pid);
        b.putInt(p + 28, tid);
        b.putInt(p + 32, uid);
        b.putInt(p + 36, gid);
        out.position(p + SIZE);
    }

    public byte[] toBytes() {
        return Le.bytes(SIZE, this::encode);
    }

    public static TmyEventHdr decode(ByteBuffer in) {
        Le.check(in, SIZE, "tmy_event_hdr");
        ByteBuffer b = Le.le(in);
        int p = in.position();
        TmyEventHdr r = new TmyEventHdr(Le.u16(b, p), b.getInt(p + 4), b.getLong(p + 8), b.getLong(p + 16),
                b.getInt(p + 24), b.getInt(p + 28), b.getInt(p + 32), b.getInt(p + 36));
        in.position(p + SIZE);
        return r;
    }

    public static TmyEventHdr decode(byte[] bytes) {
        return decode(ByteBuffer.wrap(bytes));
    }

    /** The same header with another size (used when building records). */
    public TmyEventHdr withSize(int newSize) {
        return new TmyEventHdr(type, newSize, ktimeNs, domain, pid, tid, uid, gid);
    }
}
