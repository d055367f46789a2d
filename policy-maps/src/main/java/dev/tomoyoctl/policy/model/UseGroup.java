package dev.tomoyoctl.policy.model;

/** {@code use_group N}: the domain also uses the rules of {@code acl_group N} (0-255). */
public record UseGroup(int group) implements DomainLine {
    public UseGroup {
        if (group < 0 || group > 255) {
            throw new IllegalArgumentException("acl group " + group + " is not in 0..255");
        }
    }

    @Override
    public String text() {
        return "use_group " + group;
    }
}
