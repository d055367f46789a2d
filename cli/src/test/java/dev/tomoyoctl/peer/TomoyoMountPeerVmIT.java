package dev.tomoyoctl.peer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tomoyoctl.vmtest.VmRun;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * "file mount" against the kernel's own TOMOYO (issue 5), in one boot with TOMOYO and BPF-LSM
 * both active. One workload of mount(2) calls (tmpfs, proc, remount, make-private, make-shared,
 * a bind of a directory and of a file, MS_MGC_VAL's magic) runs while both learn; the lines they
 * learn must be identical word for word (TOMOYO's special types, "<NULL>", "0x%lX" flags, a
 * directory named with '/', a file without). Then tomoyoctl enforces what it learned (TOMOYO
 * keeps learning, so it allows everything): the same mounts pass, others are refused with EPERM
 * and logged, and, as in TOMOYO, a device-less type (tmpfs) is allowed whatever device is named.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TomoyoMountPeerVmIT {
    private static final String F = "/tmp/mpeer";

    /** The learning workload: "tmy_net mount DEV DIR TYPE FLAGS" arguments. */
    private static final String[] LEARN = {
        "none $F/t tmpfs 0", "- $F/t - 0x20", "- $F/t - 0x40000", "- $F/t - 0x104000",
        "$F/src $F/b - 0x1000", "$F/srcf $F/bf - 0x1000", "proc $F/p proc 0xe", "none $F/m tmpfs 0xC0ED0000",
    };

    /** The lines both must learn (TOMOYO's spelling). */
    private static final Set<String> LEARNED = Set.of(
            "file mount none /tmp/mpeer/t/ tmpfs 0x0",
            "file mount <NULL> /tmp/mpeer/t/ --remount 0x0",
            "file mount <NULL> /tmp/mpeer/t/ --make-private 0x0",
            "file mount <NULL> /tmp/mpeer/t/ --make-shared 0x4000",
            "file mount /tmp/mpeer/src/ /tmp/mpeer/b/ --bind 0x0",
            "file mount /tmp/mpeer/srcf /tmp/mpeer/bf --bind 0x0",
            "file mount proc /tmp/mpeer/p/ proc 0xE",
            "file mount none /tmp/mpeer/m/ tmpfs 0x0");

    /** Under tomoyoctl's enforcing: mount arguments -> OK or EPERM. */
    private static final Map<String, String> ENFORCE = new LinkedHashMap<>();

    static {
        for (String l : LEARN) {
            ENFORCE.put(l, "OK");
        }
        ENFORCE.put("none $F/t2 tmpfs 0", "EPERM");             // another mount point
        ENFORCE.put("none $F/t tmpfs 1", "EPERM");              // other flags (MS_RDONLY)
        ENFORCE.put("- $F/t - 0x21", "EPERM");                  // remount read-only
        ENFORCE.put("$F/other $F/b - 0x1000", "EPERM");         // another bind source
        ENFORCE.put("sysfs $F/s sysfs 0", "EPERM");             // another type and mount point
        ENFORCE.put("whatever $F/t tmpfs 0", "OK");             // tmpfs: TOMOYO ignores the device
    }

    private String out;

    @BeforeAll
    void run() throws Exception {
        StringBuilder learn = new StringBuilder(), enforce = new StringBuilder();
        for (String c : LEARN) {
            learn.append("    printf '%s: ' \"").append(c).append("\"; $NET mount ").append(c).append('\n');
        }
        for (String c : ENFORCE.keySet()) {
            enforce.append("    printf '%s: ' \"").append(c).append("\"; $NET mount ").append(c).append('\n');
        }
        String scenario = """
                set -u
                T="$REPO/tomoyoctl"
                NET="$REPO/bpf/target/obj/test/tmy_net"
                F=%1$s
                W=/tmp/mpeer-w.sh
                mkdir -p $F/t $F/t2 $F/b $F/src $F/other $F/p $F/m $F/s /tmp/mpeer-etc
                : > $F/srcf; : > $F/bf
                cat > $W <<EOS
                #!/bin/sh
                F=$F
                NET=$NET
                if [ "\\$1" = learn ]; then
                %2$s
                else
                %3$s
                fi
                exit 0
                EOS
                chmod 755 $W
                unmount_all() { for _ in 1 2 3; do for m in $F/t $F/t2 $F/b $F/bf $F/p $F/m $F/s; do
                    mountpoint -q $m && umount $m; done; done; }
                echo "initialize_domain $W from any" | tomoyo-loadpolicy -e
                printf '<kernel> %%s\\nuse_profile 1\\n' "$W" | tomoyo-loadpolicy -d
                cat /sys/kernel/security/tomoyo/profile > /tmp/mpeer-etc/profile.conf
                echo "initialize_domain $W from any" > /tmp/mpeer-etc/exception_policy.conf
                printf '<kernel>\\nuse_profile 0\\n' > /tmp/mpeer-etc/domain_policy.conf
                "$T" daemon --policy-dir /tmp/mpeer-etc --log-dir /tmp/mpeer-log > /tmp/mpeer-daemon.log 2>&1 &
                for _ in $(seq 900); do "$T" status > /dev/null 2>&1 && break; sleep 0.1; done
                echo @@learnrun@@
                "$T" learn -- $W learn || { echo "learn failed"; cat /tmp/mpeer-daemon.log; }
                unmount_all
                echo @@ours@@
                "$T" policy show
                echo @@tomoyo@@
                cat /sys/kernel/security/tomoyo/domain_policy
                echo @@enforce@@
                "$T" profile set 3 "<kernel> $W $NET"; echo "exit=$?"
                echo @@cases@@
                $W enforce
                unmount_all
                sleep 2
                echo @@log@@
                cat /tmp/mpeer-log/reject_003.log 2>/dev/null
                echo @@end@@
                """.formatted(F, learn, enforce);
        var r = VmRun.vm().withTomoyo().env("REPO", VmRun.repo().toString()).run("bash", "-c", scenario);
        out = r.stdout();
        assertThat(r.exitCode()).as(out).isZero();
    }

    private String section(String name) {
        return PeerOutput.section(out, name);
    }

    /** The "file mount" lines of the workload's tmy_net domain in a domain_policy listing. */
    private static Set<String> mountLines(String policy) {
        Set<String> lines = new java.util.TreeSet<>();
        boolean in = false;
        for (String line : policy.split("\n")) {
            if (line.startsWith("<")) {
                in = line.startsWith("<kernel> /tmp/mpeer-w.sh ") && line.endsWith("/tmy_net");
            } else if (in && line.startsWith("file mount ") && line.contains("/tmp/mpeer/")) {
                lines.add(line.trim());
            }
        }
        return lines;
    }

    @Test
    void bothLearnTheSameMountLinesWordForWord() {
        assertThat(mountLines(section("tomoyo"))).as(out).isEqualTo(new java.util.TreeSet<>(LEARNED));
        assertThat(mountLines(section("ours"))).as(out).isEqualTo(new java.util.TreeSet<>(LEARNED));
    }

    @Test
    void theLearnedMountsAreAllowedAndOthersRefusedWhenEnforcing() {
        assertThat(section("enforce")).as(out).contains("exit=0");
        Map<String, String> got = new LinkedHashMap<>();
        for (String l : section("cases").split("\n")) {
            int i = l.lastIndexOf(": ");
            if (i > 0) {
                String v = l.substring(i + 2).trim();
                got.put(l.substring(0, i).replace(F, "$F"), v.equals("OK") ? "OK" : v.equals("ERR EPERM") ? "EPERM" : v);
            }
        }
        assertThat(got).as(out).isEqualTo(ENFORCE);
    }

    @Test
    void everyRefusalIsLoggedOnceWithTomoyosLine() {
        String log = section("log");
        long refused = ENFORCE.values().stream().filter("EPERM"::equals).count();
        assertThat(log.lines().filter(l -> l.startsWith("file mount ")).count()).as(log).isEqualTo(refused);
        assertThat(log).contains("file mount none /tmp/mpeer/t/ tmpfs 0x1", "file mount /tmp/mpeer/other/ /tmp/mpeer/b/ --bind 0x0",
                "file mount <NULL> /tmp/mpeer/t/ --remount 0x1", "file mount sysfs /tmp/mpeer/s/ sysfs 0x0");
    }
}
