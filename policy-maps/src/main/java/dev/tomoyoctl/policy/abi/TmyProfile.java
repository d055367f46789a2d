package dev.tomoyoctl.policy.abi;

import static dev.tomoyoctl.policy.abi.AbiLayout.f;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * struct tmy_profile: array map "tmy_profiles", index = profile number. An all-zero profile is
 * "disabled".
 *
 * @param mode              enum tmy_mode per enum tmy_category, {@link Abi#TMY_CAT_MAX} entries
 * @param flags             TMY_PROFILE_GRANT_LOG | TMY_PROFILE_REJECT_LOG
 * @param maxLearningEntry  __u32; 0 = no limit
 */
public record TmyProfile(byte[] mode, int flags, int maxLearningEntry) {
    public static final int SIZE = 16;
    public static final AbiLayout LAYOUT = AbiLayout.of("tmy_profile", SIZE,
            f("mode", 0, Abi.TMY_CAT_MAX), f("flags", 8, 4), f("max_learning_entry", 12, 4));
    public static final TmyProfile DISABLED = new TmyProfile(new byte[Abi.TMY_CAT_MAX], 0, 0);

    public TmyProfile {
        if (mode.length != Abi.TMY_CAT_MAX) {
            throw new IllegalArgumentException("mode[] has " + Abi.TMY_CAT_MAX + " entries");
        }
        for (byte m : mode) {
            if (m < 0 || m > Abi.TMY_MODE_ENFORCING) {
                throw new IllegalArgumentException("mode " + m + " is not an enum tmy_mode");
            }
        }
        mode = mode.clone();
    }

    /** The mode of one enum tmy_category. */
    public int mode(int category) {
        return mode[category];
    }

    @Override
    public byte[] mode() {
        return mode.clone();
    }

    public void encode(ByteBuffer out) {
        Le.check(out, SIZE, "tmy_profile");
        ByteBuffer b = Le.le(out);
        int p = out.position();
        for (int i = 0; i < Abi.TMY_CAT_MAX; i++) {
            b.put(p + i, mode[i]);
        }
        b.putInt(p + 8, flags);
        b.putInt(p + 12, maxLearningEntry);
        out.position(p + SIZE);
    }

    public byte[] toBytes() {
        return Le.bytes(SIZE, this::encode);
    }

    public static TmyProfile decode(ByteBuffer in) {
        Le.check(in, SIZE, "tmy_profile");
        ByteBuffer b = Le.le(in);
        int p = in.position();
        byte[] m = new byte[Abi.TMY_CAT_MAX];
        for (int i = 0; i < m.length; i++) {
            m[i] = b.get(p + i);
        }
        TmyProfile r = new TmyProfile(m, b.getInt(p + 8), b.getInt(p + 12));
        in.position(p + SIZE);
        return r;
    }

    public static TmyProfile decode(byte[] bytes) {
        return decode(ByteBuffer.wrap(bytes));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TmyProfile t && Arrays.equals(mode, t.mode) && flags == t.flags
                && maxLearningEntry == t.maxLearningEntry;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(mode) * 31 * 31 + flags * 31 + maxLearningEntry;
    }

    @Override
    public String toString() {
        return "TmyProfile[mode=" + Arrays.toString(mode) + ", flags=" + flags + ", maxLearningEntry="
                + Integer.toUnsignedString(maxLearningEntry) + "]";
    }
}
