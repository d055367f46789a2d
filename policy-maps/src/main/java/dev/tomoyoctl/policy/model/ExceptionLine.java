package dev.tomoyoctl.policy.model;

/** A line of exception_policy.conf. */
public sealed interface ExceptionLine extends PolicyLine
        permits TransitionControl, Aggregator, GroupMember, AclGroupRule, BlankLine, CommentLine {

    /**
     * The namespace prefix of the line ("&lt;apache&gt;"), or null for the default &lt;kernel&gt;
     * namespace (lines written without a prefix).
     */
    default String namespace() {
        return null;
    }

    /** The namespace this line applies to, "&lt;kernel&gt;" when written without a prefix. */
    default String effectiveNamespace() {
        String ns = namespace();
        return ns == null ? "<kernel>" : ns;
    }

    static String prefix(String namespace) {
        return namespace == null ? "" : namespace + " ";
    }
}
