package dev.tomoyoctl.daemon;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One audit record, printed as TOMOYO prints its audit log (security/tomoyo/audit.c,
 * tomoyo_print_header + tomoyo_init_log): a header line, the domain name, the rule:
 *
 * <pre>
 * #2026/11/21 22:43:08# profile=3 mode=enforcing granted=no (global-pid=812) task={ pid=812 uid=0 gid=0 }
 * &lt;kernel&gt; /work/t/workload.sh
 * file read /etc/shadow
 * </pre>
 *
 * <p>The time is UTC as TOMOYO's is (tomoyo_convert_time does not apply a time zone).
 * global-pid is the thread id and pid the thread group id, as in TOMOYO. TOMOYO's task={ }
 * also lists ppid, euid, egid, suid, sgid, fsuid and fsgid; the kernel event of tomoyo_abi.h
 * carries only pid, tid, uid and gid, so only those are printed (never a guessed value).
 * A path the kernel side could not name fully adds {@code path.unresolved=yes} to the header.
 *
 * @param domain    TOMOYO-encoded domain name
 * @param operation the rule's keyword part, e.g. "file read"
 * @param path      TOMOYO-encoded path
 */
public record AuditRecord(Instant time, int profile, int mode, boolean granted, int pid, int tid, int uid, int gid,
                          String domain, String operation, String path, boolean pathUnresolved) {

    /** TOMOYO's tomoyo_mode[] names, indexed by enum tmy_mode. */
    static final String[] MODES = {"disabled", "learning", "permissive", "enforcing"};

    public static String modeName(int mode) {
        return mode >= 0 && mode < MODES.length ? MODES[mode] : "mode" + mode;
    }

    public String header() {
        ZonedDateTime t = time.atZone(ZoneOffset.UTC);
        return String.format("#%04d/%02d/%02d %02d:%02d:%02d# profile=%d mode=%s granted=%s (global-pid=%d) "
                        + "task={ pid=%d uid=%d gid=%d }%s",
                t.getYear(), t.getMonthValue(), t.getDayOfMonth(), t.getHour(), t.getMinute(), t.getSecond(),
                profile, modeName(mode), granted ? "yes" : "no", Integer.toUnsignedLong(tid),
                Integer.toUnsignedLong(pid), Integer.toUnsignedLong(uid), Integer.toUnsignedLong(gid),
                pathUnresolved ? " path.unresolved=yes" : "");
    }

    public String rule() {
        return operation + " " + path;
    }

    /** The three lines, each ending in '\n' (as TOMOYO's /sys/kernel/security/tomoyo/audit gives them). */
    public String text() {
        return header() + "\n" + domain + "\n" + rule() + "\n";
    }

    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("time", time.toString());
        m.put("profile", profile);
        m.put("mode", modeName(mode));
        m.put("granted", granted);
        m.put("pid", Integer.toUnsignedLong(pid));
        m.put("tid", Integer.toUnsignedLong(tid));
        m.put("uid", Integer.toUnsignedLong(uid));
        m.put("gid", Integer.toUnsignedLong(gid));
        m.put("domain", domain);
        m.put("operation", operation);
        m.put("path", path);
        if (pathUnresolved) {
            m.put("pathUnresolved", true);
        }
        m.put("text", text());
        return m;
    }
}
