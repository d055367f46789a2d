package dev.tomoyoctl.daemon;

import dev.tomoyoctl.policy.abi.Abi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The daemon's handling of the single-path file operations (issue 5: unlink, getattr, rmdir,
 * truncate, symlink, chroot, unmount) with a fake kernel: learned as TOMOYO prints them, merged
 * per path in TOMOYO's order, audited as "file OP PATH", and compiled back into the kernel.
 */
class FileOperationEventsTest {
    @TempDir
    Path tmp;

    private final List<Daemon> daemons = new ArrayList<>();
    private static final String DOM = "<kernel> /work/t/fileops.sh";

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
    void eachOperationIsLearnedUnderItsTomoyoKeyword() throws Exception {
        FakeKernel k = new FakeKernel();
        Daemon d = start(k);
        call(d, new Request.LearnStart("/work/t/fileops.sh", 1));
        k.events.push(Events.learn(DOM, Abi.TMY_PERM_UNLINK, "/tmp/f/u"));
        k.events.push(Events.learn(DOM, Abi.TMY_PERM_TRUNCATE, "/tmp/f/u"));
        k.events.push(Events.learn(DOM, Abi.TMY_PERM_GETATTR, "/tmp/f/u"));
        k.events.push(Events.learn(DOM, Abi.TMY_PERM_RMDIR, "/tmp/f/d/"));
        k.events.push(Events.learn(DOM, Abi.TMY_PERM_SYMLINK, "/tmp/f/my link"));
        k.events.push(Events.learn(DOM, Abi.TMY_PERM_CHROOT, "/srv/jail/"));
        k.events.push(Events.learn(DOM, Abi.TMY_PERM_UNMOUNT, "/mnt/"));
        Map<String, Object> r = call(d, new Request.LearnFinish(DOM));
        assertThat(r.get("policy")).isEqualTo(DOM + "\nuse_profile 1\n\n"
                + "file unlink/getattr/truncate /tmp/f/u\n"
                + "file rmdir /tmp/f/d/\n"
                + "file symlink /tmp/f/my\\040link\n"
                + "file chroot /srv/jail/\n"
                + "file unmount /mnt/\n\n");
        assertThat(r).containsEntry("permissions", 7);
        // learn-finish persisted it as TOMOYO would print it
        assertThat(java.nio.file.Files.readString(tmp.resolve("etc/domain_policy.conf")))
                .contains("file unlink/getattr/truncate /tmp/f/u\n");
    }

    @Test
    void aRejectedUnlinkIsAuditedAsTomoyoWritesIt() throws Exception {
        FakeKernel k = new FakeKernel();
        Daemon d = start(k);
        call(d, new Request.LearnStart("/work/t/fileops.sh", 3));
        k.events.push(Events.access(Abi.TMY_EV_AUDIT, DOM, Abi.TMY_PERM_UNLINK, Abi.TMY_MODE_ENFORCING, 3, 0,
                "/etc/passwd"));
        call(d, new Request.LearnFinish(DOM));
        List<?> recs = (List<?>) call(d, new Request.Audit(10, false)).get("records");
        assertThat(recs).hasSize(1);
        String text = (String) ((Map<?, ?>) recs.get(0)).get("text");
        assertThat(text).endsWith("granted=no (global-pid=813) task={ pid=812 uid=0 gid=0 }\n" + DOM
                + "\nfile unlink /etc/passwd\n");
    }
}
