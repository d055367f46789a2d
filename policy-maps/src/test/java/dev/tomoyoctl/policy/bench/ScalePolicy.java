package dev.tomoyoctl.policy.bench;

import java.util.Locale;

/**
 * Generates the policy text of the scale benchmark (issue 5): one big domain with many exact
 * file rules and a few hundred pattern rules, plus a few hundred small domains below it, and the
 * path_groups the pattern rules use. Deterministic: the same arguments give the same bytes, so
 * runs can be compared.
 *
 * <p>The exact rules look like a learned server: paths spread over directories of 1,000 files,
 * with the operation sets learning produces (read, read/write, append, getattr, unlink ...). The
 * pattern rules cycle through the kinds the kernel matches with the domain's automaton:
 * {@code \*}, {@code \$}, recursive {@code /\{\*\}/}, {@code \X}, {@code \@} and {@code @GROUP}
 * path_group references (whose members mix exact names and patterns).
 *
 * @param domain      the big domain's name ("&lt;kernel&gt; /usr/sbin/bench-server")
 * @param exact       exact file rules in the big domain
 * @param patterns    pattern rules in the big domain
 * @param others      other domains (children of the big one), each with {@link #OTHER_RULES} rules
 * @param profile     the profile of the big domain and of the others
 */
public record ScalePolicy(String domain, int exact, int patterns, int others, int profile) {

    /** Rules of each other domain. */
    public static final int OTHER_RULES = 6;

    private static final String[] EXACT_OPS = {"read", "read/write", "read/write/append", "getattr/read", "append",
        "read/unlink", "write/truncate", "getattr"};

    public ScalePolicy {
        if (exact < 0 || patterns < 0 || others < 0 || profile < 0 || profile > 255) {
            throw new IllegalArgumentException("negative count or profile out of 0..255");
        }
    }

    /** Rules in all domains (what "rules/s" counts). */
    public long totalRules() {
        return (long) exact + patterns + (long) others * OTHER_RULES;
    }

    /** The i-th exact path of the big domain. */
    public static String exactPath(int i) {
        return String.format(Locale.ROOT, "/srv/bench/d%03d/file-%06d.dat", i / 1000, i);
    }

    /** The j-th pattern rule of the big domain (without "file OPS "). */
    public static String pattern(int j) {
        return switch (j % 6) {
            case 0 -> "/var/log/bench" + j + "/\\*.log";
            case 1 -> "/run/bench" + j + "/\\$.pid";
            case 2 -> "/srv/tree" + j + "/\\{\\*\\}/\\*";
            case 3 -> "/var/cache/bench" + j + "/obj-\\X.bin";
            case 4 -> "/home/bench" + j + "/\\@.conf";
            default -> "@BENCH_GROUP" + j;
        };
    }

    /** The rules lines of the big domain (pattern rules first, as TOMOYO sorts nothing). */
    public void appendBigDomainRules(StringBuilder sb) {
        for (int j = 0; j < patterns; j++) {
            sb.append("file ").append(j % 3 == 0 ? "read/write" : "read").append(' ').append(pattern(j)).append('\n');
        }
        for (int i = 0; i < exact; i++) {
            sb.append("file ").append(EXACT_OPS[i % EXACT_OPS.length]).append(' ').append(exactPath(i)).append('\n');
        }
    }

    /** domain_policy.conf. */
    public String domainPolicy() {
        StringBuilder sb = new StringBuilder(exact * 48 + 4096);
        sb.append("<kernel>\nuse_profile 0\n\n");
        sb.append(domain).append("\nuse_profile ").append(profile).append('\n');
        appendBigDomainRules(sb);
        sb.append('\n');
        for (int k = 0; k < others; k++) {
            sb.append(domain).append(" /usr/libexec/bench/worker").append(k).append("\nuse_profile ").append(profile)
                    .append('\n');
            sb.append("file execute /usr/libexec/bench/helper").append(k).append('\n');
            sb.append("file read /etc/bench/worker").append(k).append(".conf\n");
            sb.append("file read/write /var/lib/bench/worker").append(k).append("/state\n");
            sb.append("file append /var/log/bench/worker").append(k).append(".log\n");
            sb.append("file read /var/lib/bench/worker").append(k).append("/\\*.dat\n");
            sb.append("file getattr /proc/\\$/stat\n");
            sb.append('\n');
        }
        return sb.toString();
    }

    /** exception_policy.conf: the path_groups the pattern rules name. */
    public String exceptionPolicy() {
        StringBuilder sb = new StringBuilder();
        for (int j = 5; j < patterns; j += 6) {
            sb.append("path_group BENCH_GROUP").append(j).append(" /etc/bench").append(j).append("/main.conf\n");
            sb.append("path_group BENCH_GROUP").append(j).append(" /etc/bench").append(j).append("/conf.d/\\*.conf\n");
        }
        return sb.toString();
    }
}
