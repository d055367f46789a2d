package dev.tomoyoctl.policy.model;

/**
 * An ACL line kept as written and printed back unchanged: lines this version does not enforce
 * (misc env, task manual_domain_transition; reported as "not enforced"), and the file
 * operations with a number or a second path (create/mkdir/.../ioctl, mkblock/mkchar,
 * link/rename/pivot_root, mount), which are enforced through their typed view {@link FileArgRule}.
 *
 * @param keyword the directive, e.g. "file rename", "network inet", "misc env"
 * @param text    the whole line (normalized spacing)
 */
public record OtherAcl(String keyword, String text) implements DomainLine {

    /**
     * How many entries this line counts for max_learning_entry: TOMOYO counts the permission
     * bits of file entries ("file link/rename A B" counts 2) and 1 for other entries.
     */
    public int quotaWeight() {
        if (text.startsWith("file ")) {
            int sp = text.indexOf(' ', 5);
            String ops = sp < 0 ? text.substring(5) : text.substring(5, sp);
            return ops.split("/", -1).length;
        }
        return 1;
    }
}
