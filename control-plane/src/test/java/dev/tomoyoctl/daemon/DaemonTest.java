package dev.tomoyoctl.daemon;

import dev.tomoyoctl.policy.DomainId;
import dev.tomoyoctl.policy.abi.Abi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DaemonTest {
    @TempDir
    Path tmp;

    private final List<Daemon> daemons = new ArrayList<>();

    @AfterEach
    void stopAll() {
        daemons.forEach(Daemon::stop);
    }

    private DaemonConfig config(Path policyDir) {
        return new DaemonConfig(tmp.resolve("run/" + daemons.size() + ".sock"), policyDir, tmp.resolve("log"), 60_000);
    }

    private Daemon start(Path policyDir, Kernel kernel) throws Exception {
        Daemon d = Daemon.start(config(policyDir), kernel);
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

    private static String show(Daemon d, String domain) {
        return (String) call(d, new Request.PolicyShow(domain, true)).get("policy");
    }

    @Test
    void emptyDirectoryGetsTomoyosDefaultProfilesAndTheKernelDomain() throws Exception {
        Path dir = tmp.resolve("etc");
        FakeKernel k = new FakeKernel();
        Daemon d = start(dir, k);
        assertThat(Files.readString(dir.resolve("profile.conf")))
                .startsWith("PROFILE_VERSION=20150505\n")
                .contains("1-CONFIG={ mode=learning grant_log=no reject_log=yes }")
                .contains("3-CONFIG={ mode=enforcing grant_log=no reject_log=yes }")
                .contains("max_learning_entry=2048");
        assertThat(Files.readString(dir.resolve("domain_policy.conf"))).startsWith("<kernel>\nuse_profile 0\n");
        assertThat(k.generation).isEqualTo(1);
        Map<String, Object> st = call(d, new Request.Status());
        assertThat(st).containsEntry("policyDir", dir.toString());
        @SuppressWarnings("unchecked") Map<String, Object> pol = (Map<String, Object>) st.get("policy");
        assertThat(pol).containsEntry("domains", 1).containsEntry("generation", 1L);
    }

    @Test
    void domainEventsAreNamedFromTheParentAndTheProgram() throws Exception {
        FakeKernel k = new FakeKernel();
        Daemon d = start(tmp.resolve("etc"), k);
        k.events.push(Events.domain("<kernel>", "/usr/sbin/sshd", 0));
        k.events.push(Events.domain("<kernel> /usr/sbin/sshd", "/usr/bin/bash", 0));
        // initialize_domain: the child of the namespace root, whatever the parent
        k.events.push(Events.domain("<kernel> /usr/sbin/sshd /usr/bin/bash", "/usr/bin/passwd", 2,
                Abi.TMY_TR_INITIALIZE, DomainId.of("<kernel> /usr/bin/passwd")));
        // a path with a space is TOMOYO-encoded in the name
        k.events.push(Events.domain("<kernel> /usr/sbin/sshd", "/opt/my tool", 0));

        Map<String, Object> r = call(d, new Request.LearnFinish("<kernel>"));
        assertThat((String) r.get("policy")).contains("<kernel> /usr/sbin/sshd\nuse_profile 0\n")
                .contains("<kernel> /usr/sbin/sshd /usr/bin/bash\nuse_profile 0\n")
                .contains("<kernel> /usr/bin/passwd\nuse_profile 2\n")
                .contains("<kernel> /usr/sbin/sshd /opt/my\\040tool\n");
        Map<?, ?> ev = (Map<?, ?>) call(d, new Request.Status()).get("events");
        assertThat(ev.get("domainsNamed")).isEqualTo(4L);
        assertThat(ev.get("domainIdMismatch")).isEqualTo(0L);
        assertThat(ev.get("unknownDomain")).isEqualTo(0L);
    }

    @Test
    void aggregatedProgramsAreNamedAndLearnedByTheirAggregatedName() throws Exception {
        Path dir = tmp.resolve("etc");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("profile.conf"), "PROFILE_VERSION=20150505\n1-CONFIG={ mode=learning }\n");
        Files.writeString(dir.resolve("exception_policy.conf"), "aggregator /usr/bin/vi.tiny /usr/bin/vi\n");
        Files.writeString(dir.resolve("domain_policy.conf"), "<kernel>\nuse_profile 0\n\n<kernel> /bin/sh\nuse_profile 1\n\n");
        FakeKernel k = new FakeKernel();
        Daemon d = start(dir, k);
        k.events.push(Events.aggregatedExecute("<kernel> /bin/sh", "/usr/bin/vi.tiny", "/usr/bin/vi"));
        k.events.push(Events.aggregatedDomain("<kernel> /bin/sh", "/usr/bin/vi.tiny", "/usr/bin/vi", 1));
        String text = (String) call(d, new Request.LearnFinish("<kernel> /bin/sh")).get("policy");
        assertThat(text).contains("file execute /usr/bin/vi\n").contains("<kernel> /bin/sh /usr/bin/vi\n")
                .doesNotContain("vi.tiny");
        assertThat(((Map<?, ?>) call(d, new Request.Status()).get("events")).get("domainIdMismatch")).isEqualTo(0L);
    }

    @Test
    void idMismatchAndUnknownParentAreCountedNotGuessed() throws Exception {
        FakeKernel k = new FakeKernel();
        Daemon d = start(tmp.resolve("etc"), k);
        k.events.push(Events.domain("<kernel>", "/bin/a", 0, Abi.TMY_TRANSITION_CHILD, 12345L));
        k.events.push(Events.domain("<kernel> /not/known", "/bin/b", 0));
        call(d, new Request.LearnFinish("<kernel>"));
        Map<?, ?> ev = (Map<?, ?>) call(d, new Request.Status()).get("events");
        assertThat(ev.get("domainIdMismatch")).isEqualTo(1L);
        assertThat(ev.get("unknownDomain")).isEqualTo(1L);
        assertThat(show(d, "<kernel>")).doesNotContain("/bin/b");
    }

    @Test
    void learnedRulesAreMergedPerPathAsTomoyoPrintsThem() throws Exception {
        FakeKernel k = new FakeKernel();
        Daemon d = start(tmp.resolve("etc"), k);
        call(d, new Request.LearnStart("/work/t/workload.sh", 1));
        String dom = "<kernel> /work/t/workload.sh";
        k.events.push(Events.learn(dom, Abi.TMY_PERM_READ, "/etc/passwd"));
        k.events.push(Events.learn(dom, Abi.TMY_PERM_WRITE, "/tmp/out"));
        k.events.push(Events.learn(dom, Abi.TMY_PERM_APPEND, "/tmp/out"));
        k.events.push(Events.domain(dom, "/usr/bin/cat", 1));
        k.events.push(Events.learn(dom, Abi.TMY_PERM_EXECUTE, "/usr/bin/cat"));
        k.events.push(Events.learn(dom + " /usr/bin/cat", Abi.TMY_PERM_READ, "/etc/hostname"));
        k.events.push(Events.learn(dom, Abi.TMY_PERM_READ, "/etc/passwd")); // again: no change

        Map<String, Object> r = call(d, new Request.LearnFinish(dom));
        assertThat(r.get("policy")).isEqualTo(
                "<kernel> /work/t/workload.sh\n"
                        + "use_profile 1\n\n"
                        + "file read /etc/passwd\n"
                        + "file write/append /tmp/out\n"
                        + "file execute /usr/bin/cat\n\n"
                        + "<kernel> /work/t/workload.sh /usr/bin/cat\n"
                        + "use_profile 1\n\n"
                        + "file read /etc/hostname\n\n");
        assertThat(r).containsEntry("domains", 2).containsEntry("permissions", 5);
        // learn-finish persisted the policy
        assertThat(Files.readString(tmp.resolve("etc/domain_policy.conf"))).contains("file write/append /tmp/out");
    }

    @Test
    void learnStartMakesTheProgramARootDomainThroughInitializeDomain() throws Exception {
        FakeKernel k = new FakeKernel();
        Path dir = tmp.resolve("etc");
        Daemon d = start(dir, k);
        Map<String, Object> r = call(d, new Request.LearnStart("/work/t/work load.sh", 1));
        assertThat(r).containsEntry("domain", "<kernel> /work/t/work\\040load.sh").containsEntry("profile", 1)
                .containsEntry("exception", "initialize_domain /work/t/work\\040load.sh from any");
        assertThat(k.lastApplied()).contains("<kernel> /work/t/work\\040load.sh\nuse_profile 1\n")
                .contains("initialize_domain /work/t/work\\040load.sh from any");
        assertThat(Files.readString(dir.resolve("exception_policy.conf")))
                .isEqualTo("initialize_domain /work/t/work\\040load.sh from any\n");
        // Learning the same program again neither duplicates the exception nor loses the domain.
        call(d, new Request.LearnStart("/work/t/work load.sh", 2));
        assertThat(Files.readString(dir.resolve("exception_policy.conf")))
                .isEqualTo("initialize_domain /work/t/work\\040load.sh from any\n");
        assertThat(Files.readString(dir.resolve("domain_policy.conf")))
                .contains("<kernel> /work/t/work\\040load.sh\nuse_profile 2\n");
    }

    /**
     * The durability rule: a record is released (acknowledged) only after what was learned from
     * it is on disk. The "disk" is copied at the last moment before release, as a crash there
     * would leave it; a daemon started on the copy must have the rule.
     */
    @Test
    void aCrashBetweenWriteAndAcknowledgementLosesNothing() throws Exception {
        Path dir = tmp.resolve("etc");
        FakeKernel k = new FakeKernel();
        Daemon d = start(dir, k);
        call(d, new Request.LearnStart("/bin/prog", 1));
        Path crashed = tmp.resolve("crashed");
        AtomicReference<Throwable> snapFailed = new AtomicReference<>();
        k.events.beforeRelease = () -> {
            try {
                copy(dir, crashed);
            } catch (IOException e) {
                snapFailed.set(e);
            }
        };
        k.events.push(Events.learn("<kernel> /bin/prog", Abi.TMY_PERM_READ, "/etc/secret"));
        while (k.events.size() > 0) {
            Thread.sleep(10);
        }
        assertThat(snapFailed.get()).isNull();
        // The rule is not in the copied domain_policy.conf (no checkpoint yet) but in the journal.
        assertThat(Files.readString(crashed.resolve("domain_policy.conf"))).doesNotContain("/etc/secret");
        assertThat(Files.readString(crashed.resolve(DaemonConfig.JOURNAL_NAME)))
                .contains("F\t<kernel> /bin/prog\t1\t/etc/secret");

        FakeKernel k2 = new FakeKernel();
        Daemon restarted = start(crashed, k2);
        assertThat(show(restarted, "<kernel> /bin/prog")).contains("file read /etc/secret");
        assertThat(k2.lastApplied()).contains("file read /etc/secret"); // and it is enforced again
        // Replay was checkpointed: the files have it and the journal is empty.
        assertThat(Files.readString(crashed.resolve("domain_policy.conf"))).contains("file read /etc/secret");
        assertThat(Files.size(crashed.resolve(DaemonConfig.JOURNAL_NAME))).isZero();
    }

    @Test
    void aRecordWhoseReleaseFailsComesAgainAndIsLearnedOnce() throws Exception {
        Path dir = tmp.resolve("etc");
        FakeKernel k = new FakeKernel();
        Daemon d = start(dir, k);
        call(d, new Request.LearnStart("/bin/prog", 1));
        int[] calls = {0};
        // The first release fails after the commit, as a crash at that point would: the record
        // stays in the ring and is delivered again.
        k.events.beforeRelease = () -> {
            if (calls[0]++ == 0) {
                throw new java.io.UncheckedIOException(new IOException("release failed (simulated)"));
            }
        };
        k.events.push(Events.learn("<kernel> /bin/prog", Abi.TMY_PERM_READ, "/etc/a"));
        Map<String, Object> r = null;
        for (int i = 0; i < 3 && k.events.size() > 0; i++) {
            try {
                r = call(d, new Request.LearnFinish("<kernel> /bin/prog"));
            } catch (ControlException e) {
                assertThat(e.getMessage()).contains("release failed (simulated)");
            }
        }
        r = call(d, new Request.LearnFinish("<kernel> /bin/prog"));
        assertThat(k.events.size()).isZero();
        assertThat(calls[0]).isEqualTo(2);
        assertThat((String) r.get("policy")).containsOnlyOnce("file read /etc/a");
        String journal = Files.readString(dir.resolve(DaemonConfig.JOURNAL_NAME));
        assertThat(journal).isEmpty(); // learn-finish checkpointed: the rule is in domain_policy.conf
        assertThat(Files.readString(dir.resolve("domain_policy.conf"))).containsOnlyOnce("file read /etc/a");
    }

    @Test
    void learningStopsAtMaxLearningEntryWithTheQuotaFlag() throws Exception {
        Path dir = tmp.resolve("etc");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("profile.conf"), "PROFILE_VERSION=20150505\n"
                + "1-PREFERENCE={ max_audit_log=1024 max_learning_entry=2 }\n"
                + "1-CONFIG={ mode=learning grant_log=no reject_log=yes }\n");
        Files.writeString(dir.resolve("domain_policy.conf"), "<kernel>\nuse_profile 0\n\n<kernel> /bin/q\nuse_profile 1\n\n");
        FakeKernel k = new FakeKernel();
        Daemon d = start(dir, k);
        for (String p : List.of("/a", "/b", "/c")) {
            k.events.push(Events.learn("<kernel> /bin/q", Abi.TMY_PERM_READ, p));
        }
        String text = (String) call(d, new Request.LearnFinish("<kernel> /bin/q")).get("policy");
        assertThat(text).contains("file read /a").contains("file read /b").doesNotContain("/c")
                .contains("quota_exceeded");
        assertThat(((Map<?, ?>) call(d, new Request.Status()).get("events")).get("learningQuotaDropped")).isEqualTo(1L);
    }

    @Test
    void auditEventsBecomeTomoyoAuditRecordsOnDiskAndInMemory() throws Exception {
        FakeKernel k = new FakeKernel();
        Daemon d = start(tmp.resolve("etc"), k);
        call(d, new Request.LearnStart("/bin/prog", 3));
        k.events.push(Events.access(Abi.TMY_EV_AUDIT, "<kernel> /bin/prog", Abi.TMY_PERM_READ, Abi.TMY_MODE_ENFORCING,
                3, 0, "/etc/shadow"));
        call(d, new Request.LearnFinish("<kernel> /bin/prog"));
        List<?> recs = (List<?>) call(d, new Request.Audit(10, false)).get("records");
        assertThat(recs).hasSize(1);
        Map<?, ?> rec = (Map<?, ?>) recs.get(0);
        assertThat(rec.get("granted")).isEqualTo(false);
        String text = (String) rec.get("text");
        assertThat(text).matches("(?s)#\\d{4}/\\d\\d/\\d\\d \\d\\d:\\d\\d:\\d\\d# profile=3 mode=enforcing granted=no "
                + "\\(global-pid=813\\) task=\\{ pid=812 uid=0 gid=0 \\}\n<kernel> /bin/prog\nfile read /etc/shadow\n");
        assertThat(Files.readString(tmp.resolve("log/reject_003.log"))).isEqualTo(text + "\n");
    }

    @Test
    void aBrokenPolicyIsRefusedWithFileAndLineAndNothingChanges() throws Exception {
        Path dir = tmp.resolve("etc");
        FakeKernel k = new FakeKernel();
        Daemon d = start(dir, k);
        call(d, new Request.LearnStart("/bin/prog", 1));
        long gen = k.generation;
        String before = show(d, null);
        Path bad = tmp.resolve("bad");
        Files.createDirectories(bad);
        Files.writeString(bad.resolve("profile.conf"), "PROFILE_VERSION=20150505\n");
        Files.writeString(bad.resolve("domain_policy.conf"), "<kernel>\nuse_profile 0\n\nfile read /etc/ok\nfiel read /x\n");
        assertThatThrownBy(() -> call(d, new Request.PolicyLoad(bad.toString())))
                .isInstanceOfSatisfying(ControlException.class, e -> {
                    assertThat(e.getMessage()).contains("not loaded").contains("nothing was changed");
                    assertThat(e.details()).singleElement().asString()
                            .startsWith(bad.resolve("domain_policy.conf") + ":5: ");
                });
        assertThat(k.generation).isEqualTo(gen);
        assertThat(show(d, null)).isEqualTo(before);
        assertThat(Files.readString(dir.resolve("domain_policy.conf"))).contains("<kernel> /bin/prog");
    }

    @Test
    void aKernelThatRefusesTheUpdateLeavesTheRunningPolicyAlone() throws Exception {
        FakeKernel k = new FakeKernel();
        Daemon d = start(tmp.resolve("etc"), k);
        call(d, new Request.LearnStart("/bin/prog", 1));
        k.failApply = true;
        assertThatThrownBy(() -> call(d, new Request.ProfileSet(3, "<kernel> /bin/prog", false)))
                .hasMessageContaining("the kernel refused the policy update");
        assertThat(show(d, "<kernel> /bin/prog")).contains("use_profile 1");
    }

    @Test
    void policyLoadFromAnotherDirectoryReplacesAndSaves() throws Exception {
        Path dir = tmp.resolve("etc");
        FakeKernel k = new FakeKernel();
        Daemon d = start(dir, k);
        Path other = tmp.resolve("other");
        Files.createDirectories(other);
        Files.writeString(other.resolve("profile.conf"), "PROFILE_VERSION=20150505\n0-CONFIG={ mode=disabled }\n");
        Files.writeString(other.resolve("domain_policy.conf"), "<kernel>\nuse_profile 0\n\n<kernel> /bin/x\nuse_profile 0\n\nfile read /etc/x\n\n");
        Map<String, Object> r = call(d, new Request.PolicyLoad(other.toString()));
        assertThat(r).containsEntry("domains", 2).containsEntry("generation", 2L);
        assertThat(Files.readString(dir.resolve("domain_policy.conf"))).contains("file read /etc/x");
        assertThat(k.lastApplied()).contains("file read /etc/x");
    }

    @Test
    void policyLoadFromItsOwnDirectoryKeepsWhatWasLearnedSinceTheLastSave() throws Exception {
        Path dir = tmp.resolve("etc");
        FakeKernel k = new FakeKernel();
        Daemon d = start(dir, k);
        call(d, new Request.LearnStart("/bin/prog", 1));
        k.events.push(Events.learn("<kernel> /bin/prog", Abi.TMY_PERM_READ, "/etc/learned"));
        while (k.events.size() > 0) {
            Thread.sleep(10);
        }
        // The admin edits the file (which does not have the learned rule yet) and reloads.
        String text = Files.readString(dir.resolve("domain_policy.conf"));
        assertThat(text).doesNotContain("/etc/learned");
        Files.writeString(dir.resolve("domain_policy.conf"), text + "<kernel> /bin/edited\nuse_profile 0\n\n");
        call(d, new Request.PolicyLoad(null));
        String now = show(d, null);
        assertThat(now).contains("<kernel> /bin/edited").contains("file read /etc/learned");
    }

    @Test
    void profileSetRecursiveChangesTheSubtreeOnly() throws Exception {
        Path dir = tmp.resolve("etc");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("profile.conf"), "PROFILE_VERSION=20150505\n");
        Files.writeString(dir.resolve("domain_policy.conf"), "<kernel>\nuse_profile 0\n\n<kernel> /a\nuse_profile 1\n\n"
                + "<kernel> /a /b\nuse_profile 1\n\n<kernel> /ab\nuse_profile 1\n\n");
        FakeKernel k = new FakeKernel();
        Daemon d = start(dir, k);
        Map<String, Object> r = call(d, new Request.ProfileSet(3, "<kernel> /a", true));
        assertThat(r).containsEntry("domains", 2).containsEntry("generation", 2L);
        String saved = Files.readString(dir.resolve("domain_policy.conf"));
        assertThat(saved).contains("<kernel> /a\nuse_profile 3\n").contains("<kernel> /a /b\nuse_profile 3\n")
                .contains("<kernel> /ab\nuse_profile 1\n");
        assertThatThrownBy(() -> call(d, new Request.ProfileSet(3, "<kernel> /nope", false)))
                .hasMessageStartingWith("no domain '<kernel> /nope'");
    }

    @Test
    void unloadDetachesAndStops() throws Exception {
        FakeKernel k = new FakeKernel();
        Daemon d = start(tmp.resolve("etc"), k);
        call(d, new Request.Unload());
        d.awaitStop();
        assertThat(k.unloaded).isTrue();
        assertThat(k.closed).isTrue();
        assertThat(tmp.resolve("run/0.sock")).doesNotExist();
    }

    @Test
    void anInvalidPolicyDirectoryStopsTheStartWithFileAndLine() throws Exception {
        Path dir = tmp.resolve("etc");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("domain_policy.conf"), "<kernel>\nuse_profile 999\n");
        FakeKernel k = new FakeKernel();
        assertThatThrownBy(() -> start(dir, k)).isInstanceOfSatisfying(Daemon.StartException.class,
                e -> assertThat(e.details()).singleElement().asString().startsWith(dir.resolve("domain_policy.conf") + ":2: "));
        assertThat(k.generation).isZero();
        assertThat(k.closed).isTrue();
    }

    private static void copy(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> s = Files.list(from)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                if (Files.isRegularFile(p)) {
                    Files.copy(p, to.resolve(p.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
