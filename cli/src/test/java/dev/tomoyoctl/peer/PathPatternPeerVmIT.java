package dev.tomoyoctl.peer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tomoyoctl.policy.PathPattern;
import dev.tomoyoctl.policy.TomoyoName;
import dev.tomoyoctl.vmtest.VmRun;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Issue 5, pattern matching in real kernels, one boot with both the kernel's TOMOYO and our
 * BPF-LSM active. One domain per side is given the same {@code file read} rules on patterns
 * (every token, through an acl_group the domain uses; a path_group; then generated patterns) and
 * put in enforcing mode; the same shell
 * workload then opens every name of a corpus (files and directories created in the guest) for
 * reading. For every name, three answers must agree: the Java reference matcher
 * ({@link PathPattern}), the kernel's own TOMOYO (allowed or EPERM) and our kernel programs
 * walking the domain's automaton (allowed or EPERM, with exactly one rejected audit record
 * "file read NAME" per denial).
 *
 * <p>Each side first runs its script once in learning mode without opening the corpus, so the
 * shell's own needs (its libraries, the script, the list) are allowed when enforcing starts.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PathPatternPeerVmIT {
    static final String ROOT = "/tmp/pt";
    static final long SEED = 20261122L;

    /** Every token (and the quirks the automaton must reproduce), pattern -> names (encoded). */
    static final Map<String, List<String>> TOKENS = new LinkedHashMap<>();

    static {
        String t = ROOT + "/t";
        TOKENS.put(t + "/star/\\*", List.of(t + "/star/a", t + "/star/a.b", t + "/star/.x", t + "/star/sub/",
                t + "/star/sub/x"));
        TOKENS.put(t + "/at/\\@.conf", List.of(t + "/at/app.conf", t + "/at/a.b.conf", t + "/at/.conf"));
        TOKENS.put(t + "/q/f\\?", List.of(t + "/q/f1", t + "/q/f12", t + "/q/f", t + "/q/f\\040"));
        TOKENS.put(t + "/dol/log.\\$", List.of(t + "/dol/log.1", t + "/dol/log.123", t + "/dol/log.12a", t + "/dol/log."));
        TOKENS.put(t + "/plus/n\\+", List.of(t + "/plus/n7", t + "/plus/n77", t + "/plus/na"));
        TOKENS.put(t + "/hex/\\X.bin", List.of(t + "/hex/deadBEEF.bin", t + "/hex/0.bin", t + "/hex/xyz.bin", t + "/hex/.bin"));
        TOKENS.put(t + "/hex1/h\\x", List.of(t + "/hex1/ha", t + "/hex1/hF", t + "/hex1/hg", t + "/hex1/hab"));
        TOKENS.put(t + "/alpha/\\A", List.of(t + "/alpha/abcXYZ", t + "/alpha/abc1"));
        TOKENS.put(t + "/alpha1/c\\a", List.of(t + "/alpha1/cz", t + "/alpha1/c1", t + "/alpha1/czz"));
        TOKENS.put(t + "/minus/\\*\\-\\*.secret", List.of(t + "/minus/a.txt", t + "/minus/a.secret"));
        TOKENS.put(t + "/rec/\\{\\*\\}/\\*.html", List.of(t + "/rec/a/i.html", t + "/rec/a/b/i.html", t + "/rec/i.html",
                t + "/rec/a/i.htm"));
        TOKENS.put(t + "/oct/a\\040\\*", List.of(t + "/oct/a\\040b", t + "/oct/a\\040", t + "/oct/ab"));
        TOKENS.put(t + "/bs/x\\\\\\*", List.of(t + "/bs/x\\\\y", t + "/bs/xy"));
        TOKENS.put(t + "/dirs/\\*/", List.of(t + "/dirs/d1/", t + "/dirs/f1"));
        TOKENS.put(t + "/quirk/\\*/a/\\*", List.of(t + "/quirk/x/a", t + "/quirk/y/a/b", t + "/quirk/x/b"));
        TOKENS.put(t + "/hi/\\300\\*", List.of(t + "/hi/\\300\\301", t + "/hi/\\301"));
    }

    /**
     * A directory on the guest's overlay /tmp, allowed by an exact rule on both sides: opening it
     * also opens the overlay's upper directory (ovl_dir_open), which both kernels judge under a
     * name outside the namespace ("tmpfs:/upper/..."). Not compared with the reference matcher:
     * what matters is that ours does what TOMOYO does.
     */
    static final String OVERLAY_DIR = "/tmp/ptw/ovl/";

    static final String GROUP_RULE = "@PT";
    static final List<String> GROUP_MEMBERS = List.of(ROOT + "/t/grp/\\*.log", ROOT + "/t/grp/exact");
    static final List<String> GROUP_NAMES = List.of(ROOT + "/t/grp/a.log", ROOT + "/t/grp/exact", ROOT + "/t/grp/a.txt");

    private final List<String> patterns = new ArrayList<>();
    private final List<String> names = new ArrayList<>();
    private Map<Integer, String> ours, tomoyo;
    private String out;
    private List<String[]> ourRejects;

    /** A generated pattern under ROOT/g/I/ from TOMOYO's tokens and a few characters. */
    static String generatedPattern(int i, Random r) {
        String[] tokens = {"a", "b", "1", ".", "\\040", "\\*", "\\@", "\\?", "\\$", "\\+", "\\X", "\\x", "\\A", "\\a"};
        StringBuilder sb = new StringBuilder(ROOT + "/g/" + i);
        int comps = 1 + r.nextInt(3);
        for (int c = 0; c < comps; c++) {
            sb.append('/');
            if (c < comps - 1 && r.nextInt(5) == 0) {
                sb.append("\\{").append(tokens[5 + r.nextInt(9)]).append("\\}");
                continue;
            }
            int n = 1 + r.nextInt(3);
            for (int k = 0; k < n; k++) {
                sb.append(tokens[r.nextInt(tokens.length)]);
            }
            if (r.nextInt(6) == 0) {
                sb.append("\\-").append(tokens[r.nextInt(tokens.length)]);
            }
        }
        if (r.nextInt(5) == 0) {
            sb.append('/');
        }
        return sb.toString();
    }

    /** Names likely near a generated pattern: each token replaced by a sample of what it might match. */
    static String generatedName(String pattern, Random r) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            char t = pattern.charAt(++i);
            String[] pick = switch (t) {
                case '*', '@' -> new String[] {"", "a", "a.b", "1", "x\\040y", "ab1"};
                case '?' -> new String[] {"a", ".", "\\040", "7"};
                case '$', 'X' -> new String[] {"1", "12", "ff", "a"};
                case '+', 'x' -> new String[] {"1", "f", "a", "12"};
                case 'A', 'a' -> new String[] {"a", "ab", "1", "F"};
                case '{' -> new String[] {""};
                case '}' -> new String[] {"", "/z"};
                case '-' -> new String[] {"", "b"};
                default -> null;
            };
            if (pick == null) { // \040 or \\: copy the escape
                sb.append('\\').append(t);
                if (t >= '0' && t <= '3') {
                    sb.append(pattern, i + 1, i + 3);
                    i += 2;
                }
                continue;
            }
            sb.append(pick[r.nextInt(pick.length)]);
        }
        return sb.toString().replace("//", "/q/");
    }

    @BeforeAll
    void run() throws Exception {
        Random r = new Random(SEED);
        Set<String> all = new LinkedHashSet<>();
        TOKENS.forEach((p, ns) -> {
            patterns.add(p);
            all.addAll(ns);
        });
        all.addAll(GROUP_NAMES);
        for (int i = 0; i < 40; i++) {
            String p = generatedPattern(i, r);
            if (!TomoyoName.isCorrectWord(p)) {
                continue;
            }
            patterns.add(p);
            for (int k = 0; k < 12; k++) {
                all.add(generatedName(p, r));
            }
        }
        // A name the file system cannot hold as asked (a file that is also some other name's
        // directory, a malformed encoding) is dropped: the kernel would name it differently.
        Set<String> dirs = new LinkedHashSet<>();
        for (String n : all) {
            for (int i = n.indexOf('/', 1); i >= 0; i = n.indexOf('/', i + 1)) {
                dirs.add(n.substring(0, i + 1));
            }
        }
        for (String n : all) {
            if (!n.contains("//") && !n.endsWith("/.") && !n.contains("/./") && !n.contains("/../") && !n.endsWith("/..")
                    && (n.endsWith("/") || !dirs.contains(n + "/")) && isName(n)) {
                names.add(n);
            }
        }

        Path work = Files.createDirectories(VmRun.repo().resolve("cli/target/path-pattern-peer"));
        names.add(OVERLAY_DIR);
        ByteArrayOutputStream list = new ByteArrayOutputStream();
        for (String n : names) {
            list.write(TomoyoName.decode(n));
            list.write('\n');
        }
        Files.write(work.resolve("names.raw"), list.toByteArray());
        // the token rules come through acl_group 42 (not 0: the default policy of tomoyo-tools puts
        // rules for every domain in acl_group 0), the generated ones are the domain's own
        StringBuilder rules = new StringBuilder("use_group 42\n");
        StringBuilder groups = new StringBuilder();
        for (String p : patterns) {
            if (TOKENS.containsKey(p)) {
                groups.append("acl_group 42 file read ").append(p).append('\n');
            } else {
                rules.append("file read ").append(p).append('\n');
            }
        }
        rules.append("file read ").append(GROUP_RULE).append('\n');
        rules.append("file read ").append(OVERLAY_DIR).append('\n');
        Files.writeString(work.resolve("rules.txt"), rules.toString());
        for (String m : GROUP_MEMBERS) {
            groups.append("path_group PT ").append(m).append('\n');
        }
        Files.writeString(work.resolve("groups.txt"), groups.toString());
        Files.writeString(work.resolve("w.sh"), """
                #!/bin/sh
                # w.sh LIST base|run: "I: OK" or "I: ERR <message>" per name of LIST (opened for reading)
                i=0
                while IFS= read -r p; do
                    i=$((i+1))
                    [ "$2" = run ] || continue
                    if e=$( (: < "$p") 2>&1 ); then echo "$i: OK"; else echo "$i: ERR $e"; fi
                done < "$1"
                echo "done $i"
                """);
        String scenario = """
                set -u
                T="$REPO/tomoyoctl"
                WORK=%1$s
                mkdir -p /tmp/ptw /tmp/ptw/etc %3$s
                cp $WORK/w.sh /tmp/ptw/ours.sh; cp $WORK/w.sh /tmp/ptw/tomoyo.sh; chmod 755 /tmp/ptw/*.sh
                OURS=/tmp/ptw/ours.sh; THEIRS=/tmp/ptw/tomoyo.sh
                # the corpus, on a tmpfs of its own: on the guest's overlay /tmp, opening a directory
                # also opens the upper layer's directory (ovl_dir_open, the task's own credentials),
                # a second check on a name outside the namespace ("tmpfs:/upper/...")
                mkdir -p %2$s && mount -t tmpfs none %2$s
                while IFS= read -r p; do
                    case "$p" in */) mkdir -p "$p" ;; *) mkdir -p "$(dirname "$p")"; : > "$p" ;; esac
                done < $WORK/names.raw
                echo "@@created@@"
                # the kernel's TOMOYO: its own domain for THEIRS, learning first
                { cat $WORK/groups.txt; echo "initialize_domain $THEIRS from any"; } | tomoyo-loadpolicy -e
                { printf '<kernel> %%s\\nuse_profile 1\\n' "$THEIRS"; cat $WORK/rules.txt; } | tomoyo-loadpolicy -d
                # ours: the same rules for OURS, learning first
                cat /sys/kernel/security/tomoyo/profile > /tmp/ptw/etc/profile.conf
                { cat $WORK/groups.txt; echo "initialize_domain $OURS from any"; } > /tmp/ptw/etc/exception_policy.conf
                { printf '<kernel>\\nuse_profile 0\\n\\n<kernel> %%s\\nuse_profile 1\\n\\n' "$OURS"; cat $WORK/rules.txt; } \\
                    > /tmp/ptw/etc/domain_policy.conf
                "$T" daemon --policy-dir /tmp/ptw/etc --log-dir /tmp/ptw/log > /tmp/ptw/daemon.log 2>&1 &
                for _ in $(seq 1800); do [ -S /run/tomoyoctl.sock ] && "$T" status > /dev/null 2>&1 && break; sleep 0.1; done
                echo "@@check@@"
                "$T" policy check /tmp/ptw/etc; echo "exit=$?"
                echo "@@base@@"
                $THEIRS $WORK/names.raw base
                $OURS $WORK/names.raw base
                # only a policy manager (tomoyo-loadpolicy) may write TOMOYO's policy
                printf '<kernel> %%s\\nuse_profile 3\\n' "$THEIRS" | tomoyo-loadpolicy -d
                "$T" profile set 3 "<kernel> $OURS"; echo "exit=$?"
                echo "@@tomoyo@@"
                $THEIRS $WORK/names.raw run
                echo "@@ours@@"
                $OURS $WORK/names.raw run
                echo "@@tomoyo-domain@@"
                grep -A3 "^<kernel> $THEIRS\\$" /sys/kernel/security/tomoyo/domain_policy | head -3
                sleep 2
                echo "@@rejects@@"
                cat /tmp/ptw/log/reject_003.log
                echo "@@unload@@"
                "$T" unload; echo "exit=$?"
                echo "@@daemon@@"
                cat /tmp/ptw/daemon.log
                echo "@@end@@"
                """.formatted(work, ROOT, OVERLAY_DIR);
        var res = VmRun.vm().withTomoyo().timeoutSeconds(1500).env("REPO", VmRun.repo().toString())
                .run("bash", "-c", scenario);
        out = res.stdout();
        assertThat(res.exitCode()).as(out + res.stderr()).isZero();
        tomoyo = results(section("tomoyo"));
        ours = results(section("ours"));
        ourRejects = new ArrayList<>();
        List<String> lines = section("rejects").lines().filter(l -> !l.isBlank()).toList();
        for (int i = 0; i + 2 < lines.size(); i += 3) {
            ourRejects.add(new String[] {lines.get(i), lines.get(i + 1), lines.get(i + 2)});
        }
    }

    static boolean isName(String s) {
        try {
            TomoyoName.decode(s);
            return s.startsWith("/");
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private String section(String name) {
        return PeerOutput.section(out, name);
    }

    private static Map<Integer, String> results(String s) {
        Map<Integer, String> m = new TreeMap<>();
        PeerOutput.results(s, c -> c.chars().allMatch(Character::isDigit))
                .forEach((k, v) -> m.put(Integer.parseInt(k), v));
        return m;
    }

    /** What the reference matcher says of name i (1-based, as the workload numbers them). */
    private String reference(int i) {
        String n = names.get(i - 1);
        boolean ok = patterns.stream().anyMatch(p -> PathPattern.matches(n, p))
                || GROUP_MEMBERS.stream().anyMatch(p -> p.equals(n) || PathPattern.matches(n, p));
        return ok ? "OK" : "EPERM";
    }

    /** Results by name, the corpus only (not OVERLAY_DIR). */
    private Map<String, String> byName(Map<Integer, String> m) {
        Map<String, String> out = new TreeMap<>();
        m.forEach((i, v) -> out.put(names.get(i - 1), v));
        out.remove(OVERLAY_DIR);
        return out;
    }

    private Map<String, String> expected() {
        Map<String, String> out = new TreeMap<>();
        for (int i = 1; i <= names.size(); i++) {
            out.put(names.get(i - 1), reference(i));
        }
        out.remove(OVERLAY_DIR);
        return out;
    }

    @Test
    void aDirectoryOnTheOverlayIsJudgedAlikeByBoth() {
        int i = names.indexOf(OVERLAY_DIR) + 1;
        assertThat(ours.get(i)).as(out).isNotNull().isEqualTo(tomoyo.get(i));
    }

    @Test
    void ourPolicyHasNoPatternLeftUnenforced() {
        assertThat(section("check")).as(out).doesNotContain("not enforced");
    }

    @Test
    void theCorpusHasBothAnswersForEveryToken() {
        Map<String, String> e = expected();
        assertThat(e.values()).contains("OK", "EPERM");
        long allowed = e.values().stream().filter("OK"::equals).count();
        assertThat(allowed).as("allowed names of %d", e.size()).isGreaterThan(e.size() / 5);
        for (Map.Entry<String, List<String>> t : TOKENS.entrySet()) {
            assertThat(t.getValue().stream().map(e::get)).as(t.getKey()).contains("OK", "EPERM");
        }
    }

    @Test
    void theKernelsTomoyoAgreesWithTheReferenceMatcher() {
        assertThat(tomoyo).as(out).hasSize(names.size());
        assertThat(byName(tomoyo)).isEqualTo(expected());
    }

    @Test
    void ourKernelProgramsAgreeWithTheReferenceMatcher() {
        assertThat(ours).as(out).hasSize(names.size());
        assertThat(byName(ours)).isEqualTo(expected());
    }

    @Test
    void everyDenialOfOursIsLoggedOnceWithItsRule() {
        List<String> logged = new ArrayList<>();
        for (String[] rec : ourRejects) {
            if (rec[1].equals("<kernel> /tmp/ptw/ours.sh") && rec[2].startsWith("file read " + ROOT + "/")) {
                assertThat(rec[0]).contains(" profile=3 mode=enforcing granted=no ");
                logged.add(rec[2].substring("file read ".length()));
            }
        }
        List<String> denied = new ArrayList<>();
        ours.forEach((i, v) -> {
            if (v.equals("EPERM") && !names.get(i - 1).equals(OVERLAY_DIR)) {
                denied.add(names.get(i - 1));
            }
        });
        assertThat(logged).as(section("rejects")).containsExactlyElementsOf(denied);
    }

    @Test
    void unloadSucceeds() {
        assertThat(section("unload")).as(out).contains("exit=0");
    }
}
