package dev.tomoyoctl.policy.model;

/** {@code N-COMMENT=text}. */
public record ProfileComment(String namespace, int profile, String comment) implements ProfileLine {
    public ProfileComment {
        checkProfile(profile);
    }

    @Override
    public String text() {
        return ExceptionLine.prefix(namespace) + profile + "-COMMENT=" + comment;
    }

    static void checkProfile(int profile) {
        if (profile < 0 || profile > 255) {
            throw new IllegalArgumentException("profile " + profile + " is not in 0..255");
        }
    }
}
