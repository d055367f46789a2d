package dev.tomoyoctl.policy.model;

/**
 * {@code path_group NAME MEMBER}, {@code number_group NAME MEMBER}, {@code address_group NAME
 * MEMBER}: parsed and kept; groups are not enforced by the kernel yet (issue 5).
 */
public record GroupMember(String namespace, GroupKind kind, String group, String member) implements ExceptionLine {
    @Override
    public String text() {
        return ExceptionLine.prefix(namespace) + kind.keyword() + " " + group + " " + member;
    }
}
