package dev.tomoyoctl.policy.model;

/**
 * The value of a CONFIG line: {@code { mode=enforcing grant_log=no reject_log=yes }} or
 * {@code { use_default }}. Parts not written are null, because TOMOYO's meaning depends on what
 * was written (tomoyo_set_mode(): log flags given without a mode on a per-category line are
 * ignored; a mode without log flags on a per-category line turns both logs on).
 */
public record ConfigValue(boolean useDefault, ProfileMode mode, Boolean grantLog, Boolean rejectLog) {
    public ConfigValue {
        if (useDefault && (mode != null || grantLog != null || rejectLog != null)) {
            throw new IllegalArgumentException("use_default cannot be combined with other settings");
        }
    }

    public static ConfigValue of(ProfileMode mode, boolean grantLog, boolean rejectLog) {
        return new ConfigValue(false, mode, grantLog, rejectLog);
    }

    public String text() {
        StringBuilder sb = new StringBuilder("{ ");
        if (useDefault) {
            sb.append("use_default ");
        }
        if (mode != null) {
            sb.append("mode=").append(mode.keyword()).append(' ');
        }
        if (grantLog != null) {
            sb.append("grant_log=").append(grantLog ? "yes" : "no").append(' ');
        }
        if (rejectLog != null) {
            sb.append("reject_log=").append(rejectLog ? "yes" : "no").append(' ');
        }
        return sb.append('}').toString();
    }
}
