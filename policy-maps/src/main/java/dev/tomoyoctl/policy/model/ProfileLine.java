package dev.tomoyoctl.policy.model;

/** A line of profile.conf. */
public sealed interface ProfileLine extends NamespacedLine
        permits ProfileVersion, ProfileComment, ProfilePreference, ProfileConfig, OtherProfileLine,
        BlankLine, CommentLine {
}
