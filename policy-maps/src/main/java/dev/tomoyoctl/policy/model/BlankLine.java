package dev.tomoyoctl.policy.model;

/** An empty line (kept so that printing reproduces the file). */
public record BlankLine() implements DomainLine, ExceptionLine, ProfileLine {
    public static final BlankLine INSTANCE = new BlankLine();

    @Override
    public String text() {
        return "";
    }
}
