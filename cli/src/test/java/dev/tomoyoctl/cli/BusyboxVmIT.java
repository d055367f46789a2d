package dev.tomoyoctl.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 6 end to end in a real kernel and one VM boot: programs are named as TOMOYO names them,
 * after the path as executed with the last symlink not followed. A copy of Debian's
 * busybox-static with applet symlinks (/tmp/bbx/bin/cat -> ../busybox, ...) is learned with
 * `tomoyoctl learn`: every applet gets its own domain named after its link, whether it is run
 * by absolute path, as ./ls, as bin/echo or through a symlinked directory (/tmp/bbl -> /tmp/bbx),
 * and /bin/sh is "/usr/bin/sh" (usr-merge: /bin -> usr/bin; sh -> dash not followed). Then the
 * enforcing policy allows the cat applet's read of /etc/hostname and refuses the same read from
 * the sh applet's domain (EPERM, exactly one rejected audit record). busybox's own sh runs only
 * builtins here: its applets could otherwise re-exec /proc/self/exe. An {@code aggregator} line
 * naming an applet's link (/tmp/bbx/bin/printf) folds that applet into the aggregated name.
 * Run with -Dvmtest.kernel=6.12 for the other kernel.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BusyboxVmIT {
    private static final String B = "/tmp/bbx";
    private VmScenario vm;
    private VmScenario.Result r;
    private String w; // the workload's domain

    private static final String WORKLOAD = """
            #!/bin/sh
            export LC_ALL=C
            B=%1$s
            $B/bin/cat /etc/hostname > /dev/null
            $B/bin/sh -c 'echo sh-applet > /dev/null'
            if [ "$1" = shread ]; then
                $B/bin/sh -c 'read x < /etc/hostname && echo sh-read-ok'
            fi
            (cd $B/bin && ./ls / > /dev/null)
            (cd $B && bin/echo relative > /dev/null)
            /tmp/bbl/bin/true
            /bin/sh -c 'exit 0'
            $B/bin/printf x > /dev/null
            exit 0
            """;

    @BeforeAll
    void runScenario() throws Exception {
        vm = new VmScenario("busybox");
        Path wp = vm.script("w.sh", WORKLOAD.formatted(B));
        w = "<kernel> " + wp.toRealPath();
        vm.script("profile.conf", """
                PROFILE_VERSION=20150505
                0-CONFIG={ mode=disabled grant_log=no reject_log=yes }
                1-CONFIG={ mode=learning grant_log=no reject_log=yes }
                2-CONFIG={ mode=permissive grant_log=no reject_log=yes }
                3-CONFIG={ mode=enforcing grant_log=no reject_log=yes }
                """);
        // exception policy by an applet's link name
        vm.script("exception_policy.conf", "aggregator " + B + "/bin/printf /usr/bin/bb-printf\n");
        vm.script("domain_policy.conf", "<kernel>\nuse_profile 0\n\n");
        String t = vm.repo.resolve("tomoyoctl").toString();
        var scenario = vm.script("scenario.sh", """
                #!/bin/sh
                T=%1$s
                W=%2$s
                D='%3$s'
                HERE=%4$s
                B=%5$s
                mkdir -p $B/bin /tmp/etc
                cp /bin/busybox $B/busybox
                for a in cat sh ls echo true printf; do ln -s ../busybox $B/bin/$a; done
                ln -s $B /tmp/bbl
                cp $HERE/profile.conf $HERE/exception_policy.conf $HERE/domain_policy.conf /tmp/etc/
                $T daemon --policy-dir /tmp/etc --log-dir /tmp/log > /tmp/daemon.log 2>&1 &
                DPID=$!
                i=0; while [ ! -S /run/tomoyoctl.sock ] && kill -0 $DPID 2>/dev/null && [ $i -lt 1800 ]; do
                    sleep 0.1; i=$((i+1)); done
                if [ ! -S /run/tomoyoctl.sock ]; then echo "@@logs@@"; cat /tmp/daemon.log; exit 1; fi
                echo @@learn@@
                $T learn -- $W; echo "exit=$?"
                echo @@domains@@
                $T domains --flat
                echo @@policy@@
                $T policy show "$D" -r
                echo @@enforce@@
                $T profile set 3 "$D" -r; echo "exit=$?"
                echo @@run@@
                $W 2>&1; echo "exit=$?"
                echo @@shread@@
                $W shread 2>&1; echo "exit=$?"
                sleep 1
                echo @@audit@@
                $T audit --json
                echo @@unload@@
                $T unload; echo "exit=$?"
                echo @@logs@@
                cat /tmp/daemon.log
                """.formatted(t, wp.toRealPath(), w, vm.work, B));
        r = vm.run(scenario);
    }

    /** A domain's "file ..." lines from TOMOYO domain-policy text. */
    private static List<String> rules(String policy, String domainName) {
        List<String> out = new ArrayList<>();
        boolean in = false;
        for (String l : policy.split("\n")) {
            if (l.startsWith("<")) {
                in = l.equals(domainName);
            } else if (in && l.startsWith("file ")) {
                out.add(l);
            }
        }
        return out;
    }

    @Test
    void everyAppletGetsADomainNamedAfterItsLinkHoweverItIsRun() {
        assertThat(r.section("learn")).as(r.output()).contains("exit=0");
        List<String> mine = new ArrayList<>();
        for (String d : VmScenario.lines(r.section("domains"))) {
            if (d.startsWith(w)) {
                mine.add(d);
            }
        }
        assertThat(mine).as(r.output()).containsExactlyInAnyOrder(w,
                w + " " + B + "/bin/cat",    // absolute path of the applet's link
                w + " " + B + "/bin/sh",
                w + " " + B + "/bin/ls",     // ./ls from /tmp/bbx/bin
                w + " " + B + "/bin/echo",   // bin/echo from /tmp/bbx
                w + " " + B + "/bin/true",   // /tmp/bbl/bin/true: the directory link resolved
                w + " /usr/bin/sh",          // /bin/sh: /bin resolved, sh -> dash not followed
                w + " /usr/bin/bb-printf");  // aggregator /tmp/bbx/bin/printf /usr/bin/bb-printf
    }

    @Test
    void theParentLearnsToExecuteTheLinksNotBusybox() {
        String policy = r.section("policy");
        List<String> parent = rules(policy, w);
        for (String prog : List.of(B + "/bin/cat", B + "/bin/sh", B + "/bin/ls", B + "/bin/echo", B + "/bin/true",
                "/usr/bin/sh", "/usr/bin/bb-printf")) {
            // learned as TOMOYO learns it: exec.realpath is busybox itself (issue 6)
            String real = prog.equals("/usr/bin/sh") ? "/usr/bin/dash" : B + "/busybox";
            assertThat(parent).as(policy).anyMatch(l -> l.matches("file execute " + java.util.regex.Pattern.quote(prog)
                    + " exec\\.realpath=\"" + java.util.regex.Pattern.quote(real) + "\" exec\\.argv\\[0\\]=\"\\S+\""));
        }
        assertThat(policy).as(policy).doesNotContain("file execute " + B + "/busybox")
                .doesNotContain(w + " " + B + "/busybox").doesNotContain(w + " /usr/bin/dash\n");
        // the script's interpreter is still read under its real name, as TOMOYO checks it
        assertThat(parent).as(policy).anyMatch(l -> l.matches("file read(/\\S+)? /usr/bin/dash"));
        assertThat(rules(policy, w + " " + B + "/bin/cat")).as(policy)
                .anyMatch(l -> l.matches("file read(/\\S+)? /etc/hostname"));
    }

    @Test
    void theCatAppletMayReadWhatTheShAppletMayNot() {
        assertThat(r.section("enforce")).as(r.output()).contains("exit=0");
        assertThat(r.section("run")).as(r.output()).isEqualTo("exit=0\n");
        String s = r.section("shread");
        assertThat(s).as(r.output()).contains("Operation not permitted").doesNotContain("sh-read-ok").contains("exit=0");
        List<String> rejected = new ArrayList<>();
        for (String rec : VmScenario.lines(r.section("audit"))) {
            if (rec.contains("\"granted\":false")) {
                rejected.add(rec);
            }
        }
        assertThat(rejected).as(r.output()).hasSize(1);
        assertThat(rejected.get(0)).contains("\"domain\":\"" + w + " " + B + "/bin/sh\"")
                .contains("\"operation\":\"file read\"").contains("\"path\":\"/etc/hostname\"")
                .contains("\"mode\":\"enforcing\"");
    }

    @Test
    void theDaemonLoggedNoWarnings() {
        assertThat(r.section("unload")).as(r.output()).contains("exit=0");
        assertThat(r.section("logs")).as(r.output()).doesNotContain("WARNING").doesNotContain("Exception");
        assertThat(r.exit()).isZero();
    }
}
