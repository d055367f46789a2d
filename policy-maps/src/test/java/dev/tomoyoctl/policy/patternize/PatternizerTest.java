package dev.tomoyoctl.policy.patternize;

import dev.tomoyoctl.policy.PathPattern;
import dev.tomoyoctl.policy.PolicySet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class PatternizerTest {

    private static String guess(String path) {
        PathGuess.Guess g = PathGuess.guess(path);
        return g == null ? null : g.pattern();
    }

    @Test
    void processIdsInProcBecomeDigitsButInitAndSelfStay() {
        assertThat(guess("proc:/1234/stat")).isEqualTo("proc:/\\$/stat");
        assertThat(guess("/proc/1234/task/1240/status")).isEqualTo("/proc/\\$/task/\\$/status");
        assertThat(guess("proc:/self/stat")).isNull();
        assertThat(guess("proc:/1/cmdline")).as("PID 1 is init, one process").isNull();
        assertThat(guess("proc:/sys/kernel/pid_max")).isNull();
        assertThat(guess("proc:/1234/")).isEqualTo("proc:/\\$/");
        assertThat(PathGuess.guess("proc:/1234/stat").reason()).contains("process id 1234");
    }

    @Test
    void numberedAndTemporaryNamesInVolatilePlaces() {
        assertThat(guess("/var/log/app/app.log.1")).isEqualTo("/var/log/app/app.log.\\$");
        assertThat(guess("/run/app-1234.sock")).isEqualTo("/run/app-\\$.sock");
        assertThat(guess("/tmp/tmp.AbC123xyZ0")).isEqualTo("/tmp/tmp.\\*");
        assertThat(guess("/tmp/tmpk3j2l9q_")).as("Python's tempfile").isEqualTo("/tmp/tmp\\*_");
        assertThat(guess("/tmp/systemd-private-5f9e2c1a8b7d4e3f/x")).isEqualTo("/tmp/systemd-private-\\X/x");
        assertThat(guess("/tmp/Ab12Cd34/data")).as("hex").isEqualTo("/tmp/\\X/data");
        assertThat(guess("/tmp/Kq12Zp34/data")).as("a bare random directory keeps its length")
                .isEqualTo("/tmp/\\?\\?\\?\\?\\?\\?\\?\\?/data");
        assertThat(guess("/dev/pts/3")).isEqualTo("/dev/pts/\\$");
        assertThat(guess("/tmp/build-1700000000/out")).isEqualTo("/tmp/build-\\$/out");
    }

    @Test
    void fixedNamesAreNeverPatterned() {
        for (String p : new String[] {"/etc/ssl/certs/ca-certificates.crt", "/etc/rc2.d/S01ssh",
                "/usr/lib/x86_64-linux-gnu/libc.so.6", "/usr/share/zoneinfo/Etc/GMT+1", "/lib/modules/6.1.0-1-amd64/",
                "/run/user/1000/", "/run/NetworkManager/resolv.conf", "/tmp/.X11-unix/X0", "/var/log/syslog",
                "/tmp/python3", "/var/cache/apt/pkgcache.bin", "/home/u/notes.1", "/tmp/my\\040file.12x",
                "/tmp/tmp.\\*", "@LOGS", "/opt/app/v2.1/config"}) {
            assertThat(PathGuess.guess(p)).as(p).isNull();
        }
        // from two runs: different files in /etc are different files, not a varying name
        assertThat(PathGuess.fromPair("/etc/app/a1b2c3d4.conf", "/etc/app/e5f6a7b8.conf")).isNull();
        assertThat(PathGuess.fromPair("/home/u/a.txt", "/home/u/b.txt")).as("short letters: two names").isNull();
        assertThat(PathGuess.fromPair("/home/u/x/a", "/home/u/y/b")).as("two components differ").isNull();
    }

    @Test
    void namesThatDifferBetweenTwoRunsArePatternedFromThatEvidence() {
        PathGuess.Guess g = PathGuess.fromPair("/home/u/.cache/app/session-q8Rw2k/lock",
                "/home/u/.cache/app/session-Zt4pL9/lock");
        assertThat(g.pattern()).isEqualTo("/home/u/.cache/app/session-\\*/lock");
        assertThat(g.reason()).contains("q8Rw2k").contains("Zt4pL9");
        assertThat(PathGuess.fromPair("/srv/q/job.12", "/srv/q/job.9").pattern()).isEqualTo("/srv/q/job.\\$");
        assertThat(PathGuess.fromPair("/srv/q/obj-9f3a", "/srv/q/obj-17be").pattern()).isEqualTo("/srv/q/obj-\\X");
    }

    static final String LEARNED = """
            <kernel>
            use_profile 0

            <kernel> /usr/bin/app
            use_profile 1

            file read /etc/app.conf
            file read proc:/1234/stat
            file read proc:/1240/stat
            file read/write /tmp/tmp.AbC123xyZ0
            file append /tmp/tmp.Qw9Er8Ty7U
            file read proc:/self/status
            file write /var/log/app.log.1
            file append /var/log/app.log.\\$
            file read /home/u/.cache/app/s-q8Rw2k/lock
            capability net_bind_service

            """;

    static final String OTHER_RUN = """
            <kernel>
            use_profile 0

            <kernel> /usr/bin/app
            use_profile 1

            file read /etc/app.conf
            file read /home/u/.cache/app/s-Zt4pL9/lock

            """;

    @Test
    void policySuggestionsMergeRulesAndExplainThemselvesInTheDiff() throws Exception {
        PolicySet p = PolicySet.parse(LEARNED, "", "");
        Patternizer.Result r = Patternizer.patternize(p, PolicySet.parse(OTHER_RUN, "", ""), Set.of());
        assertThat(r.suggestions()).extracting(Suggestion::pattern).containsExactly("proc:/\\$/stat", "/tmp/tmp.\\*",
                "/var/log/app.log.\\$", "/home/u/.cache/app/s-\\*/lock");
        assertThat(r.after()).isEqualTo("""
                <kernel>
                use_profile 0

                <kernel> /usr/bin/app
                use_profile 1

                file read /etc/app.conf
                # patternize: process id 1234 differs in every run (proc:/self/ names the process itself); \
                process id 1240 differs in every run (proc:/self/ names the process itself) (was: proc:/1234/stat proc:/1240/stat)
                file read proc:/\\$/stat
                # patternize: random part AbC123xyZ0 (temporary file name); random part Qw9Er8Ty7U (temporary file name) \
                (was: /tmp/tmp.AbC123xyZ0 /tmp/tmp.Qw9Er8Ty7U)
                file read/write/append /tmp/tmp.\\*
                file read proc:/self/status
                # patternize: numbered name (1) differs between runs (was: /var/log/app.log.1)
                file write/append /var/log/app.log.\\$
                # patternize: differs between the two learning runs (a random part: q8Rw2k here, Zt4pL9 in the other run) \
                (was: /home/u/.cache/app/s-q8Rw2k/lock)
                file read /home/u/.cache/app/s-\\*/lock

                """);
        String diff = r.diff("a/domain_policy.conf", "b/domain_policy.conf");
        assertThat(diff).startsWith("--- a/domain_policy.conf\n+++ b/domain_policy.conf\n@@ -5,12 +5,13 @@ <kernel> /usr/bin/app\n")
                .contains("\n-file read proc:/1234/stat\n-file read proc:/1240/stat\n")
                .contains("\n+file read proc:/\\$/stat\n").contains("\n file read /etc/app.conf\n");
        // the 1.8 line stays in the side file; the patternized policy is the whole policy
        assertThat(r.patternized().printDomain("<kernel> /usr/bin/app")).contains("capability net_bind_service");
        assertThat(r.patternized().printAll().get(PolicySet.DOMAIN_POLICY)).isEqualTo(r.after());
        // nothing left to suggest afterwards
        assertThat(Patternizer.patternize(r.patternized(), null, Set.of()).suggestions()).isEmpty();
        // only the domains asked for
        assertThat(Patternizer.patternize(p, null, Set.of("<kernel>")).suggestions()).isEmpty();
    }

    @Test
    void otherFileOperationsOnTheSameNamesFollowThePattern() throws Exception {
        PolicySet p = PolicySet.parse("""
                <kernel> /usr/bin/app
                use_profile 1

                file create /tmp/tmp.AbC123xyZ0 0600
                file write /tmp/tmp.AbC123xyZ0
                file create /tmp/tmp.Zq9Wx8Yv7U 0600
                file rename /var/log/app.log.1 /var/log/app.log.2
                file mkdir /etc/app.d/ 0755
                """, "", "");
        Patternizer.Result r = Patternizer.patternize(p, null, Set.of());
        assertThat(r.after()).isEqualTo("""
                <kernel> /usr/bin/app
                use_profile 1

                # patternize: random part AbC123xyZ0 (temporary file name); random part Zq9Wx8Yv7U (temporary file name) \
                (was: /tmp/tmp.AbC123xyZ0 /tmp/tmp.Zq9Wx8Yv7U)
                file create /tmp/tmp.\\* 0600
                file write /tmp/tmp.\\*
                # patternize: numbered name (1) differs between runs; numbered name (2) differs between runs \
                (was: /var/log/app.log.1 /var/log/app.log.2)
                file rename /var/log/app.log.\\$ /var/log/app.log.\\$
                file mkdir /etc/app.d/ 0755
                """);
    }

    @Test
    void noSuggestionMeansNoDiff() throws Exception {
        PolicySet p = PolicySet.parse("<kernel>\nuse_profile 0\n\nfile read /etc/hostname\n", "", "");
        Patternizer.Result r = Patternizer.patternize(p, null, Set.of());
        assertThat(r.suggestions()).isEmpty();
        assertThat(r.diff("a", "b")).isEmpty();
        assertThat(r.after()).isEqualTo(r.before());
    }

    @Test
    void diffOfSeparateChangesHasSeparateHunksApplicableByLineNumbers() {
        StringBuilder a = new StringBuilder("<kernel>\n");
        for (int i = 0; i < 30; i++) {
            a.append("line ").append(i).append('\n');
        }
        String b = a.toString().replace("line 3\n", "line three\n").replace("line 25\n", "").replace("line 29\n",
                "line 29\nline 30\n");
        String d = UnifiedDiff.diff("a", "b", a.toString(), b, 3);
        assertThat(d).isEqualTo("""
                --- a
                +++ b
                @@ -2,7 +2,7 @@ <kernel>
                 line 0
                 line 1
                 line 2
                -line 3
                +line three
                 line 4
                 line 5
                 line 6
                @@ -24,8 +24,8 @@ <kernel>
                 line 22
                 line 23
                 line 24
                -line 25
                 line 26
                 line 27
                 line 28
                 line 29
                +line 30
                """);
    }

    @Provide
    Arbitrary<String> volatilePaths() {
        Arbitrary<String> root = Arbitraries.of("/tmp/", "/var/tmp/", "/run/", "/var/log/", "/dev/shm/", "proc:/", "/proc/");
        Arbitrary<String> comp = Arbitraries.strings().withChars("abcXYZ0123456789.-_").ofMinLength(1).ofMaxLength(14)
                .filter(s -> !s.equals(".") && !s.equals(".."));
        return net.jqwik.api.Combinators.combine(root, comp.list().ofMinSize(1).ofMaxSize(3))
                .as((r, cs) -> r + String.join("/", cs));
    }

    /** Every guess matches the path it was made from, and never reaches into a fixed root. */
    @Property(tries = 2000)
    void everyGuessMatchesItsPath(@ForAll("volatilePaths") String path) {
        PathGuess.Guess g = PathGuess.guess(path);
        if (g != null) {
            assertThat(PathPattern.matches(path, g.pattern())).as(path + " -> " + g.pattern()).isTrue();
            assertThat(g.reason()).isNotBlank();
        }
    }
}
