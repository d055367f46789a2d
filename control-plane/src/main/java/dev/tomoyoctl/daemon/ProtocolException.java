package dev.tomoyoctl.daemon;

/** A request the daemon cannot accept: malformed JSON, unknown op, or a field of the wrong kind. */
public final class ProtocolException extends Exception {
    private final String field;

    public ProtocolException(String field, String message) {
        super(field == null ? message : "field '" + field + "': " + message);
        this.field = field;
    }

    /** The offending field's name, or null when the message as a whole is wrong. */
    public String field() {
        return field;
    }
}
