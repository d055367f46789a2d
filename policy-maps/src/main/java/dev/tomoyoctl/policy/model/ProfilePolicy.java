package dev.tomoyoctl.policy.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** profile.conf: its lines in file order. Mutable, not thread-safe. */
public final class ProfilePolicy {
    private final List<ProfileLine> lines;

    public ProfilePolicy() {
        this(List.of());
    }

    public ProfilePolicy(List<ProfileLine> lines) {
        this.lines = new ArrayList<>(lines);
    }

    public List<ProfileLine> lines() {
        return Collections.unmodifiableList(lines);
    }

    public void add(ProfileLine line) {
        lines.add(line);
    }

    public String print() {
        StringBuilder sb = new StringBuilder();
        for (ProfileLine l : lines) {
            sb.append(l.text()).append('\n');
        }
        return sb.toString();
    }

    /**
     * The profile.conf tomoyo-init (tomoyo-tools 2.6) writes: profiles 0-3 = disabled, learning,
     * permissive, enforcing, with grant_log=no reject_log=yes, max_audit_log=1024,
     * max_learning_entry=2048.
     */
    public static ProfilePolicy tomoyoDefault() {
        List<ProfileLine> l = new ArrayList<>();
        l.add(new ProfileVersion(null, ProfileVersion.CURRENT));
        String[] names = {"-----Disabled Mode-----", "-----Learning Mode-----", "-----Permissive Mode-----",
                "-----Enforcing Mode-----"};
        for (int i = 0; i < 4; i++) {
            l.add(new ProfileComment(null, i, names[i]));
            l.add(new ProfilePreference(null, i, List.of(
                    new ProfilePreference.Pref(ProfilePreference.MAX_AUDIT_LOG, 1024),
                    new ProfilePreference.Pref(ProfilePreference.MAX_LEARNING_ENTRY, 2048))));
            l.add(new ProfileConfig(null, i, null, null, ConfigValue.of(ProfileMode.values()[i], false, true)));
        }
        return new ProfilePolicy(l);
    }
}
