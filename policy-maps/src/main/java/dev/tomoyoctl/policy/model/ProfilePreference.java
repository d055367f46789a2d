package dev.tomoyoctl.policy.model;

import java.util.List;

/**
 * {@code N-PREFERENCE={ max_audit_log=1024 max_learning_entry=2048 }}. Keys are kept in the order
 * written; TOMOYO 2.6 knows max_audit_log and max_learning_entry.
 */
public record ProfilePreference(String namespace, int profile, List<Pref> prefs) implements ProfileLine {
    public static final String MAX_AUDIT_LOG = "max_audit_log";
    public static final String MAX_LEARNING_ENTRY = "max_learning_entry";

    /** One key=value pair (value: an unsigned 32-bit number). */
    public record Pref(String key, long value) {
        public Pref {
            if (!key.matches("[a-z_]+")) {
                throw new IllegalArgumentException("bad preference key '" + key + "'");
            }
            if (value < 0 || value > 0xffffffffL) {
                throw new IllegalArgumentException("preference " + key + "=" + value + " is not an unsigned 32-bit value");
            }
        }
    }

    public ProfilePreference {
        ProfileComment.checkProfile(profile);
        prefs = List.copyOf(prefs);
    }

    /** The value written for a key, or null. The last one wins, as with TOMOYO's sscanf. */
    public Long value(String key) {
        Long v = null;
        for (Pref p : prefs) {
            if (p.key().equals(key)) {
                v = p.value();
            }
        }
        return v;
    }

    @Override
    public String text() {
        StringBuilder sb = new StringBuilder(ExceptionLine.prefix(namespace)).append(profile).append("-PREFERENCE={ ");
        for (Pref p : prefs) {
            sb.append(p.key()).append('=').append(p.value()).append(' ');
        }
        return sb.append('}').toString();
    }
}
