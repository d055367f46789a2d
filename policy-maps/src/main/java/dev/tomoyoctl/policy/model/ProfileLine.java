package dev.tomoyoctl.policy.model;

/** A line of profile.conf. */
public sealed interface ProfileLine extends PolicyLine
        permits ProfileVersion, ProfileComment, ProfilePreference, ProfileConfig, OtherProfileLine,
        BlankLine, CommentLine {

    /** Namespace prefix as written, or null (&lt;kernel&gt;). */
    default String namespace() {
        return null;
    }

    default String effectiveNamespace() {
        String ns = namespace();
        return ns == null ? "<kernel>" : ns;
    }
}
