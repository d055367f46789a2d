package dev.tomoyoctl.policy.model;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code capability NAME [CONDITION]} (TOMOYO 1.8 style, Linux capability names in lower case
 * without "cap_").
 *
 * @param name      a name of {@link #NAMES}
 * @param condition the condition part as written, "" if none
 */
public record CapabilityRule(String name, String condition) implements DomainLine {
    /** Linux capability names by number (CAP_CHOWN = 0 ... CAP_CHECKPOINT_RESTORE = 40). */
    public static final List<String> NAMES = List.of("chown", "dac_override", "dac_read_search", "fowner", "fsetid",
            "kill", "setgid", "setuid", "setpcap", "linux_immutable", "net_bind_service", "net_broadcast",
            "net_admin", "net_raw", "ipc_lock", "ipc_owner", "sys_module", "sys_rawio", "sys_chroot", "sys_ptrace",
            "sys_pacct", "sys_admin", "sys_boot", "sys_nice", "sys_resource", "sys_time", "sys_tty_config", "mknod",
            "lease", "audit_write", "audit_control", "setfcap", "mac_override", "mac_admin", "syslog", "wake_alarm",
            "block_suspend", "audit_read", "perfmon", "bpf", "checkpoint_restore");
    private static final Map<String, Integer> NUMBERS = new HashMap<>();

    static {
        for (int i = 0; i < NAMES.size(); i++) {
            NUMBERS.put(NAMES.get(i), i);
        }
    }

    public CapabilityRule {
        if (capabilityNumber(name) < 0) {
            throw new IllegalArgumentException("unknown capability '" + name + "'");
        }
        condition = condition == null ? "" : condition;
    }

    public CapabilityRule(String name) {
        this(name, "");
    }

    /** The name of capability {@code number}, or null if there is none. */
    public static String capabilityName(int number) {
        return number >= 0 && number < NAMES.size() ? NAMES.get(number) : null;
    }

    /** The number of a capability name, -1 if unknown. */
    public static int capabilityNumber(String name) {
        Integer n = NUMBERS.get(name);
        return n == null ? -1 : n;
    }

    /** The capability number. */
    public int number() {
        return capabilityNumber(name);
    }

    public boolean hasCondition() {
        return !condition.isEmpty();
    }

    @Override
    public String text() {
        return "capability " + name + (condition.isEmpty() ? "" : " " + condition);
    }
}
