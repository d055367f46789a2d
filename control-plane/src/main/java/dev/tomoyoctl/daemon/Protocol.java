package dev.tomoyoctl.daemon;

import java.nio.file.Path;

/**
 * The control protocol's constants. One JSON object per line in each direction over the AF_UNIX
 * socket; every response has {@code "ok"}: true with op-specific fields, or false with
 * {@code "error"} (and for policy loads {@code "errors"}: a list of "file:line: reason").
 *
 * <p>This class (and {@link Request}, {@link Json}, {@link ControlClient}) must not touch Netty:
 * the CLI loads them on every short command.
 */
public final class Protocol {
    private Protocol() {
    }

    public static final Path DEFAULT_SOCKET = Path.of("/run/tomoyoctl.sock");
    public static final Path DEFAULT_POLICY_DIR = Path.of("/etc/tomoyoctl");
    public static final Path DEFAULT_LOG_DIR = Path.of("/var/log/tomoyoctl");
    public static final Path DEFAULT_STATE_DIR = Path.of("/var/lib/tomoyoctl");

    /** Longest request line the daemon accepts (requests are small; responses may be larger). */
    public static final int MAX_REQUEST_BYTES = 64 * 1024;

    public static final String OK = "ok";
    public static final String ERROR = "error";
    public static final String ERRORS = "errors";
    public static final String WARNINGS = "warnings";
}
