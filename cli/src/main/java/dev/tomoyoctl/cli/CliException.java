package dev.tomoyoctl.cli;

import java.io.IOException;

/** A failure on the client side with its exit code (the message is printed as one line). */
final class CliException extends IOException {
    private final int exitCode;

    CliException(String message, int exitCode) {
        super(message);
        this.exitCode = exitCode;
    }

    int exitCode() {
        return exitCode;
    }
}
