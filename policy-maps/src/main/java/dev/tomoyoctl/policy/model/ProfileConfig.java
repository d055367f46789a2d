package dev.tomoyoctl.policy.model;

import java.util.Set;

/**
 * {@code N-CONFIG=VALUE} (the profile's default), {@code N-CONFIG::CATEGORY=VALUE} and
 * {@code N-CONFIG::CATEGORY::OPERATION=VALUE}. Categories: TOMOYO 2.6's file, network, misc, and
 * the capability and ipc categories of TOMOYO 1.8 that tomoyo_abi.h reserves.
 *
 * @param category  null for the default CONFIG line
 * @param operation null unless a per-operation line
 */
public record ProfileConfig(String namespace, int profile, String category, String operation, ConfigValue value)
        implements ProfileLine {

    public static final Set<String> CATEGORIES = Set.of("file", "network", "misc", "capability", "ipc");

    /** TOMOYO 2.6's per-operation keywords (tomoyo_mac_keywords[]) by category. */
    public static final Set<String> FILE_OPERATIONS = Set.of("execute", "open", "create", "unlink", "getattr",
            "mkdir", "rmdir", "mkfifo", "mksock", "truncate", "symlink", "mkblock", "mkchar", "link", "rename",
            "chmod", "chown", "chgrp", "ioctl", "chroot", "mount", "unmount", "pivot_root");
    public static final Set<String> NETWORK_OPERATIONS = Set.of("inet_stream_bind", "inet_stream_listen",
            "inet_stream_connect", "inet_dgram_bind", "inet_dgram_send", "inet_raw_bind", "inet_raw_send",
            "unix_stream_bind", "unix_stream_listen", "unix_stream_connect", "unix_dgram_bind", "unix_dgram_send",
            "unix_seqpacket_bind", "unix_seqpacket_listen", "unix_seqpacket_connect");
    public static final Set<String> MISC_OPERATIONS = Set.of("env");

    public ProfileConfig {
        ProfileComment.checkProfile(profile);
        if (category == null && operation != null) {
            throw new IllegalArgumentException("an operation needs a category");
        }
        if (category != null && !CATEGORIES.contains(category)) {
            throw new IllegalArgumentException("unknown category '" + category + "'");
        }
        if (operation != null && !operation.matches("[a-z_]+")) {
            throw new IllegalArgumentException("bad operation name '" + operation + "'");
        }
    }

    /** The "CONFIG", "CONFIG::file" or "CONFIG::file::open" part. */
    public String key() {
        return "CONFIG" + (category == null ? "" : "::" + category) + (operation == null ? "" : "::" + operation);
    }

    @Override
    public String text() {
        return ExceptionLine.prefix(namespace) + profile + "-" + key() + "=" + value.text();
    }
}
