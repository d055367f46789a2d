package dev.tomoyoctl.policy.model;

/**
 * A line of exception_policy.conf or profile.conf, which TOMOYO lets start with a namespace
 * prefix ("&lt;apache&gt; initialize_domain ...").
 */
public interface NamespacedLine extends PolicyLine {
    /** The namespace prefix as written, or null for a line without one (&lt;kernel&gt;). */
    default String namespace() {
        return null;
    }

    /** The namespace the line applies to: "&lt;kernel&gt;" when written without a prefix. */
    default String effectiveNamespace() {
        String ns = namespace();
        return ns == null ? "<kernel>" : ns;
    }
}
