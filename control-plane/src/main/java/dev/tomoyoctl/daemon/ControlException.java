package dev.tomoyoctl.daemon;

import java.util.List;

/**
 * A request the daemon understood but refused or failed, with a message for the user and, for
 * policy loads, the individual problems ("file:line: reason").
 */
public class ControlException extends RuntimeException {
    private final List<String> details;

    public ControlException(String message) {
        this(message, List.of());
    }

    public ControlException(String message, List<String> details) {
        super(message);
        this.details = List.copyOf(details);
    }

    public ControlException(String message, Throwable cause) {
        super(message, cause);
        this.details = List.of();
    }

    public List<String> details() {
        return details;
    }
}
