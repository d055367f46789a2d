package dev.tomoyoctl.policy.model;

import dev.tomoyoctl.policy.abi.Abi;

/**
 * TOMOYO 2.6's file operations that take a number or a second name, per family in TOMOYO's
 * keyword order (tomoyo_path_number_keyword, tomoyo_mkdev_keyword, tomoyo_path2_keyword), which
 * is the order TOMOYO prints merged operations in ("file mkdir/chmod /d/ 0755"). Each is enforced
 * in the kernel on the hook TOMOYO uses (tomoyo_abi.h TMY_PERM_CREATE..PIVOT_ROOT).
 */
public enum FileArgOp {
    CREATE("create", Family.PATH_NUMBER, Radix.OCTAL, Abi.TMY_PERM_CREATE),
    MKDIR("mkdir", Family.PATH_NUMBER, Radix.OCTAL, Abi.TMY_PERM_MKDIR),
    MKFIFO("mkfifo", Family.PATH_NUMBER, Radix.OCTAL, Abi.TMY_PERM_MKFIFO),
    MKSOCK("mksock", Family.PATH_NUMBER, Radix.OCTAL, Abi.TMY_PERM_MKSOCK),
    IOCTL("ioctl", Family.PATH_NUMBER, Radix.HEX, Abi.TMY_PERM_IOCTL),
    CHMOD("chmod", Family.PATH_NUMBER, Radix.OCTAL, Abi.TMY_PERM_CHMOD),
    CHOWN("chown", Family.PATH_NUMBER, Radix.DECIMAL, Abi.TMY_PERM_CHOWN),
    CHGRP("chgrp", Family.PATH_NUMBER, Radix.DECIMAL, Abi.TMY_PERM_CHGRP),
    MKBLOCK("mkblock", Family.MKDEV, Radix.OCTAL, Abi.TMY_PERM_MKBLOCK),
    MKCHAR("mkchar", Family.MKDEV, Radix.OCTAL, Abi.TMY_PERM_MKCHAR),
    LINK("link", Family.PATH2, null, Abi.TMY_PERM_LINK),
    RENAME("rename", Family.PATH2, null, Abi.TMY_PERM_RENAME),
    PIVOT_ROOT("pivot_root", Family.PATH2, null, Abi.TMY_PERM_PIVOT_ROOT),
    /** "file mount DEV DIR TYPE FLAGS": the rule's path is DEV, its arguments DIR TYPE FLAGS. */
    MOUNT("mount", Family.MOUNT, Radix.HEX, Abi.TMY_PERM_MOUNT);

    /** What follows the first name: one number, "MODE MAJOR MINOR", a second name, or "DIR TYPE FLAGS". */
    public enum Family {
        PATH_NUMBER(1), MKDEV(3), PATH2(1), MOUNT(3);

        private final int words;

        Family(int words) {
            this.words = words;
        }

        /** Words of the argument after the first name. */
        public int words() {
            return words;
        }
    }

    /** How TOMOYO prints the (first) number: tomoyo_print_ulong's "%lu", "0%lo", "0x%lX". */
    public enum Radix {
        DECIMAL, OCTAL, HEX;

        public String print(long v) {
            return switch (this) {
                case DECIMAL -> Long.toUnsignedString(v);
                case OCTAL -> "0" + Long.toOctalString(v);
                case HEX -> "0x" + Long.toHexString(v).toUpperCase(java.util.Locale.ROOT);
            };
        }
    }

    private final String keyword;
    private final Family family;
    private final Radix radix;
    private final int tmyPerm;

    FileArgOp(String keyword, Family family, Radix radix, int tmyPerm) {
        this.keyword = keyword;
        this.family = family;
        this.radix = radix;
        this.tmyPerm = tmyPerm;
    }

    public String keyword() {
        return keyword;
    }

    public Family family() {
        return family;
    }

    /** The radix of the (first) number; null for {@link Family#PATH2}. */
    public Radix radix() {
        return radix;
    }

    public int tmyPerm() {
        return tmyPerm;
    }

    /** This operation's bit in a {@link FileArgRule#ops()} mask. */
    public int bit() {
        return 1 << ordinal();
    }

    public static FileArgOp byKeyword(String s) {
        for (FileArgOp op : values()) {
            if (op.keyword.equals(s)) {
                return op;
            }
        }
        return null;
    }

    /** The operation whose TMY_PERM_* bit is exactly {@code perm}, or null. */
    public static FileArgOp byTmyPerm(int perm) {
        for (FileArgOp op : values()) {
            if (op.tmyPerm == perm) {
                return op;
            }
        }
        return null;
    }

    /** "mkdir/chmod" style text of a mask, in TOMOYO's order. */
    public static String keywords(int ops) {
        StringBuilder sb = new StringBuilder();
        for (FileArgOp op : values()) {
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
