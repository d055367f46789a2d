package dev.tomoyoctl.daemon;

import java.nio.file.Path;

/**
 * Where the daemon keeps things.
 *
 * @param socket    the control socket (/run/tomoyoctl.sock)
 * @param policyDir TOMOYO policy files (/etc/tomoyoctl/); also holds the learn journal
 *                  {@value #JOURNAL_NAME}, which belongs to these files
 * @param logDir    audit logs (/var/log/tomoyoctl/)
 * @param checkpointMillis how long learned rules may stay only in the journal before
 *                  domain_policy.conf is rewritten with them
 */
public record DaemonConfig(Path socket, Path policyDir, Path logDir, long checkpointMillis) {
    public static final String JOURNAL_NAME = ".tomoyoctl-learned.journal";

    public static DaemonConfig defaults() {
        return new DaemonConfig(Protocol.DEFAULT_SOCKET, Protocol.DEFAULT_POLICY_DIR, Protocol.DEFAULT_LOG_DIR, 2000);
    }

    public Path journal() {
        return policyDir.resolve(JOURNAL_NAME);
    }
}
