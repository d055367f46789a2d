package dev.tomoyoctl.peer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tomoyoctl.vmtest.VmRun;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Fidelity against the kernel's own TOMOYO for the file operations with a number or a second
 * path (issue 5): one boot with TOMOYO and BPF-LSM both active, one run of a workload both learn
 * at the same time (TOMOYO at profile 1 through its policy interface, tomoyoctl through
 * {@code tomoyoctl learn}). The create/mkdir/mkfifo/mksock/mkchar/mkblock/chmod/chown/chgrp/
 * ioctl/link/rename/pivot_root lines they learn must be identical word for word: the numbers'
 * radix (octal modes, "0x" upper-case ioctl commands, decimal ids, mknod's device numbers
 * decoded as TOMOYO decodes them), directory names with '/', RENAME_EXCHANGE checked both ways.
 */
class TomoyoFileOps2PeerVmIT {
    private static final String SCENARIO = """
            set -u
            T="$REPO/tomoyoctl"
            NET="$REPO/bpf/target/obj/test/tmy_net"
            F=/tmp/fo2peer
            W=/tmp/fo2peer-w.sh
            mkdir -p $F /tmp/fo2peer-etc
            cat > $W <<EOS
            #!/bin/sh
            F=$F
            for c in "create \\$F/c 0640" "ocreat \\$F/oc 0600" "mkdir \\$F/k 0750" "mkfifo \\$F/ff 0644" \\\\
                    "mksock \\$F/so 0755" "mkchar \\$F/ch 0644 1 3" "mkblock \\$F/bl 0660 7 300" "chmod \\$F/m 0604" \\\\
                    "chown \\$F/o 1000 -1" "chown \\$F/o -1 1001" "ioctl /dev/null 0x541B" "link \\$F/src \\$F/ln" \\\\
                    "rename \\$F/rn \\$F/rn.new" "exchange \\$F/xa \\$F/xb" "mkdir \\$F/kd 0755" \\\\
                    "rename \\$F/kd \\$F/kd.new" "pivot_root \\$F/pr \\$F/pr/old"; do
                printf '%s: ' "\\$c"
                $NET \\$c < /dev/null
            done
            exit 0
            EOS
            chmod 755 $W
            : > $F/m; chmod 600 $F/m; : > $F/o; : > $F/src; : > $F/rn; : > $F/xa; : > $F/xb
            mkdir -p $F/pr; mount -t tmpfs none $F/pr; mkdir -p $F/pr/old
            echo "initialize_domain $W from any" | tomoyo-loadpolicy -e
            printf '<kernel> %s\\nuse_profile 1\\n' "$W" | tomoyo-loadpolicy -d
            cat /sys/kernel/security/tomoyo/profile > /tmp/fo2peer-etc/profile.conf
            echo "initialize_domain $W from any" > /tmp/fo2peer-etc/exception_policy.conf
            printf '<kernel>\\nuse_profile 0\\n' > /tmp/fo2peer-etc/domain_policy.conf
            "$T" daemon --policy-dir /tmp/fo2peer-etc --log-dir /tmp/fo2peer-log > /tmp/fo2peer-daemon.log 2>&1 &
            for _ in $(seq 900); do "$T" status > /dev/null 2>&1 && break; sleep 0.1; done
            echo @@ours@@
            "$T" learn -- $W || { echo "learn failed"; cat /tmp/fo2peer-daemon.log; }
            echo @@tomoyo@@
            cat /sys/kernel/security/tomoyo/domain_policy
            echo @@end@@
            umount $F/pr
            """;

    private static final Set<String> OPS = Set.of("create", "mkdir", "mkfifo", "mksock", "mkchar", "mkblock",
            "chmod", "chown", "chgrp", "ioctl", "link", "rename", "pivot_root");

    /** "DOMAIN\tfile OP REST" of each operation above in the domains under root, one op per line. */
    static Set<String> rules(String policy, String root) {
        Set<String> out = new TreeSet<>();
        String domain = null;
        for (String line : policy.split("\n")) {
            if (line.startsWith("<")) {
                domain = line.equals(root) || line.startsWith(root + " ") ? line : null;
            } else if (domain != null && line.startsWith("file ")) {
                String[] p = line.split(" ", 3);
                for (String op : p[1].split("/")) {
                    if (OPS.contains(op) && p.length == 3 && (p[2].startsWith("/tmp/fo2peer/")
                            || p[2].startsWith("/dev/null "))) {
                        out.add(domain + "\tfile " + op + " " + p[2]);
                    }
                }
            }
        }
        return out;
    }

    @Test
    void tomoyoctlLearnsTheSameLinesAsTheKernelsTomoyo() throws Exception {
        var r = VmRun.vm().withTomoyo().env("REPO", VmRun.repo().toString()).run("bash", "-c", SCENARIO);
        String out = r.stdout();
        assertThat(r.exitCode()).as(out).isZero();
        String ours = out.substring(out.indexOf("@@ours@@"), out.indexOf("@@tomoyo@@"));
        String theirs = out.substring(out.indexOf("@@tomoyo@@"), out.indexOf("@@end@@"));
        String root = "<kernel> /tmp/fo2peer-w.sh";
        Set<String> tomoyo = rules(theirs, root);
        Set<String> tomoyoctl = rules(ours, root);
        String net = root + " " + VmRun.repo().resolve("bpf/target/obj/test/tmy_net");
        assertThat(tomoyo).as(theirs).contains(net + "\tfile create /tmp/fo2peer/c 0640",
                net + "\tfile mkblock /tmp/fo2peer/bl 0660 7 300", net + "\tfile ioctl /dev/null 0x541B",
                net + "\tfile rename /tmp/fo2peer/kd/ /tmp/fo2peer/kd.new/",
                net + "\tfile pivot_root /tmp/fo2peer/pr/ /tmp/fo2peer/pr/old/").hasSize(18);
        assertThat(tomoyoctl).as("tomoyoctl's lines vs TOMOYO's\n" + out).isEqualTo(tomoyo);
    }
}
