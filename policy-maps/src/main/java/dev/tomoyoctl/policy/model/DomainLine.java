package dev.tomoyoctl.policy.model;

/** A line inside a domain's block of domain_policy.conf (or an acl_group rule's body). */
public sealed interface DomainLine extends PolicyLine
        permits UseProfile, UseGroup, DomainFlagLine, FileRule, NetworkRule, CapabilityRule, SignalRule, OtherAcl,
        BlankLine, CommentLine {

    /** True for lines that grant something (ACL entries), as opposed to settings and layout. */
    default boolean isAcl() {
        return this instanceof FileRule || this instanceof NetworkRule || this instanceof CapabilityRule
                || this instanceof SignalRule || this instanceof OtherAcl;
    }
}
