package dev.tomoyoctl.policy.abi;

import static dev.tomoyoctl.policy.abi.AbiLayout.f;

import java.nio.ByteBuffer;

/**
 * struct tmy_task: task storage map "tmy_tasks" (user space reads it with a pidfd key).
 *
 * @param profile        __u8
 * @param pendingProfile __u8
 * @param flags          __u16, TMY_TASK_*
 */
public record TmyTask(long domain, long pendingDomain, int profile, int pendingProfile, int flags) {
    public static final int SIZE = 24;
    public static final AbiLayout LAYOUT = AbiLayout.of("tmy_task", SIZE, f("domain", 0, 8),
            f("pending_domain", 8, 8), f("profile", 16, 1), f("pending_profile", 17, 1), f("flags", 18, 2),
            f("_pad", 20, 4));

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
        b.putLong(p + 8, pendingDomain);
        b.put(p + 16, (byte) profile);
        b.put(p + 17, (byte) pendingProfile);
        b.putShort(p + 18, (short) flags);
        b.putInt(p + 20, 0);
        out.position(p + SIZE);
    }

    public byte[] toBytes() {
        return Le.bytes(SIZE, this::encode);
    }

    public static TmyTask decode(ByteBuffer in) {
        Le.check(in, SIZE, "tmy_task");
        ByteBuffer b = Le.le(in);
        int p = in.position();
        TmyTask r = new TmyTask(b.getLong(p), b.getLong(p + 8), Le.u8(b, p + 16), Le.u8(b, p + 17), Le.u16(b, p + 18));
        in.position(p + SIZE);
        return r;
    }

    public static TmyTask decode(byte[] bytes) {
        return decode(ByteBuffer.wrap(bytes));
    }
}
