package dev.tomoyoctl.policy;

/**
 * Something kept in the policy but not enforced (or enforced differently): file name, 1-based
 * line number (0 when not tied to a line), message.
 */
public record PolicyWarning(String file, int line, String message) {
    @Override
    public String toString() {
        return file + (line > 0 ? ":" + line : "") + ": " + message;
    }
}
