package dev.tomoyoctl.policy.model;

import dev.tomoyoctl.policy.abi.Abi;

/**
 * The single-path file operations of TOMOYO 2.6 (tomoyo_path_keyword[] in common.c), in TOMOYO's
 * bit order: TOMOYO prints several operations on one path joined by '/' in this order
 * ("file execute/read/write/append /path"). All eleven are enforced by the kernel: execute, read,
 * write, append at exec/open (issue 3), the other seven on their own LSM hooks (issue 5, see
 * tomoyo_abi.h TMY_PERM_UNLINK..). An operation added later with no kernel hook has tmyPerm 0.
 */
public enum FileOp {
    EXECUTE("execute", Abi.TMY_PERM_EXECUTE),
    READ("read", Abi.TMY_PERM_READ),
    WRITE("write", Abi.TMY_PERM_WRITE),
    APPEND("append", Abi.TMY_PERM_APPEND),
    UNLINK("unlink", Abi.TMY_PERM_UNLINK),
    GETATTR("getattr", Abi.TMY_PERM_GETATTR),
    RMDIR("rmdir", Abi.TMY_PERM_RMDIR),
    TRUNCATE("truncate", Abi.TMY_PERM_TRUNCATE),
    SYMLINK("symlink", Abi.TMY_PERM_SYMLINK),
    CHROOT("chroot", Abi.TMY_PERM_CHROOT),
    UNMOUNT("unmount", Abi.TMY_PERM_UNMOUNT);

    /** The operations the kernel enforces: those with a TMY_PERM_* bit. */
    public static final int ENFORCED_MASK = enforcedMask();

    private final String keyword;
    private final int tmyPerm;

    FileOp(String keyword, int tmyPerm) {
        this.keyword = keyword;
        this.tmyPerm = tmyPerm;
    }

    public String keyword() {
        return keyword;
    }

    /** This operation's bit in a {@link FileRule#ops()} mask (TOMOYO's bit: 1 &lt;&lt; ordinal). */
    public int bit() {
        return 1 << ordinal();
    }

    /** The TMY_PERM_* bit of tomoyo_abi.h, or 0 if the kernel does not enforce this operation. */
    public int tmyPerm() {
        return tmyPerm;
    }

    private static int enforcedMask() {
        int m = 0;
        for (FileOp op : values()) {
            if (op.tmyPerm != 0) {
                m |= op.bit();
            }
        }
        return m;
    }

    public static FileOp byKeyword(String s) {
        for (FileOp op : values()) {
            if (op.keyword.equals(s)) {
                return op;
            }
        }
        return null;
    }

    public static int bitsOf(FileOp... ops) {
        int m = 0;
        for (FileOp op : ops) {
            m |= op.bit();
        }
        return m;
    }

    /** TMY_PERM_* bits of the enforced operations in an ops mask. */
    public static int toTmyPerms(int ops) {
        int perms = 0;
        for (FileOp op : values()) {
            if ((ops & op.bit()) != 0) {
                perms |= op.tmyPerm;
            }
        }
        return perms;
    }

    /** The ops mask for TMY_PERM_* bits. */
    public static int fromTmyPerms(int tmyPerms) {
        int ops = 0;
        for (FileOp op : values()) {
            if (op.tmyPerm != 0 && (tmyPerms & op.tmyPerm) != 0) {
                ops |= op.bit();
            }
        }
        return ops;
    }

    /** "read/write" style text of a mask, in TOMOYO's order. */
    public static String keywords(int ops) {
        StringBuilder sb = new StringBuilder();
        for (FileOp op : values()) {
            if ((ops & op.bit()) != 0) {
                if (sb.length() > 0) {
                    sb.append('/');
                }
                sb.append(op.keyword);
            }
        }
        return sb.toString();
    }
}
