package dev.tomoyoctl.daemon;

import dev.tomoyoctl.policy.abi.Abi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The daemon's handling of the file operations with a number or a second path (issue 5: create,
 * mkdir, ..., ioctl, mkblock/mkchar, link, rename, pivot_root) with a fake kernel: the event's
 * object "NAME1\0ARG" becomes the line TOMOYO learns, merged as TOMOYO merges; audit records
 * carry the rule line; the journal keeps them across a crash.
 */
class FileArgEventsTest {
    @TempDir
    Path tmp;

    private final List<Daemon> daemons = new ArrayList<>();
    private static final String DOM = "<kernel> /work/t/fileops2.sh";

    @AfterEach
    void stopAll() {
        daemons.forEach(Daemon::stop);
    }

    private Daemon start(Kernel k) throws Exception {
        Daemon d = Daemon.start(new DaemonConfig(tmp.resolve("run/" + daemons.size() + ".sock"), tmp.resolve("etc"),
                tmp.resolve("log"), 60_000), k);
        daemons.add(d);
        return d;
    }

    private static Map<String, Object> call(Daemon d, Request r) {
        try {
            return d.execute(r).join();
        } catch (CompletionException e) {
            throw (RuntimeException) e.getCause();
        }
    }

    @Test
    void eachOperationIsLearnedAsTheLineTomoyoLearns() throws Exception {
        FakeKernel k = new FakeKernel();
        Daemon d = start(k);
        call(d, new Request.LearnStart("/work/t/fileops2.sh", 1));
        k.events.push(Events.learn(DOM, Abi.TMY_PERM_CREATE, "/tmp/x\u00000644"));
        k.events.push(Events.learn(DOM, Abi.TMY_PERM_MKDIR, "/tmp/d/\u00000755"));
        k.events.push(Events.learn(DOM, Abi.TMY_PERM_CHMOD, "/tmp/d/\u00000755"));   // merges: same name, number
        k.events.push(Events.learn(DOM, Abi.TMY_PERM_CHMOD, "/tmp/d/\u00000700"));   // does not: other number
        k.events.push(Events.learn(DOM, Abi.TMY_PERM_IOCTL, "/dev/tty\u00000x5401"));
        k.events.push(Events.learn(DOM, Abi.TMY_PERM_CHOWN, "/tmp/x\u00001000"));
        k.events.push(Events.learn(DOM, Abi.TMY_PERM_CHGRP, "/tmp/x\u00001000"));    // chown/chgrp merge
        k.events.push(Events.learn(DOM, Abi.TMY_PERM_MKCHAR, "/dev/c\u00000644 1 3"));
        k.events.push(Events.learn(DOM, Abi.TMY_PERM_RENAME, "/tmp/a b\u0000/tmp/c"));
        k.events.push(Events.learn(DOM, Abi.TMY_PERM_LINK, "/tmp/a b\u0000/tmp/c"));    // link/rename merge
        k.events.push(Events.learn(DOM, Abi.TMY_PERM_PIVOT_ROOT, "/new/\u0000/new/old/"));
        Map<String, Object> r = call(d, new Request.LearnFinish(DOM));
        assertThat(r.get("policy")).isEqualTo(DOM + "\nuse_profile 1\n\n"
                + "file create /tmp/x 0644\n"
                + "file mkdir/chmod /tmp/d/ 0755\n"
                + "file chmod /tmp/d/ 0700\n"
                + "file ioctl /dev/tty 0x5401\n"
                + "file chown/chgrp /tmp/x 1000\n"
                + "file mkchar /dev/c 0644 1 3\n"
                + "file link/rename /tmp/a\\040b /tmp/c\n"
                + "file pivot_root /new/ /new/old/\n\n");
        assertThat(java.nio.file.Files.readString(tmp.resolve("etc/domain_policy.conf")))
                .contains("file link/rename /tmp/a\\040b /tmp/c\n");
    }

    @Test
    void aRejectedRenameIsAuditedWithItsRuleLine() throws Exception {
        FakeKernel k = new FakeKernel();
        Daemon d = start(k);
        call(d, new Request.LearnStart("/work/t/fileops2.sh", 3));
        k.events.push(Events.access(Abi.TMY_EV_AUDIT, DOM, Abi.TMY_PERM_RENAME, Abi.TMY_MODE_ENFORCING, 3, 0,
                "/etc/passwd\u0000/tmp/p"));
        k.events.push(Events.access(Abi.TMY_EV_AUDIT, DOM, Abi.TMY_PERM_CREATE, Abi.TMY_MODE_ENFORCING, 3, 0,
                "/etc/x\u00000600"));
        call(d, new Request.LearnFinish(DOM));
        List<?> recs = (List<?>) call(d, new Request.Audit(10, false)).get("records");
        assertThat(recs).hasSize(2);
        assertThat((String) ((Map<?, ?>) recs.get(0)).get("text")).endsWith(DOM + "\nfile rename /etc/passwd /tmp/p\n");
        assertThat((String) ((Map<?, ?>) recs.get(1)).get("text")).endsWith(DOM + "\nfile create /etc/x 0600\n");
    }

    @Test
    void journalEntriesRoundTrip() {
        byte[] obj = "/tmp/a b\u0000/tmp/c".getBytes(StandardCharsets.UTF_8);
        LearnJournal.FileArgEntry e = new LearnJournal.FileArgEntry(DOM, Abi.TMY_PERM_RENAME, obj);
        assertThat(LearnJournal.parse(e.line())).isEqualTo(e);
        assertThat(e.rule().text()).isEqualTo("file rename /tmp/a\\040b /tmp/c");
    }
}
