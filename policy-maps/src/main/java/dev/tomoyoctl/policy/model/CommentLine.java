package dev.tomoyoctl.policy.model;

/**
 * A line starting with '#', kept verbatim. TOMOYO's kernel interface has no comments (it rejects
 * such lines as invalid and ignores them); files kept by hand often have them, so they survive here.
 */
public record CommentLine(String text) implements DomainLine, ExceptionLine, ProfileLine {
    public CommentLine {
        if (!text.startsWith("#") || text.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("a comment line starts with '#' and has no newline");
        }
    }

}
