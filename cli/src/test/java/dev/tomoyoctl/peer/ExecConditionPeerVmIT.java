package dev.tomoyoctl.peer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tomoyoctl.vmtest.VmRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Issue 6 (and 5): {@code exec.realpath}, {@code exec.argv[0]} and {@code symlink.target} in real
 * kernels, one boot with the kernel's TOMOYO and ours side by side, the same workload in a domain
 * of each.
 *
 * <p>Learning: every exec is learned as TOMOYO learns it ({@code file execute /usr/bin/sh
 * exec.realpath="/usr/bin/dash" exec.argv[0]="/bin/sh"}), a symlink with its target; both sides
 * must learn the same lines, word for word. Enforcing the learned policy (plus a few rules written
 * by hand: an argv[0]-only condition, a path_group of real paths, a condition that never holds):
 * the execs as learned pass, the same program under another argv[0] is refused, a link whose
 * target changed since learning is refused, a symlink to another target is refused; both sides
 * give the answers written here, and ours logs each refusal with its condition.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExecConditionPeerVmIT {
    static final String D = "/tmp/xc";

    /** The enforcing run's cases: name -> expected answer. */
    static final Map<String, String> ENFORCE = new LinkedHashMap<>();
    /** After the link was re-pointed and the old symlink removed. */
    static final Map<String, String> ENFORCE2 = new LinkedHashMap<>();

    static {
        ENFORCE.put("sh-abs", "OK");       // learned: /usr/bin/sh, realpath dash, argv[0] /bin/sh
        ENFORCE.put("sh-path", "OK");      // learned: argv[0] sh
        ENFORCE.put("sh-other", "EPERM");  // the same program under an argv[0] never learned
        ENFORCE.put("true-a", "OK");       // learned: argv[0] "whatever"
        ENFORCE.put("true-b", "EPERM");
        ENFORCE.put("link", "OK");         // learned: named after the link, realpath /usr/bin/true
        ENFORCE.put("id-myid", "OK");      // by hand: file execute /usr/bin/id exec.argv[0]="myid"
        ENFORCE.put("id-plain", "EPERM");
        ENFORCE.put("grp", "OK");          // by hand: exec.realpath=@TRUES, any argv[0]
        ENFORCE.put("grp-a", "OK");
        ENFORCE.put("never", "EPERM");     // by hand: exec.realpath!="/usr/bin/false" on false itself
        ENFORCE.put("symlink", "OK");      // learned: symlink.target="/etc/hostname"
        ENFORCE2.put("link-swapped", "EPERM"); // the link now points at /usr/bin/false
        ENFORCE2.put("symlink-other", "EPERM"); // the same link name to /etc/passwd
    }

    static final String WORKLOAD = """
            #!/bin/bash
            # w.sh DIR MODE: "NAME: OK" or "NAME: ERR <message>" per case
            DIR=$1
            t() { local n=$1; shift; if e=$( ("$@") 2>&1 >/dev/null ); then echo "$n: OK"; else echo "$n: ERR $e"; fi; }
            case $2 in
            learn)
                t sh-abs /bin/sh -c true
                t sh-path sh -c true
                t true-a exec -a whatever /usr/bin/true
                t link %1$s/mytrue
                t symlink ln -s /etc/hostname "$DIR/sl" ;;
            enforce)
                t sh-abs /bin/sh -c true
                t sh-path sh -c true
                t sh-other exec -a other-sh /bin/sh -c true
                t true-a exec -a whatever /usr/bin/true
                t true-b exec -a different /usr/bin/true
                t link %1$s/mytrue
                t id-myid exec -a myid /usr/bin/id
                t id-plain /usr/bin/id
                t grp %1$s/mytrue2
                t grp-a exec -a zzz %1$s/mytrue2
                t never /usr/bin/false
                t symlink ln -s /etc/hostname "$DIR/sl" ;;
            enforce2)
                t link-swapped %1$s/mytrue
                t symlink-other ln -s /etc/passwd "$DIR/sl" ;;
            esac
            echo done
            """.formatted(D);

    /** Written by hand into the workload's domain of both policies before anything runs. */
    static final String HAND_RULES = """
            file execute /usr/bin/id exec.argv[0]="myid"
            file execute %1$s/mytrue2 exec.realpath=@TRUES
            file execute /usr/bin/false exec.realpath!="/usr/bin/false"
            """.formatted(D);

    /** The domains those programs go to, disabled so that they run once their exec is allowed. */
    static final String HAND_DOMAINS = """
            <kernel> W /usr/bin/id
            use_profile 0

            <kernel> W %1$s/mytrue2
            use_profile 0

            """.formatted(D);

    private String out;

    @BeforeAll
    void run() throws Exception {
        Path work = Files.createDirectories(VmRun.repo().resolve("cli/target/exec-condition-peer"));
        Files.writeString(work.resolve("w.sh"), WORKLOAD);
        Files.writeString(work.resolve("rules.txt"), HAND_RULES);
        Files.writeString(work.resolve("groups.txt"), "path_group TRUES /usr/bin/true\n");
        Files.writeString(work.resolve("domains-tomoyo.txt"), HAND_DOMAINS.replace("<kernel> W ", "<kernel> /tmp/xcw/tomoyo.sh "));
        Files.writeString(work.resolve("domains-ours.txt"), HAND_DOMAINS.replace("<kernel> W ", "<kernel> /tmp/xcw/ours.sh "));
        String scenario = """
                set -u
                T="$REPO/tomoyoctl"
                WORK=%1$s
                D=%2$s
                mkdir -p /tmp/xcw/etc $D && mount -t tmpfs -o mode=0755 none $D
                mkdir $D/t $D/o
                ln -s /usr/bin/true $D/mytrue; ln -s /usr/bin/true $D/mytrue2
                cp $WORK/w.sh /tmp/xcw/ours.sh; cp $WORK/w.sh /tmp/xcw/tomoyo.sh; chmod 755 /tmp/xcw/*.sh
                OURS=/tmp/xcw/ours.sh; THEIRS=/tmp/xcw/tomoyo.sh
                # the kernel's TOMOYO: the workload's domain learning (profile 1), hand rules in it
                { cat $WORK/groups.txt; echo "initialize_domain $THEIRS from any"; } | tomoyo-loadpolicy -e
                { printf '<kernel> %%s\\nuse_profile 1\\n' "$THEIRS"; cat $WORK/rules.txt; echo; cat $WORK/domains-tomoyo.txt; } | tomoyo-loadpolicy -d
                # ours: the same
                cat /sys/kernel/security/tomoyo/profile > /tmp/xcw/etc/profile.conf
                { cat $WORK/groups.txt; echo "initialize_domain $OURS from any"; } > /tmp/xcw/etc/exception_policy.conf
                { printf '<kernel>\\nuse_profile 0\\n\\n<kernel> %%s\\nuse_profile 1\\n\\n' "$OURS"; cat $WORK/rules.txt; echo; cat $WORK/domains-ours.txt; } \\
                    > /tmp/xcw/etc/domain_policy.conf
                "$T" daemon --policy-dir /tmp/xcw/etc --log-dir /tmp/xcw/log > /tmp/xcw/daemon.log 2>&1 &
                for _ in $(seq 1800); do [ -S /run/tomoyoctl.sock ] && "$T" status > /dev/null 2>&1 && break; sleep 0.1; done
                echo "@@check@@"
                "$T" policy check /tmp/xcw/etc; echo "exit=$?"
                echo "@@learn-tomoyo@@"; $THEIRS $D/t learn
                echo "@@learn-ours@@"; $OURS $D/o learn
                sleep 2
                echo "@@policy-tomoyo@@"
                cat /sys/kernel/security/tomoyo/domain_policy
                echo "@@policy-ours@@"
                "$T" policy show "<kernel> $OURS"; "$T" policy show "<kernel> $OURS /usr/bin/ln"
                # enforcing, the whole subtree of the workload's domain
                rm -f $D/t/sl $D/o/sl
                printf '<kernel> %%s\nuse_profile 3\n<kernel> %%s /usr/bin/ln\nuse_profile 3\n' "$THEIRS" "$THEIRS" | tomoyo-loadpolicy -d
                "$T" profile set 3 "<kernel> $OURS"; echo "exit=$?"
                "$T" profile set 3 "<kernel> $OURS /usr/bin/ln"; echo "exit=$?"
                echo "@@enforce-tomoyo@@"; $THEIRS $D/t enforce
                echo "@@enforce-ours@@"; $OURS $D/o enforce
                rm -f $D/t/sl $D/o/sl; ln -sfn /usr/bin/false $D/mytrue
                echo "@@enforce2-tomoyo@@"; $THEIRS $D/t enforce2
                echo "@@enforce2-ours@@"; $OURS $D/o enforce2
                sleep 2
                echo "@@rejects@@"
                cat /tmp/xcw/log/reject_003.log
                echo "@@unload@@"
                "$T" unload; echo "exit=$?"
                echo "@@daemon@@"
                cat /tmp/xcw/daemon.log
                echo "@@end@@"
                """.formatted(work, D);
        var res = VmRun.vm().withTomoyo().timeoutSeconds(1200).env("REPO", VmRun.repo().toString())
                .run("bash", "-c", scenario);
        out = res.stdout();
        assertThat(res.exitCode()).as(out + res.stderr()).isZero();
    }

    private String section(String name) {
        return PeerOutput.section(out, name);
    }

    private Map<String, String> results(String section) {
        return PeerOutput.results(section(section), c -> ENFORCE.containsKey(c) || ENFORCE2.containsKey(c));
    }

    /**
     * The execute and symlink lines of the workload's domain and of its ln child, the side's own
     * script and directory replaced by W and DIR.
     */
    static Set<String> learned(String policy, String script, String dir) {
        Set<String> rules = new TreeSet<>();
        String domain = null;
        for (String line : policy.split("\n")) {
            if (line.startsWith("<kernel>")) {
                domain = line.equals("<kernel> " + script) ? "W"
                        : line.equals("<kernel> " + script + " /usr/bin/ln") ? "W ln" : null;
            } else if (domain != null && (line.startsWith("file execute ") || line.startsWith("file symlink "))) {
                rules.add(domain + ": " + line.replace(dir + "/", "DIR/"));
            }
        }
        return rules;
    }

    @Test
    void ourPolicyCompilesTheHandWrittenConditions() {
        assertThat(section("check")).as(out).doesNotContain("not enforced").contains("exit=0");
    }

    @Test
    void bothLearnTheSameExecAndSymlinkLinesAsTomoyoWritesThem() {
        assertThat(results("learn-tomoyo")).as(out).containsOnlyKeys("sh-abs", "sh-path", "true-a", "link", "symlink")
                .allSatisfy((k, v) -> assertThat(v).isEqualTo("OK"));
        assertThat(results("learn-ours")).as(out).isEqualTo(results("learn-tomoyo"));
        Set<String> theirs = learned(section("policy-tomoyo"), "/tmp/xcw/tomoyo.sh", D + "/t");
        Set<String> ours = learned(section("policy-ours"), "/tmp/xcw/ours.sh", D + "/o");
        // what TOMOYO learns, written out: every exec with its real path and argv[0], the link's target
        assertThat(theirs).as(section("policy-tomoyo")).containsAll(List.of(
                "W: file execute /usr/bin/sh exec.realpath=\"/usr/bin/dash\" exec.argv[0]=\"/bin/sh\"",
                "W: file execute /usr/bin/sh exec.realpath=\"/usr/bin/dash\" exec.argv[0]=\"sh\"",
                "W: file execute /usr/bin/true exec.realpath=\"/usr/bin/true\" exec.argv[0]=\"whatever\"",
                "W: file execute " + D + "/mytrue exec.realpath=\"/usr/bin/true\" exec.argv[0]=\"" + D + "/mytrue\"",
                "W: file execute /usr/bin/ln exec.realpath=\"/usr/bin/ln\" exec.argv[0]=\"ln\"",
                "W ln: file symlink DIR/sl symlink.target=\"/etc/hostname\""));
        assertThat(ours).as(section("policy-ours")).isEqualTo(theirs);
    }

    @Test
    void theKernelsTomoyoGivesTheAnswersWrittenHere() {
        assertThat(results("enforce-tomoyo")).as(out).isEqualTo(new TreeMap<>(ENFORCE));
        assertThat(results("enforce2-tomoyo")).as(out).isEqualTo(new TreeMap<>(ENFORCE2));
    }

    @Test
    void ourKernelProgramsGiveTheSameAnswers() {
        assertThat(results("enforce-ours")).as(out).isEqualTo(new TreeMap<>(ENFORCE));
        assertThat(results("enforce2-ours")).as(out).isEqualTo(new TreeMap<>(ENFORCE2));
    }

    @Test
    void ourRefusalsAreLoggedWithTheExecsRealPathAndArgv0() {
        String rejects = section("rejects");
        assertThat(rejects).as(out)
                .contains("file execute /usr/bin/sh exec.realpath=\"/usr/bin/dash\" exec.argv[0]=\"other-sh\"")
                .contains("file execute /usr/bin/true exec.realpath=\"/usr/bin/true\" exec.argv[0]=\"different\"")
                .contains("file execute " + D + "/mytrue exec.realpath=\"/usr/bin/false\" exec.argv[0]=\"" + D + "/mytrue\"")
                .contains("file symlink " + D + "/o/sl symlink.target=\"/etc/passwd\"");
    }

    @Test
    void unloadSucceeds() {
        assertThat(section("unload")).as(out).contains("exit=0");
    }
}
