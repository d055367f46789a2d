package dev.tomoyoctl.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 5, part K, in a real kernel and one VM boot: TOMOYO's single-path file operations
 * (unlink, getattr, rmdir, truncate, symlink, chroot, unmount) learned by `tomoyoctl learn`,
 * then enforced (the learned objects allowed, every other object EPERM with one rejected audit
 * record "file OP PATH" each), then permissive (allowed and logged).
 *
 * <p>The workload is a shell script that runs bpf/target/obj/test/tmy_net, one syscall per
 * command ("OK" or "ERR ENAME"), on the objects of one phase: /tmp/fo/u1 (unlink), g1 (getattr),
 * d1 (rmdir), t1 (truncate), l1 (symlink), jail1 (chroot), mnt1 (unmount of a tmpfs). The
 * scenario (domain &lt;kernel&gt;, profile 0) makes the objects of each phase beforehand.
 * Run with -Dvmtest.kernel=6.12 for the other kernel.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FileOperationsVmIT {
    private VmScenario vm;
    private VmScenario.Result r;
    private String w;   // the workload script's domain
    private String wn;  // the domain of tmy_net run by it

    private static final String F = "/tmp/fo";
    /** operation keyword -> object name in phase n (%d), as TOMOYO names it. */
    private static final Map<String, String> OBJECTS = new LinkedHashMap<>();

    static {
        OBJECTS.put("unlink", F + "/u%d");
        OBJECTS.put("getattr", F + "/g%d");
        OBJECTS.put("rmdir", F + "/d%d/");       // a directory's name ends in '/'
        OBJECTS.put("truncate", F + "/t%d");
        // the new link, with its target as TOMOYO learns and logs it (issue 6)
        OBJECTS.put("symlink", F + "/l%d symlink.target=\"/etc/hosts\"");
        OBJECTS.put("chroot", F + "/jail%d/");
        OBJECTS.put("unmount", F + "/mnt%d/");   // the mount point
    }

    private static final String WORKLOAD = """
            #!/bin/sh
            NET='%1$s'
            F=%2$s
            n=$1
            for c in "unlink $F/u$n" "getattr $F/g$n" "rmdir $F/d$n" "truncate $F/t$n" \\
                    "symlink /etc/hosts $F/l$n" "chroot $F/jail$n" "umount $F/mnt$n"; do
                printf '%%s: ' "$c"
                $NET $c
            done
            exit 0
            """;

    @BeforeAll
    void runScenario() throws Exception {
        vm = new VmScenario("file-operations");
        String net = vm.repo.resolve("bpf/target/obj/test/tmy_net").toString();
        Path wp = vm.script("w.sh", WORKLOAD.formatted(net, F));
        w = "<kernel> " + wp.toRealPath();
        wn = w + " " + net;
        vm.script("profile.conf", """
                PROFILE_VERSION=20150505
                0-CONFIG={ mode=disabled grant_log=no reject_log=yes }
                1-CONFIG={ mode=learning grant_log=no reject_log=yes }
                2-CONFIG={ mode=permissive grant_log=no reject_log=yes }
                3-CONFIG={ mode=enforcing grant_log=no reject_log=yes }
                """);
        vm.script("exception_policy.conf", "");
        vm.script("domain_policy.conf", "<kernel>\nuse_profile 0\n\n");
        String t = vm.repo.resolve("tomoyoctl").toString();
        var scenario = vm.script("scenario.sh", """
                #!/bin/sh
                T=%1$s
                W=%2$s
                D='%3$s'
                HERE=%4$s
                F=%5$s
                settle() { sleep 2; }
                setup() { # the objects of phase $1
                    n=$1
                    mkdir -p $F/d$n $F/jail$n $F/mnt$n
                    : > $F/u$n; : > $F/g$n; echo data > $F/t$n; rm -f $F/l$n
                    mountpoint -q $F/mnt$n || mount -t tmpfs none $F/mnt$n
                }
                mkdir -p /tmp/etc $F
                cp $HERE/profile.conf $HERE/exception_policy.conf $HERE/domain_policy.conf /tmp/etc/
                $T daemon --policy-dir /tmp/etc --log-dir /tmp/log > /tmp/daemon.log 2>&1 &
                DPID=$!
                i=0; while [ ! -S /run/tomoyoctl.sock ] && kill -0 $DPID 2>/dev/null && [ $i -lt 1800 ]; do
                    sleep 0.1; i=$((i+1)); done
                if [ ! -S /run/tomoyoctl.sock ]; then echo "@@logs@@"; cat /tmp/daemon.log; exit 1; fi
                setup 1
                echo @@learn@@
                $T learn --profile 1 -- $W 1; echo "exit=$?"
                echo @@enforce@@
                $T profile set 3 "$D" -r; echo "exit=$?"
                setup 1; setup 2
                echo @@enforce-allowed@@
                $W 1
                echo @@enforce-denied@@
                $W 2
                echo @@untouched@@
                [ -e $F/u2 ] && [ -d $F/d2 ] && [ -s $F/t2 ] && [ ! -L $F/l2 ] && mountpoint -q $F/mnt2 && echo untouched
                echo @@permissive@@
                $T profile set 2 "$D" -r; echo "exit=$?"
                setup 3
                $W 3
                echo @@policy-after@@
                $T policy show "$D" -r
                settle
                for n in 002 003; do
                    echo "@@log-$n@@"
                    cat /tmp/log/reject_$n.log 2>/dev/null
                done
                echo @@unload@@
                for n in 1 2 3; do mountpoint -q $F/mnt$n && umount $F/mnt$n; done
                $T unload; echo "exit=$?"
                echo @@logs@@
                cat /tmp/daemon.log
                """.formatted(t, wp.toRealPath(), w, vm.work, F));
        r = vm.run(scenario);
    }

    /** "LABEL: RESULT" lines of a section -> label -> result. */
    private Map<String, String> results(String section) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String l : VmScenario.lines(r.section(section))) {
            int i = l.lastIndexOf(": ");
            if (i > 0 && (l.endsWith(": OK") || l.substring(i + 2).startsWith("ERR "))) {
                m.put(l.substring(0, i), l.substring(i + 2));
            }
        }
        return m;
    }

    /** The rules of one domain that name an object under /tmp/fo, each operation on its own. */
    private static Set<String> objectRules(String policy, String domainName) {
        Set<String> out = new TreeSet<>();
        boolean in = false;
        for (String l : policy.split("\n")) {
            if (l.startsWith("<")) {
                in = l.equals(domainName);
            } else if (in && l.startsWith("file ")) {
                String[] p = l.split(" ");
                if (p.length >= 3 && p[2].startsWith(F + "/")) {
                    for (String op : p[1].split("/")) {
                        // the name and any condition behind it (a symlink's symlink.target)
                        out.add("file " + op + " " + String.join(" ", java.util.Arrays.copyOfRange(p, 2, p.length)));
                    }
                }
            }
        }
        return out;
    }

    private Set<String> expected(int phase) {
        Set<String> s = new TreeSet<>();
        OBJECTS.forEach((op, obj) -> s.add("file " + op + " " + obj.formatted(phase)));
        return s;
    }

    /** Audit records (header, domain, rule) of one profile's reject log. */
    private List<String[]> log(String profile) {
        List<String> lines = VmScenario.lines(r.section("log-" + profile));
        List<String[]> out = new ArrayList<>();
        assertThat(lines.size() % 3).as(r.section("log-" + profile)).isZero();
        for (int i = 0; i + 2 < lines.size(); i += 3) {
            assertThat(lines.get(i)).as(r.section("log-" + profile)).startsWith("#");
            out.add(new String[] {lines.get(i), lines.get(i + 1), lines.get(i + 2)});
        }
        return out;
    }

    private List<String> rulesLogged(String profile, String domain) {
        List<String> out = new ArrayList<>();
        for (String[] rec : log(profile)) {
            if (rec[1].equals(domain) && rec[2].startsWith("file ") && rec[2].contains(" " + F + "/")) {
                out.add(rec[2]);
            }
        }
        return out;
    }

    @Test
    void learningRecordsEachOperationUnderTomoyosName() {
        String learned = r.section("learn");
        assertThat(learned).as(r.output()).contains("exit=0");
        Map<String, String> res = results("learn");
        assertThat(res).as(learned).hasSize(7);
        res.forEach((k, v) -> assertThat(v).as(k + "\n" + r.output()).isEqualTo("OK"));
        assertThat(objectRules(learned, wn)).as(learned).containsExactlyInAnyOrderElementsOf(expected(1));
        assertThat(objectRules(learned, w)).as("the script itself touches no object").isEmpty();
    }

    @Test
    void enforcingAllowsTheLearnedObjects() {
        assertThat(r.section("enforce")).as(r.output()).contains("exit=0");
        Map<String, String> res = results("enforce-allowed");
        assertThat(res).as(r.section("enforce-allowed")).hasSize(7);
        res.forEach((k, v) -> assertThat(v).as(k + "\n" + r.output()).isEqualTo("OK"));
    }

    @Test
    void enforcingDeniesEveryOtherObjectWithEpermAndOneRecordEach() {
        Map<String, String> res = results("enforce-denied");
        assertThat(res).as(r.section("enforce-denied")).hasSize(7);
        res.forEach((k, v) -> assertThat(v).as(k + "\n" + r.output()).isEqualTo("ERR EPERM"));
        assertThat(r.section("untouched")).as(r.output()).contains("untouched");
        List<String> logged = rulesLogged("003", wn);
        assertThat(logged).as(r.section("log-003")).containsExactlyElementsOf(
                OBJECTS.entrySet().stream().map(e -> "file " + e.getKey() + " " + e.getValue().formatted(2)).toList());
        for (String[] rec : log("003")) {
            if (rec[1].equals(wn)) {
                assertThat(rec[0]).contains(" profile=3 mode=enforcing granted=no ");
            }
        }
    }

    @Test
    void permissiveAllowsAndLogs() {
        assertThat(r.section("permissive")).as(r.output()).contains("exit=0");
        Map<String, String> res = results("permissive");
        assertThat(res).as(r.section("permissive")).hasSize(7);
        res.forEach((k, v) -> assertThat(v).as(k + "\n" + r.output()).isEqualTo("OK"));
        assertThat(rulesLogged("002", wn)).as(r.section("log-002")).containsExactlyElementsOf(
                OBJECTS.entrySet().stream().map(e -> "file " + e.getKey() + " " + e.getValue().formatted(3)).toList());
    }

    @Test
    void enforcementLearnedNothingNew() {
        assertThat(objectRules(r.section("policy-after"), wn)).as(r.section("policy-after"))
                .containsExactlyInAnyOrderElementsOf(expected(1));
    }

    @Test
    void unloadSucceeds() {
        assertThat(r.section("unload")).as(r.output()).contains("exit=0");
    }
}
