package dev.tomoyoctl.policy.abi;

import static dev.tomoyoctl.policy.abi.AbiLayout.f;

import java.nio.ByteBuffer;

/**
 * struct tmy_task: task storage map "tmy_tasks" (user space reads it with a pidfd key). A task
 * without storage is in &lt;kernel&gt;.
 *
 * @param domain          current domain id
 * @param ns              id of the current domain's namespace root
 * @param lastName        hash of the domain name's last word (a root's own id for a root)
 * @param pendingDomain   domain of an exec in progress (TMY_TASK_EXEC_PENDING)
 * @param profile         __u8
 * @param pendingProfile  __u8
 * @param flags           __u16, TMY_TASK_*
 */
public record TmyTask(long domain, long ns, long lastName, long pendingDomain, long pendingNs, long pendingLastName,
                      int profile, int pendingProfile, int flags) {
    public static final int SIZE = 56;
    public static final AbiLayout LAYOUT = AbiLayout.of("tmy_task", SIZE, f("domain", 0, 8), f("ns", 8, 8),
            f("last_name", 16, 8), f("pending_domain", 24, 8), f("pending_ns", 32, 8),
            f("pending_last_name", 40, 8), f("profile", 48, 1), f("pending_profile", 49, 1), f("flags", 50, 2),
            f("_pad", 52, 4));

    public TmyTask {
        Le.checkU8(profile, "profile");
        Le.checkU8(pendingProfile, "pending_profile");
        Le.checkU16(flags, "flags");
    }

    public void encode(ByteBuffer out) {
        Le.check(out, SIZE, "tmy_task");
        ByteBuffer b = Le.le(out);
        int p = out.position();
        b.putLong(p, domain);
        b.putLong(p + 8, ns);
        b.putLong(p + 16, lastName);
        b.putLong(p + 24, pendingDomain);
        b.putLong(p + 32, pendingNs);
        b.putLong(p + 40, pendingLastName);
        b.put(p + 48, (byte) profile);
        b.put(p + 49, (byte) pendingProfile);
        b.putShort(p + 50, (short) flags);
        b.putInt(p + 52, 0);
        out.position(p + SIZE);
    }

    public byte[] toBytes() {
        return Le.bytes(SIZE, this::encode);
    }

    public static TmyTask decode(ByteBuffer in) {
        Le.check(in, SIZE, "tmy_task");
        ByteBuffer b = Le.le(in);
        int p = in.position();
        TmyTask r = new TmyTask(b.getLong(p), b.getLong(p + 8), b.getLong(p + 16), b.getLong(p + 24),
                b.getLong(p + 32), b.getLong(p + 40), Le.u8(b, p + 48), Le.u8(b, p + 49), Le.u16(b, p + 50));
        in.position(p + SIZE);
        return r;
    }

    public static TmyTask decode(byte[] bytes) {
        return decode(ByteBuffer.wrap(bytes));
    }
}
