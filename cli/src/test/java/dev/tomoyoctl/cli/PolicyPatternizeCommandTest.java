package dev.tomoyoctl.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** tomoyoctl policy patternize: the diff to review, --apply, --compare, errors. */
class PolicyPatternizeCommandTest {
    @TempDir
    Path tmp;

    static final String PROFILES = "PROFILE_VERSION=20150505\n0-CONFIG={ mode=disabled }\n1-CONFIG={ mode=learning }\n";

    static final String LEARNED = """
            <kernel>
            use_profile 0

            <kernel> /usr/bin/app
            use_profile 1

            file read /etc/app.conf
            file read proc:/4711/stat
            file read/write /tmp/tmp.AbC123xyZ0
            file read /srv/app/cache/obj-9f3a2c
            file read /srv/app/state

            """;

    private Path policy(String name, String domains) throws Exception {
        Path d = tmp.resolve(name);
        Files.createDirectories(d);
        Files.writeString(d.resolve("domain_policy.conf"), domains);
        Files.writeString(d.resolve("profile.conf"), PROFILES);
        Files.writeString(d.resolve("domain_policy.tomoyo18.conf"), "<kernel> /usr/bin/app\ncapability net_bind_service\n");
        return d;
    }

    @Test
    void showsAReviewableDiffWithReasonsAndChangesNothing() throws Exception {
        Path d = policy("etc", LEARNED);
        Cli r = Cli.run("policy", "patternize", "--policy-dir", d.toString());
        assertThat(r.exit()).as(r.toString()).isEqualTo(1);
        Path f = d.resolve("domain_policy.conf");
        assertThat(r.out()).startsWith("--- " + f + "\n+++ " + f + " (patternized)\n@@ -5,")
                .contains("@@ <kernel> /usr/bin/app\n")
                .contains("\n-file read proc:/4711/stat\n")
                .contains("\n+# patternize: process id 4711 differs in every run")
                .contains("\n+file read proc:/\\$/stat\n")
                .contains("\n+file read/write /tmp/tmp.\\*\n")
                .contains("\n file read /etc/app.conf\n")
                .doesNotContain("+file read /srv/app/cache/obj-\\X") // not volatile: needs two runs to tell
                .contains("2 patterns for 2 rules; not applied (review the diff, then run again with --apply)\n");
        assertThat(Files.readString(f)).isEqualTo(LEARNED);
    }

    @Test
    void applyWritesThePolicyKeepsTheSideFileAndThenHasNothingLeft() throws Exception {
        Path d = policy("etc", LEARNED);
        Path sock = Files.createFile(tmp.resolve("fake.sock"));
        Cli r = Cli.run("policy", "patternize", "--apply", "--policy-dir", d.toString(), "--socket", sock.toString());
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("applied: 2 patterns for 2 rules in " + d)
                .contains("note: a daemon is running (" + sock + "): run 'tomoyoctl policy load' now");
        String saved = Files.readString(d.resolve("domain_policy.conf"));
        assertThat(saved).contains("file read proc:/\\$/stat\n").contains("file read/write /tmp/tmp.\\*\n")
                .doesNotContain("file read proc:/4711").contains("# patternize: ");
        assertThat(Files.readString(d.resolve("domain_policy.tomoyo18.conf"))).contains("capability net_bind_service");
        Cli again = Cli.run("policy", "patternize", "--policy-dir", d.toString());
        assertThat(again.exit()).as(again.toString()).isZero();
        assertThat(again.out()).isEqualTo("nothing to patternize in " + d.resolve("domain_policy.conf") + "\n");
        // The kernel matches patterns (the domain's automaton): check has nothing to say about
        // them, and patternize did not warn.
        Cli check = Cli.run("policy", "check", d.toString());
        assertThat(check.out()).as(check.toString()).doesNotContain("pattern proc:/\\$/stat");
        assertThat(r.out()).doesNotContain("not enforced by the kernel side yet");
        // The comment lines keep the file acceptable to TOMOYO's own checker.
        Path checkpolicy = Path.of("/usr/sbin/tomoyo-checkpolicy");
        if (Files.isExecutable(checkpolicy)) {
            Process p = new ProcessBuilder(checkpolicy.toString(), "d").redirectInput(d.resolve("domain_policy.conf").toFile())
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(out).containsPattern(" 0 Errors? ").doesNotContain("ERROR");
        }
    }

    @Test
    void compareLearnsPatternsFromNamesThatDifferBetweenTwoRuns() throws Exception {
        Path d = policy("run1", LEARNED);
        Path o = policy("run2", LEARNED.replace("obj-9f3a2c", "obj-17be04").replace("/etc/app.conf", "/etc/other.conf"));
        Cli r = Cli.run("policy", "patternize", "--policy-dir", d.toString(), "--compare", o.toString(),
                "--domain", "<kernel> /usr/bin/app");
        assertThat(r.exit()).as(r.toString()).isEqualTo(1);
        assertThat(r.out()).contains("\n+file read /srv/app/cache/obj-\\X\n")
                .contains("differs between the two learning runs (a hex id: 9f3a2c here, 17be04 in the other run)")
                .doesNotContain("+file read /etc/").contains("3 patterns for 3 rules");
    }

    @Test
    void errorsExit2() throws Exception {
        Cli none = Cli.run("policy", "patternize", "--policy-dir", tmp.resolve("nope").toString());
        assertThat(none.exit()).isEqualTo(2);
        assertThat(none.err()).contains("not a policy directory");
        Path d = policy("etc", LEARNED);
        Cli dom = Cli.run("policy", "patternize", "--policy-dir", d.toString(), "--domain", "<kernel> /nope");
        assertThat(dom.exit()).isEqualTo(2);
        assertThat(dom.err()).contains("no domain '<kernel> /nope'");
        Files.writeString(d.resolve("domain_policy.conf"), "<kernel>\nfile raed /x\n");
        Cli bad = Cli.run("policy", "patternize", "--policy-dir", d.toString());
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains(d.resolve("domain_policy.conf") + ":2: ").contains("nothing patternized");
    }
}
