package dev.tomoyoctl.peer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tomoyoctl.vmtest.VmRun;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Fidelity of the network category against the kernel's own TOMOYO (2.6, which has network
 * rules but no capability or signal rules): one boot with both active, one workload learned by
 * both at once, and the {@code network} rules they learn must be the same, word for word.
 *
 * <p>The workload is bpf/test/tmy_net (one invocation per access) run from a script that is a
 * domain root on both sides; it covers what TOMOYO's network.c decides differently per case:
 * IPv4 and IPv6 connect, a v4-mapped IPv6 address, connect() on a UDP socket (checked as
 * {@code send}), sendto, bind, listen, unix stream and dgram
 * with a path, an abstract name (leading NUL, printed \000) and a relative path, and a connect
 * with a 1-byte address length (judged by neither). TCP fast open is left out on purpose: TOMOYO
 * 2.6 does not check it, tomoyoctl checks it as connect (a documented difference).
 */
class TomoyoNetworkPeerVmIT {
    private static final String SCENARIO = """
            set -u
            T="$REPO/tomoyoctl"
            N="$REPO/bpf/target/obj/test/tmy_net"
            D=/tmp/tomoyoctl-netpeer
            W=$D/service.sh
            mkdir -p $D/etc $D/log
            cat > $W <<EOS
            #!/bin/sh
            $N tcp-connect 127.0.0.1 7001
            $N tcp-connect ::1 7002
            $N tcp-connect ::ffff:127.0.0.1 7003
            $N udp-connect 127.0.0.1 7001
            $N udp-send 127.0.0.1 7001
            $N tcp-listen 127.0.0.1 7100
            $N udp-bind 127.0.0.1 7101
            $N unix-stream-connect /tmp/tmy-s.sock
            $N unix-dgram-connect /tmp/tmy-d.sock
            $N unix-dgram-send /tmp/tmy-d.sock
            $N unix-stream-connect @tmy-abs
            $N unix-stream-connect rel.sock
            $N unix-stream-listen $D/listen.sock
            $N connect-addrlen 1
            exit 0
            EOS
            chmod 755 $W
            # listeners, started from <kernel> before any policy exists (so neither side learns them)
            $N serve 120 > $D/serve.log 2>&1 &
            sleep 1
            # The peer: the script is a domain root, learning (profile 1 of tomoyo-tools' policy).
            echo "initialize_domain $W from any" | tomoyo-loadpolicy -e
            printf '<kernel> %s\\nuse_profile 1\\n' "$W" | tomoyo-loadpolicy -d
            # Ours: TOMOYO's own profiles; `tomoyoctl learn` makes the script a learning root.
            cat /sys/kernel/security/tomoyo/profile > $D/etc/profile.conf
            : > $D/etc/exception_policy.conf
            printf '<kernel>\\nuse_profile 0\\n' > $D/etc/domain_policy.conf
            "$T" daemon --policy-dir $D/etc --log-dir $D/log > $D/daemon.log 2>&1 &
            for _ in $(seq 900); do "$T" status > /dev/null 2>&1 && break; sleep 0.1; done
            echo @@workload@@
            (cd $D && "$T" learn -- $W) || { echo "learn failed"; cat $D/daemon.log; }
            echo @@ours@@
            "$T" policy show "<kernel> $W" -r
            echo @@tomoyo@@
            cat /sys/kernel/security/tomoyo/domain_policy
            echo @@end@@
            """;

    /** "DOMAIN\\tnetwork ..." for every network rule of the domains at or under root. */
    static Set<String> networkRules(String policy, String root) {
        Set<String> out = new TreeSet<>();
        String domain = null;
        for (String line : policy.split("\n")) {
            if (line.startsWith("<")) {
                domain = line.equals(root) || line.startsWith(root + " ") ? line : null;
            } else if (domain != null && line.startsWith("network ")) {
                out.add(domain + "\t" + line.strip());
            }
        }
        return out;
    }

    @Test
    void tomoyoctlLearnsTheSameNetworkRulesAsTheKernelsTomoyo() throws Exception {
        var r = VmRun.vm().withTomoyo().env("REPO", VmRun.repo().toString()).run("bash", "-c", SCENARIO);
        String out = r.stdout();
        assertThat(r.exitCode()).as(out).isZero();
        String workload = out.substring(out.indexOf("@@workload@@"), out.indexOf("@@ours@@"));
        String ours = out.substring(out.indexOf("@@ours@@"), out.indexOf("@@tomoyo@@"));
        String theirs = out.substring(out.indexOf("@@tomoyo@@"), out.indexOf("@@end@@"));
        String root = "<kernel> /tmp/tomoyoctl-netpeer/service.sh";
        String tool = root + " " + VmRun.repo().resolve("bpf/target/obj/test/tmy_net");

        // Neither side denies anything while learning; the 1-byte address is the kernel's EINVAL.
        assertThat(workload).as(out).doesNotContain("ERR EPERM").contains("ERR EINVAL");
        Set<String> tomoyo = networkRules(theirs, root);
        Set<String> tomoyoctl = networkRules(ours, root);
        // What TOMOYO learns, written out: the reference this test holds both sides to.
        assertThat(tomoyo).as("TOMOYO's network rules").contains(
                tool + "\tnetwork inet stream connect 127.0.0.1 7001",
                tool + "\tnetwork inet stream connect ::1 7002",
                tool + "\tnetwork inet stream connect ::ffff:127.0.0.1 7003",
                tool + "\tnetwork inet dgram send 127.0.0.1 7001",
                tool + "\tnetwork unix stream connect \\000tmy-abs",
                tool + "\tnetwork unix stream connect rel.sock");
        assertThat(tomoyoctl).as("tomoyoctl's network rules vs TOMOYO's").isEqualTo(tomoyo);
    }
}
