package dev.tomoyoctl.peer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tomoyoctl.vmtest.VmRun;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Fidelity against the kernel's own TOMOYO: one boot with both TOMOYO and BPF-LSM active, one
 * run of a workload that both learn at the same time (TOMOYO through its own policy interface,
 * tomoyoctl through {@code tomoyoctl learn}). The domains they create and the file
 * read/write/append/execute rules they learn must be the same.
 *
 * Both get the same exception policy, so transitions are compared too: {@code initialize_domain}
 * moves mkdir to a domain of its own, {@code keep_domain} keeps what dash runs in dash's domain.
 * The workload runs only programs that are not symlinks; programs reached through symlinks
 * (issue 6) are compared with TOMOYO by bpf/test/vm-links.sh and BusyboxVmIT.
 */
class TomoyoPeerVmIT {
    private static final String SCENARIO = """
            set -u
            T="$REPO/tomoyoctl"
            W=/tmp/tomoyoctl-peer/service.sh
            # Before the exception policy exists: this mkdir must not create <kernel> /usr/bin/mkdir.
            mkdir -p /tmp/tomoyoctl-peer/data /tmp/tomoyoctl-peer/etc
            cat > $W <<'EOS'
            #!/bin/sh
            export LC_ALL=C
            d=/tmp/tomoyoctl-peer/data
            /usr/bin/cat /etc/hostname > /dev/null
            echo one > $d/written
            echo two >> $d/appended
            /usr/bin/mkdir -p $d/sub
            /usr/bin/dash -c "/usr/bin/cat $d/written > /dev/null"
            /usr/bin/ls /etc > /dev/null
            exit 0
            EOS
            chmod 755 $W
            : > /tmp/tomoyoctl-peer/data/appended
            EXC="initialize_domain /usr/bin/mkdir from any
            keep_domain <kernel> $W /usr/bin/dash"
            # The peer: the same exception policy, the same root domain learning (profile 1).
            echo "$EXC" | tomoyo-loadpolicy -e
            echo "initialize_domain $W from any" | tomoyo-loadpolicy -e
            printf '<kernel> %s\\nuse_profile 1\\n' "$W" | tomoyo-loadpolicy -d
            # Ours: TOMOYO's own profiles, the same exception policy.
            cat /sys/kernel/security/tomoyo/profile > /tmp/tomoyoctl-peer/etc/profile.conf
            echo "$EXC" > /tmp/tomoyoctl-peer/etc/exception_policy.conf
            printf '<kernel>\\nuse_profile 0\\n' > /tmp/tomoyoctl-peer/etc/domain_policy.conf
            "$T" daemon --policy-dir /tmp/tomoyoctl-peer/etc --log-dir /tmp/tomoyoctl-peer/log > /tmp/tomoyoctl-peer/daemon.log 2>&1 &
            for _ in $(seq 900); do "$T" status > /dev/null 2>&1 && break; sleep 0.1; done
            echo @@ours@@
            "$T" learn -- $W || { echo "learn failed"; cat /tmp/tomoyoctl-peer/daemon.log; }
            echo @@ours-mkdir@@
            "$T" policy show "<kernel> /usr/bin/mkdir"
            echo @@tomoyo@@
            cat /sys/kernel/security/tomoyo/domain_policy
            echo @@end@@
            """;

    /** "DOMAIN\\tfile OP PATH" for every read/write/append/execute rule of the domains under the roots. */
    static Set<String> fileRules(String policy, String... roots) {
        Set<String> out = new TreeSet<>();
        String domain = null;
        Matcher m;
        Pattern rule = Pattern.compile("^file (\\S+) (\\S+)(?: .*)?$");
        for (String line : policy.split("\n")) {
            if (line.startsWith("<")) {
                String name = line;
                domain = java.util.Arrays.stream(roots).anyMatch(root -> name.equals(root) || name.startsWith(root + " ")) ? line : null;
            } else if (domain != null && (m = rule.matcher(line)).matches()) {
                for (String op : m.group(1).split("/")) {
                    if (Set.of("read", "write", "append", "execute").contains(op)) {
                        out.add(domain + "\tfile " + op + " " + m.group(2));
                    }
                }
            }
        }
        return out;
    }

    private static String ourMkdir(String out) {
        return out.substring(out.indexOf("@@ours-mkdir@@"), out.indexOf("@@tomoyo@@"));
    }

    static Set<String> domains(Set<String> rules) {
        Set<String> out = new TreeSet<>();
        rules.forEach(r -> out.add(r.substring(0, r.indexOf('\t'))));
        return out;
    }

    @Test
    void tomoyoctlLearnsTheSameDomainsAndFileRulesAsTheKernelsTomoyo() throws Exception {
        var r = VmRun.vm().withTomoyo().env("REPO", VmRun.repo().toString()).run("bash", "-c", SCENARIO);
        String out = r.stdout();
        assertThat(r.exitCode()).as(out).isZero();
        String ours = out.substring(out.indexOf("@@ours@@"), out.indexOf("@@ours-mkdir@@"));
        String theirs = out.substring(out.indexOf("@@tomoyo@@"), out.indexOf("@@end@@"));
        String root = "<kernel> /tmp/tomoyoctl-peer/service.sh";

        String mkdir = "<kernel> /usr/bin/mkdir";
        Set<String> tomoyo = fileRules(theirs, root, mkdir);
        Set<String> tomoyoctl = fileRules(ours + "\n" + ourMkdir(out), root, mkdir);
        // initialize_domain: mkdir in a root domain of its own; keep_domain: dash's cat stays in dash's domain.
        assertThat(domains(tomoyo)).as("TOMOYO learned domains").containsExactlyInAnyOrder(root, root + " /usr/bin/cat",
                root + " /usr/bin/dash", mkdir, root + " /usr/bin/ls");
        assertThat(domains(tomoyoctl)).as("tomoyoctl's domains vs TOMOYO's").isEqualTo(domains(tomoyo));
        assertThat(tomoyoctl).as("tomoyoctl's rules vs TOMOYO's").isEqualTo(tomoyo);
    }
}
