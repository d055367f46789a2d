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
 * <p>The third line is the rule that would allow the access, exactly as the domain policy writes
 * it, for every category: {@code file read /etc/shadow},
 * {@code network inet stream connect 127.0.0.1 8080}, {@code network unix dgram send /run/x.sock},
 * {@code capability net_bind_service}, {@code ipc signal 15 <kernel> /usr/bin/sleep}. It is split
 * into the operation (the keywords) and the object (what follows), joined by one space.
 *
 * @param domain    TOMOYO-encoded domain name
 * @param operation the rule's keyword part: "file read", "network inet stream connect",
 *                  "capability", "ipc signal"
 * @param object    the rest of the rule: a TOMOYO-encoded path, "ADDRESS PORT", a unix address,
 *                  a capability name, "SIGNAL TARGET_DOMAIN"
 */
public record AuditRecord(Instant time, int profile, int mode, boolean granted, int pid, int tid, int uid, int gid,
                          String domain, String operation, String object, boolean pathUnresolved) {

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
        return operation + " " + object;
    }

    /** A file record (the object is a path). */
    public boolean isFile() {
        return operation.startsWith("file ");
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
        // file records keep their "path" field; the other categories name theirs "object"
        m.put(isFile() ? "path" : "object", object);
        m.put("rule", rule());
        if (pathUnresolved) {
            m.put("pathUnresolved", true);
        }
        m.put("text", text());
        return m;
    }
}
