package dev.tomoyoctl.peer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tomoyoctl.vmtest.VmRun;
import org.junit.jupiter.api.Test;

/**
 * A policy saved by Debian's tomoyo-savepolicy from the kernel's own TOMOYO loads into tomoyoctl.
 * In one boot with TOMOYO active, TOMOYO learns a small workload (files of several operations,
 * TCP and UDP to loopback), tomoyo-savepolicy writes its policy into a directory, and then:
 * {@code tomoyoctl policy check} finds no error (lines outside tomoyoctl's coverage are reported
 * as warnings), the daemon starts on that directory, and {@code tomoyoctl policy save} writes the
 * same TOMOYO files back byte for byte (nothing dropped, nothing reordered).
 */
class TomoyoSavepolicyVmIT {
    private static final String SCENARIO = """
            set -u
            T="$REPO/tomoyoctl"
            B=/tmp/tomoyoctl-sp
            W=$B/work.sh
            mkdir -p $B/data
            cat > $W <<'EOS'
            #!/bin/bash
            export LC_ALL=C
            d=/tmp/tomoyoctl-sp/data
            /usr/bin/cat /etc/hostname > /dev/null
            echo one > $d/out.1
            echo two >> $d/out.1
            /usr/bin/mkdir $d/sub
            /usr/bin/rmdir $d/sub
            /usr/bin/ln -s out.1 $d/link
            /usr/bin/rm $d/link
            /usr/bin/mv $d/out.1 $d/out.2
            /usr/bin/ls -l $d > /dev/null
            (exec 3<>/dev/tcp/127.0.0.1/9) 2> /dev/null
            echo hi > /dev/udp/127.0.0.1/9
            exit 0
            EOS
            chmod 755 $W
            echo "initialize_domain $W from any" | tomoyo-loadpolicy -e
            printf '<kernel> %s\\nuse_profile 1\\n' "$W" | tomoyo-loadpolicy -d
            $W
            # What an administrator does: save TOMOYO's policy with its own tool.
            # It writes DIR/policy/NAME.DATE.conf and points DIR/NAME.conf at them.
            mkdir -p $B/saved/policy
            tomoyo-savepolicy $B/saved || echo "tomoyo-savepolicy failed"
            P=$B/saved
            echo "@@files@@"
            ls -l "$P" "$P/policy"
            echo "@@domain@@"
            cat "$P/domain_policy.conf"
            echo "@@check@@"
            "$T" policy check "$P"
            echo "check exit $?"
            echo "@@daemon@@"
            mkdir -p $B/etc
            cp -L "$P"/*.conf $B/etc/
            "$T" daemon --policy-dir $B/etc --log-dir $B/log > $B/daemon.log 2>&1 &
            for _ in $(seq 900); do "$T" status > /dev/null 2>&1 && break; sleep 0.1; done
            "$T" policy save $B/out || { echo "save failed"; cat $B/daemon.log; }
            for f in exception_policy.conf profile.conf manager.conf; do
                cmp "$P/$f" $B/out/$f && echo "identical $f"
            done
            # The running daemon adds the domains of what ran since it started (its own
            # tomoyoctl commands): the saved domain policy is the start of what it writes.
            n=$(stat -L -c %s "$P/domain_policy.conf")
            head -c "$n" $B/out/domain_policy.conf | cmp - "$P/domain_policy.conf" && echo "identical domain_policy.conf"
            echo "@@added@@"
            tail -c +$((n + 1)) $B/out/domain_policy.conf
            echo "@@out-files@@"
            ls $B/out
            echo "@@patternize@@"
            # Patternized by tomoyoctl, the policy goes back into the kernel's TOMOYO.
            mkdir -p $B/pat && cp $B/out/*.conf $B/pat/
            "$T" policy patternize --apply --policy-dir $B/pat --socket $B/none.sock
            grep -F -B1 'out.\\$' $B/pat/domain_policy.conf
            tomoyo-loadpolicy -d < $B/pat/domain_policy.conf; echo "loadpolicy exit $?"
            echo "@@kernel-after@@"
            grep -x -F -A200 '<kernel> /tmp/tomoyoctl-sp/work.sh' /sys/kernel/security/tomoyo/domain_policy | grep -F 'out.'
            echo "@@end@@"
            """;

    @Test
    void aPolicySavedByTomoyoSavepolicyLoadsAndIsWrittenBackIdentical() throws Exception {
        var r = VmRun.vm().withTomoyo().env("REPO", VmRun.repo().toString()).run("bash", "-c", SCENARIO);
        String out = r.stdout();
        assertThat(r.exitCode()).as(out + r.stderr()).isZero();
        assertThat(out).doesNotContain("tomoyo-savepolicy failed");
        assertThat(out).contains("@@end@@");
        String domain = out.substring(out.indexOf("@@domain@@"), out.indexOf("@@check@@"));
        String check = out.substring(out.indexOf("@@check@@"), out.indexOf("@@daemon@@"));
        String daemon = out.substring(out.indexOf("@@daemon@@"), out.indexOf("@@added@@"));
        String added = out.substring(out.indexOf("@@added@@") + "@@added@@\n".length(), out.indexOf("@@out-files@@"));
        String patternize = out.substring(out.indexOf("@@patternize@@"), out.indexOf("@@kernel-after@@"));
        String kernelAfter = out.substring(out.indexOf("@@kernel-after@@"), out.indexOf("@@end@@"));
        String w = "<kernel> /tmp/tomoyoctl-sp/work.sh";
        // TOMOYO learned the workload (so the test is about a real, non-trivial policy).
        assertThat(domain).as(out).contains(w + "\n").contains(w + " /usr/bin/cat\n").contains(" /etc/hostname\n")
                .contains("network inet stream connect 127.0.0.1 9").contains("network inet dgram send 127.0.0.1 9")
                .contains("file create /tmp/tomoyoctl-sp/data/out.1 0666")
                .contains("file rename /tmp/tomoyoctl-sp/data/out.1 /tmp/tomoyoctl-sp/data/out.2");
        // No error; what tomoyoctl does not enforce is named line by line as a warning.
        assertThat(check).as(out).doesNotContain("check exit 2").contains("check exit");
        for (String line : check.split("\n")) {
            if (line.startsWith("/")) {
                assertThat(line).as(out).contains(": warning: ");
            }
        }
        assertThat(check).as(out).contains("domain_policy.conf:").contains("not enforced in the kernel yet");
        // Kept and printed back identical.
        assertThat(daemon).as(out).contains("identical domain_policy.conf").contains("identical exception_policy.conf")
                .contains("identical profile.conf").contains("identical manager.conf").doesNotContain("save failed");
        // ... followed only by empty domains the daemon created for programs run meanwhile
        for (String line : added.split("\n")) {
            assertThat(line).as(added).matches("|use_profile 0|<kernel>( /\\S+)+");
        }
        // TOMOYO 2.6's own lines: nothing for the 1.8 side file
        assertThat(out.substring(out.indexOf("@@out-files@@"), out.indexOf("@@patternize@@"))).doesNotContain("tomoyo18");
        // patternize: the numbered names of the workload (out.1, out.2) get \$, with the reason
        // as a comment line, and the kernel's TOMOYO loads the result (comments are skipped)
        assertThat(patternize).as(out).contains("applied: ").contains("# patternize: numbered name (1)")
                .contains("file write/append/getattr /tmp/tomoyoctl-sp/data/out.\\$").contains("loadpolicy exit 0");
        assertThat(kernelAfter).as(out).contains("file write/append/getattr /tmp/tomoyoctl-sp/data/out.\\$");
    }
}
