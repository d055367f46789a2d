package dev.tomoyoctl.policy.model;

/** A line of exception_policy.conf. */
public sealed interface ExceptionLine extends NamespacedLine
        permits TransitionControl, Aggregator, GroupMember, AclGroupRule, BlankLine, CommentLine {

    static String prefix(String namespace) {
        return namespace == null ? "" : namespace + " ";
    }
}
