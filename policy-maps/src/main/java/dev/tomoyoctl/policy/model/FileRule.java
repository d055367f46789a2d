package dev.tomoyoctl.policy.model;

import dev.tomoyoctl.policy.TomoyoName;

/**
 * {@code file OPS PATH [CONDITION...]} for TOMOYO's single-path operations (execute, read, write,
 * append, unlink, getattr, rmdir, truncate, symlink, chroot, unmount). TOMOYO keeps one entry
 * per (path, condition) and merges permissions into it, printing them joined by '/' in its bit
 * order, e.g. {@code file read/write /etc/foo}; {@link #text()} prints exactly that.
 *
 * @param ops       {@link FileOp} bits, never 0
 * @param path      a TOMOYO word (a path, a pattern) or {@code @GROUP} (a path_group reference)
 * @param condition the condition part as written (normalized spacing), "" if none
 */
public record FileRule(int ops, String path, String condition) implements DomainLine {
    public FileRule {
        if (ops == 0 || (ops & ~((1 << FileOp.values().length) - 1)) != 0) {
            throw new IllegalArgumentException("invalid file operation mask " + ops);
        }
        if (path.startsWith("@") ? path.length() < 2 || !TomoyoName.isCorrectWord(path.substring(1))
                : !TomoyoName.isCorrectWord(path)) {
            throw new IllegalArgumentException("not a TOMOYO name: '" + path + "'");
        }
        condition = condition == null ? "" : condition;
    }

    public FileRule(int ops, String path) {
        this(ops, path, "");
    }

    @Override
    public String text() {
        return "file " + FileOp.keywords(ops) + " " + path + (condition.isEmpty() ? "" : " " + condition);
    }

    public boolean hasCondition() {
        return !condition.isEmpty();
    }

    public boolean isGroupReference() {
        return path.startsWith("@");
    }

    /** The TMY_PERM_* bits this rule grants among the enforced operations. */
    public int tmyPerms() {
        return FileOp.toTmyPerms(ops);
    }

    /** The same rule with more operations. */
    public FileRule withOps(int moreOps) {
        return new FileRule(ops | moreOps, path, condition);
    }
}
