package dev.tomoyoctl.policy.patternize;

import java.util.List;

/**
 * One suggested pattern in one domain: the learned paths it replaces and why.
 *
 * @param domain  the domain name
 * @param pattern the TOMOYO pattern (matches every path of {@code paths})
 * @param paths   the exact paths of the rules it replaces, in policy order
 * @param reason  why these paths vary between runs (one line, for a comment in the policy)
 */
public record Suggestion(String domain, String pattern, List<String> paths, String reason) {
    public Suggestion {
        paths = List.copyOf(paths);
    }

    /** The comment line written above the pattern rule. */
    public String comment() {
        List<String> shown = paths.size() <= 5 ? paths : paths.subList(0, 5);
        String more = paths.size() <= 5 ? "" : " and " + (paths.size() - 5) + " more";
        return "# patternize: " + reason + " (was: " + String.join(" ", shown) + more + ")";
    }
}
