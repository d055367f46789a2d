package dev.tomoyoctl.policy;

/** A parse error: file name, 1-based line number, reason. */
public record PolicyError(String file, int line, String reason) {
    @Override
    public String toString() {
        return file + ":" + line + ": " + reason;
    }
}
