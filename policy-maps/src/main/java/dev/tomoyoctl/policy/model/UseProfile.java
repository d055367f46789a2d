package dev.tomoyoctl.policy.model;

/** {@code use_profile N}: the domain's profile (0-255). */
public record UseProfile(int profile) implements DomainLine {
    public UseProfile {
        if (profile < 0 || profile > 255) {
            throw new IllegalArgumentException("profile " + profile + " is not in 0..255");
        }
    }

    @Override
    public String text() {
        return "use_profile " + profile;
    }
}
