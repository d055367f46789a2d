package dev.tomoyoctl.policy.model;

/**
 * {@code acl_group N RULE}: a rule shared by the domains that say {@code use_group N}. Parsed
 * with the domain rule syntax and kept; not enforced by the kernel yet.
 */
public record AclGroupRule(String namespace, int group, DomainLine rule) implements ExceptionLine {
    public AclGroupRule {
        if (group < 0 || group > 255) {
            throw new IllegalArgumentException("acl group " + group + " is not in 0..255");
        }
        if (!rule.isAcl()) {
            throw new IllegalArgumentException("an acl_group holds ACL lines only");
        }
    }

    @Override
    public String text() {
        return ExceptionLine.prefix(namespace) + "acl_group " + group + " " + rule.text();
    }
}
