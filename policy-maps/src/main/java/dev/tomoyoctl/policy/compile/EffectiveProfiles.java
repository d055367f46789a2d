package dev.tomoyoctl.policy.compile;

import dev.tomoyoctl.policy.model.ConfigValue;
import dev.tomoyoctl.policy.model.ProfileComment;
import dev.tomoyoctl.policy.model.ProfileConfig;
import dev.tomoyoctl.policy.model.ProfileLine;
import dev.tomoyoctl.policy.model.ProfileMode;
import dev.tomoyoctl.policy.model.ProfilePolicy;
import dev.tomoyoctl.policy.model.ProfilePreference;
import dev.tomoyoctl.policy.model.ProfileVersion;
import dev.tomoyoctl.policy.model.OtherProfileLine;

import java.util.HashMap;
import java.util.Map;

/**
 * The profiles of one namespace as TOMOYO 2.6 ends up with them after writing profile.conf line by
 * line: a replay of tomoyo_write_profile() / tomoyo_set_mode() in security/tomoyo/common.c, then
 * the lookups of tomoyo_get_mode() and of the audit code (per-operation config, else the
 * category's, else the profile's default).
 *
 * <p>The details that matter: a profile comes into existence with any "N-..." line, with default
 * config {@code disabled + grant_log + reject_log}, max_audit_log 1024, max_learning_entry 2048
 * (the Kconfig defaults). A CONFIG line's mode keyword updates the config's mode; on the default
 * CONFIG line the log flags not written keep their previous value, while on a per-category or
 * per-operation line (which starts from "use default", 0xff) writing a mode without log flags
 * turns both logs on, and writing log flags without a mode changes nothing. "use_default" resets a
 * per-category/operation line to the fallback (and is ignored on the default line). An undefined
 * profile behaves as all-zero: disabled, no logs.
 */
public final class EffectiveProfiles {
    static final int USE_DEFAULT = 0xff;
    static final int WANT_REJECT_LOG = 64;
    static final int WANT_GRANT_LOG = 128;
    public static final long DEFAULT_MAX_AUDIT_LOG = 1024;
    public static final long DEFAULT_MAX_LEARNING_ENTRY = 2048;

    private static final class Profile {
        int defaultConfig = ProfileMode.DISABLED.abiValue() | WANT_GRANT_LOG | WANT_REJECT_LOG;
        final Map<String, Integer> config = new HashMap<>(); // "file", "file::open" -> config byte
        long maxAuditLog = DEFAULT_MAX_AUDIT_LOG;
        long maxLearningEntry = DEFAULT_MAX_LEARNING_ENTRY;
        String comment = "";

        int config(String key) {
            return config.getOrDefault(key, USE_DEFAULT);
        }
    }

    private final Profile[] profiles = new Profile[256];
    private long version = ProfileVersion.CURRENT;
    private boolean versionWritten;

    private EffectiveProfiles() {}

    /** The profiles of {@code namespace} ("&lt;kernel&gt;" for lines without a prefix). */
    public static EffectiveProfiles of(ProfilePolicy policy, String namespace) {
        EffectiveProfiles e = new EffectiveProfiles();
        for (ProfileLine l : policy.lines()) {
            if (!l.effectiveNamespace().equals(namespace)) {
                continue;
            }
            if (l instanceof ProfileVersion v) {
                e.version = v.version();
                e.versionWritten = true;
            } else if (l instanceof ProfileComment c) {
                e.assign(c.profile()).comment = c.comment();
            } else if (l instanceof ProfilePreference p) {
                Profile pr = e.assign(p.profile());
                Long a = p.value(ProfilePreference.MAX_AUDIT_LOG);
                Long m = p.value(ProfilePreference.MAX_LEARNING_ENTRY);
                if (a != null) {
                    pr.maxAuditLog = a;
                }
                if (m != null) {
                    pr.maxLearningEntry = m;
                }
            } else if (l instanceof ProfileConfig c) {
                e.apply(e.assign(c.profile()), c);
            } else if (l instanceof OtherProfileLine o) {
                e.assign(o.profile()); // TOMOYO assigns the profile before rejecting the key
            }
        }
        return e;
    }

    private Profile assign(int n) {
        if (profiles[n] == null) {
            profiles[n] = new Profile();
        }
        return profiles[n];
    }

    /** tomoyo_set_mode(). */
    private void apply(Profile p, ProfileConfig c) {
        boolean isDefault = c.category() == null;
        String key = isDefault ? null : c.category() + (c.operation() == null ? "" : "::" + c.operation());
        int config = isDefault ? p.defaultConfig : p.config(key);
        ConfigValue v = c.value();
        if (v.useDefault()) {
            config = USE_DEFAULT;
        } else {
            if (v.mode() != null) {
                config = (config & ~7) | v.mode().abiValue(); // lower 3 bits: distinct from USE_DEFAULT
            }
            if (config != USE_DEFAULT) {
                if (v.grantLog() != null) {
                    config = v.grantLog() ? config | WANT_GRANT_LOG : config & ~WANT_GRANT_LOG;
                }
                if (v.rejectLog() != null) {
                    config = v.rejectLog() ? config | WANT_REJECT_LOG : config & ~WANT_REJECT_LOG;
                }
            }
        }
        if (!isDefault) {
            p.config.put(key, config);
        } else if (config != USE_DEFAULT) {
            p.defaultConfig = config;
        }
    }

    /** Whether profile {@code n} is defined (some "n-..." line exists). */
    public boolean isDefined(int n) {
        return profiles[n] != null;
    }

    /** The PROFILE_VERSION written (20150505 if none). */
    public long version() {
        return version;
    }

    public boolean versionWritten() {
        return versionWritten;
    }

    /**
     * The config byte in force for {@code category} and optional {@code operation}: TOMOYO's
     * per-operation config, else the category's, else the default. 0 for an undefined profile.
     */
    int config(int n, String category, String operation) {
        Profile p = profiles[n];
        if (p == null) {
            return 0;
        }
        int c = operation == null ? USE_DEFAULT : p.config(category + "::" + operation);
        if (c == USE_DEFAULT) {
            c = p.config(category);
        }
        if (c == USE_DEFAULT) {
            c = p.defaultConfig;
        }
        return c;
    }

    /** tomoyo_get_mode(). {@code operation} may be null for the category's own setting. */
    public ProfileMode mode(int n, String category, String operation) {
        return ProfileMode.ofAbi(config(n, category, operation) & 3);
    }

    public boolean grantLog(int n, String category, String operation) {
        return (config(n, category, operation) & WANT_GRANT_LOG) != 0;
    }

    public boolean rejectLog(int n, String category, String operation) {
        return (config(n, category, operation) & WANT_REJECT_LOG) != 0;
    }

    /** PREFERENCE max_learning_entry (2048 unless written); 0 for an undefined profile. */
    public long maxLearningEntry(int n) {
        return profiles[n] == null ? 0 : profiles[n].maxLearningEntry;
    }

    public long maxAuditLog(int n) {
        return profiles[n] == null ? 0 : profiles[n].maxAuditLog;
    }

    public String comment(int n) {
        return profiles[n] == null ? null : profiles[n].comment;
    }
}
