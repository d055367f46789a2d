package dev.tomoyoctl.daemon;

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

/**
 * Issue 6 with a fake kernel: learn events with TMY_ACCESS_INFO1/INFO2 become the lines TOMOYO
 * learns ({@code file execute NAME exec.realpath="R" exec.argv[0]="A"}, {@code file symlink NAME
 * symlink.target="T"}), merged per (path, condition), journalled, and audited with the same text.
 */
class NameConditionEventsTest {
    @TempDir
    Path tmp;

    private final List<Daemon> daemons = new ArrayList<>();
    private static final String DOM = "<kernel> /work/t/names.sh";

    @AfterEach
    void stopAll() {
        daemons.forEach(Daemon::stop);
    }

    private Daemon start(Path dir, Kernel k) throws Exception {
        Daemon d = Daemon.start(new DaemonConfig(tmp.resolve("run/" + daemons.size() + ".sock"), dir,
                tmp.resolve("log"), 60_000), k);
        daemons.add(d);
        return d;
    }

    private Daemon start(Kernel k) throws Exception {
        return start(tmp.resolve("etc"), k);
    }

    private static Map<String, Object> call(Daemon d, Request r) {
        try {
            return d.execute(r).join();
        } catch (CompletionException e) {
            throw (RuntimeException) e.getCause();
        }
    }

    private static Map<?, ?> counters(Daemon d) {
        return (Map<?, ?>) call(d, new Request.Status()).get("events");
    }

    @Test
    void execWithRealpathAndArgv0IsLearnedAsTomoyoPrintsIt() throws Exception {
        FakeKernel k = new FakeKernel();
        Daemon d = start(k);
        call(d, new Request.LearnStart("/work/t/names.sh", 1));
        k.events.push(Events.learnExec(DOM, "/usr/bin/sh", "/usr/bin/dash", "/bin/sh"));
        k.events.push(Events.learnExec(DOM, "/usr/bin/ls", "/usr/bin/ls", "ls"));
        Map<String, Object> r = call(d, new Request.LearnFinish(DOM));
        assertThat(r.get("policy")).isEqualTo(DOM + "\nuse_profile 1\n\n"
                + "file execute /usr/bin/sh exec.realpath=\"/usr/bin/dash\" exec.argv[0]=\"/bin/sh\"\n"
                + "file execute /usr/bin/ls exec.realpath=\"/usr/bin/ls\" exec.argv[0]=\"ls\"\n\n");
        assertThat(Files.readString(tmp.resolve("etc/domain_policy.conf")))
                .contains("file execute /usr/bin/sh exec.realpath=\"/usr/bin/dash\" exec.argv[0]=\"/bin/sh\"\n");
        assertThat(counters(d).get("malformed")).isEqualTo(0L);
    }

    @Test
    void execWhoseArgv0WasNotReadIsLearnedWithRealpathOnly() throws Exception {
        FakeKernel k = new FakeKernel();
        Daemon d = start(k);
        call(d, new Request.LearnStart("/work/t/names.sh", 1));
        k.events.push(Events.learnExec(DOM, "/usr/bin/sh", "/usr/bin/dash", null));
        assertThat(call(d, new Request.LearnFinish(DOM)).get("policy")).isEqualTo(DOM + "\nuse_profile 1\n\n"
                + "file execute /usr/bin/sh exec.realpath=\"/usr/bin/dash\"\n\n");
    }

    @Test
    void symlinkTargetIsLearned() throws Exception {
        FakeKernel k = new FakeKernel();
        Daemon d = start(k);
        call(d, new Request.LearnStart("/work/t/names.sh", 1));
        k.events.push(Events.learnSymlink(DOM, "/tmp/l", "/etc/passwd"));
        k.events.push(Events.learnSymlink(DOM, "/tmp/r", "../x y"));
        assertThat(call(d, new Request.LearnFinish(DOM)).get("policy")).isEqualTo(DOM + "\nuse_profile 1\n\n"
                + "file symlink /tmp/l symlink.target=\"/etc/passwd\"\n"
                + "file symlink /tmp/r symlink.target=\"../x\\040y\"\n\n");
    }

    @Test
    void namesAndValuesAreEncodedAsTomoyoEncodesNames() throws Exception {
        FakeKernel k = new FakeKernel();
        Daemon d = start(k);
        call(d, new Request.LearnStart("/work/t/names.sh", 1));
        k.events.push(Events.learnExec(DOM, "/tmp/a b", "/tmp/x\\y\u007f", "a\"b c"));
        assertThat(call(d, new Request.LearnFinish(DOM)).get("policy")).isEqualTo(DOM + "\nuse_profile 1\n\n"
                + "file execute /tmp/a\\040b exec.realpath=\"/tmp/x\\\\y\\177\" exec.argv[0]=\"a\"b\\040c\"\n\n");
    }

    @Test
    void twoArgv0AreTwoLinesAndTheSameOneTwiceIsOne() throws Exception {
        FakeKernel k = new FakeKernel();
        Daemon d = start(k);
        call(d, new Request.LearnStart("/work/t/names.sh", 1));
        k.events.push(Events.learnExec(DOM, "/usr/bin/sh", "/usr/bin/dash", "/bin/sh"));
        k.events.push(Events.learnExec(DOM, "/usr/bin/sh", "/usr/bin/dash", "sh"));
        k.events.push(Events.learnExec(DOM, "/usr/bin/sh", "/usr/bin/dash", "/bin/sh"));
        // an unconditional read of the same name is its own line, as in TOMOYO
        k.events.push(Events.learn(DOM, Abi.TMY_PERM_READ, "/usr/bin/sh"));
        assertThat(call(d, new Request.LearnFinish(DOM)).get("policy")).isEqualTo(DOM + "\nuse_profile 1\n\n"
                + "file execute /usr/bin/sh exec.realpath=\"/usr/bin/dash\" exec.argv[0]=\"/bin/sh\"\n"
                + "file execute /usr/bin/sh exec.realpath=\"/usr/bin/dash\" exec.argv[0]=\"sh\"\n"
                + "file read /usr/bin/sh\n\n");
        assertThat(counters(d).get("rulesLearned")).isEqualTo(3L);
    }

    @Test
    void aggregatedExecuteIsLearnedUnderTheAggregatedName() throws Exception {
        Path dir = tmp.resolve("etc");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("profile.conf"), "PROFILE_VERSION=20150505\n1-CONFIG={ mode=learning }\n");
        Files.writeString(dir.resolve("exception_policy.conf"),
                "aggregator /usr/bin/vi.tiny /usr/bin/vi\naggregator /bin/\\*.sh /bin/scripts\n");
        Files.writeString(dir.resolve("domain_policy.conf"),
                "<kernel>\nuse_profile 0\n\n<kernel> /bin/sh\nuse_profile 1\n\n");
        FakeKernel k = new FakeKernel();
        Daemon d = start(dir, k);
        k.events.push(Events.named(Abi.TMY_EV_LEARN, "<kernel> /bin/sh", Abi.TMY_PERM_EXECUTE, Abi.TMY_MODE_LEARNING,
                Abi.TMY_ACCESS_GRANTED | Abi.TMY_ACCESS_AGGREGATED, Events.utf8("/usr/bin/vi.tiny"),
                Events.utf8("/usr/lib/vi.real"), Events.utf8("vi"), Events.utf8("/usr/bin/vi")));
        k.events.push(Events.named(Abi.TMY_EV_LEARN, "<kernel> /bin/sh", Abi.TMY_PERM_EXECUTE, Abi.TMY_MODE_LEARNING,
                Abi.TMY_ACCESS_GRANTED | Abi.TMY_ACCESS_AGGREGATED, Events.utf8("/bin/a.sh"),
                Events.utf8("/bin/a.sh"), null, Events.utf8("/bin/scripts")));
        String text = (String) call(d, new Request.LearnFinish("<kernel> /bin/sh")).get("policy");
        assertThat(text).contains("file execute /usr/bin/vi exec.realpath=\"/usr/lib/vi.real\" exec.argv[0]=\"vi\"\n")
                .contains("file execute /bin/scripts exec.realpath=\"/bin/a.sh\"\n")
                .doesNotContain("file execute /usr/bin/vi.tiny");
    }

    @Test
    void auditRecordsCarryTheConditionText() throws Exception {
        FakeKernel k = new FakeKernel();
        Daemon d = start(k);
        call(d, new Request.LearnStart("/work/t/names.sh", 3));
        k.events.push(Events.named(Abi.TMY_EV_AUDIT, DOM, Abi.TMY_PERM_EXECUTE, Abi.TMY_MODE_ENFORCING, 0,
                Events.utf8("/usr/bin/sh"), Events.utf8("/usr/bin/dash"), Events.utf8("/bin/sh"),
                Events.utf8("/usr/bin/sh")));
        k.events.push(Events.named(Abi.TMY_EV_AUDIT, DOM, Abi.TMY_PERM_SYMLINK, Abi.TMY_MODE_ENFORCING, 0,
                Events.utf8("/tmp/l"), Events.utf8("/etc/shadow"), null, Events.utf8("/tmp/l")));
        call(d, new Request.LearnFinish(DOM));
        List<?> recs = (List<?>) call(d, new Request.Audit(10, false)).get("records");
        assertThat(recs).hasSize(2);
        assertThat((String) ((Map<?, ?>) recs.get(0)).get("text")).endsWith(DOM
                + "\nfile execute /usr/bin/sh exec.realpath=\"/usr/bin/dash\" exec.argv[0]=\"/bin/sh\"\n");
        assertThat((String) ((Map<?, ?>) recs.get(1)).get("text"))
                .endsWith(DOM + "\nfile symlink /tmp/l symlink.target=\"/etc/shadow\"\n");
    }

    @Test
    void malformedInfoEventsAreCountedNotLearned() throws Exception {
        FakeKernel k = new FakeKernel();
        Daemon d = start(k);
        call(d, new Request.LearnStart("/work/t/names.sh", 1));
        // INFO2 on a symlink: the kernel never sends it
        k.events.push(Events.named(Abi.TMY_EV_LEARN, DOM, Abi.TMY_PERM_SYMLINK, Abi.TMY_MODE_LEARNING,
                Abi.TMY_ACCESS_GRANTED, Events.utf8("/tmp/l"), Events.utf8("/x"), Events.utf8("y"),
                Events.utf8("/tmp/l")));
        // INFO1 without the NUL separator
        k.events.push(Events.access(Abi.TMY_EV_LEARN, DOM, Abi.TMY_PERM_EXECUTE, Abi.TMY_MODE_LEARNING, 1,
                Abi.TMY_ACCESS_GRANTED | Abi.TMY_ACCESS_INFO1, "/usr/bin/sh"));
        assertThat(call(d, new Request.LearnFinish(DOM)).get("policy")).isEqualTo(DOM + "\nuse_profile 1\n\n\n");
        assertThat(counters(d).get("malformed")).isEqualTo(2L);
    }

    @Test
    void journalEntriesRoundTripAndOldJournalsStillParse() {
        LearnJournal.CondFileEntry e = new LearnJournal.CondFileEntry(DOM, Abi.TMY_PERM_EXECUTE, "/usr/bin/sh",
                "exec.realpath=\"/usr/bin/dash\" exec.argv[0]=\"/bin/sh\"");
        assertThat(e.line()).isEqualTo("E\t" + DOM + "\t8\t/usr/bin/sh\texec.realpath=\"/usr/bin/dash\" "
                + "exec.argv[0]=\"/bin/sh\"");
        assertThat(LearnJournal.parse(e.line())).isEqualTo(e);
        assertThat(e.rule().text())
                .isEqualTo("file execute /usr/bin/sh exec.realpath=\"/usr/bin/dash\" exec.argv[0]=\"/bin/sh\"");
        // entries of a journal written before issue 6
        assertThat(LearnJournal.parse("F\t" + DOM + "\t8\t/usr/bin/sh"))
                .isEqualTo(new LearnJournal.FileEntry(DOM, 8, "/usr/bin/sh"));
        assertThat(LearnJournal.parse("D\t" + DOM + "\t1")).isEqualTo(new LearnJournal.DomainEntry(DOM, 1));
    }

    @Test
    void aJournalWithOldAndNewEntriesReplays() throws Exception {
        Path dir = tmp.resolve("etc");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(DaemonConfig.JOURNAL_NAME), LearnJournal.MAGIC + "\n"
                + "D\t" + DOM + "\t1\n"
                + "F\t" + DOM + "\t1\t/etc/passwd\n"
                + "E\t" + DOM + "\t8\t/usr/bin/sh\texec.realpath=\"/usr/bin/dash\"\n"
                + "E\t" + DOM + "\t256\t/tmp/l\tsymlink.target=\"/etc/passwd\"\n");
        FakeKernel k = new FakeKernel();
        Daemon d = start(dir, k);
        String shown = (String) call(d, new Request.PolicyShow(DOM, true)).get("policy");
        assertThat(shown).contains("file read /etc/passwd\n")
                .contains("file execute /usr/bin/sh exec.realpath=\"/usr/bin/dash\"\n")
                .contains("file symlink /tmp/l symlink.target=\"/etc/passwd\"\n");
        assertThat(Files.readString(dir.resolve("domain_policy.conf")))
                .contains("file execute /usr/bin/sh exec.realpath=\"/usr/bin/dash\"\n");
    }

    /** A crash after the record's journal write and before its release loses nothing. */
    @Test
    void aCrashBeforeAcknowledgementKeepsTheLearnedCondition() throws Exception {
        Path dir = tmp.resolve("etc");
        FakeKernel k = new FakeKernel();
        Daemon d = start(dir, k);
        call(d, new Request.LearnStart("/work/t/names.sh", 1));
        Path crashed = tmp.resolve("crashed");
        AtomicReference<Throwable> snapFailed = new AtomicReference<>();
        k.events.beforeRelease = () -> {
            try {
                copy(dir, crashed);
            } catch (IOException e) {
                snapFailed.set(e);
            }
        };
        k.events.push(Events.learnExec(DOM, "/usr/bin/sh", "/usr/bin/dash", "/bin/sh"));
        while (k.events.size() > 0) {
            Thread.sleep(10);
        }
        assertThat(snapFailed.get()).isNull();
        assertThat(Files.readString(crashed.resolve(DaemonConfig.JOURNAL_NAME)))
                .contains("E\t" + DOM + "\t8\t/usr/bin/sh\texec.realpath=\"/usr/bin/dash\" exec.argv[0]=\"/bin/sh\"");
        FakeKernel k2 = new FakeKernel();
        Daemon restarted = start(crashed, k2);
        assertThat((String) call(restarted, new Request.PolicyShow(DOM, true)).get("policy"))
                .contains("file execute /usr/bin/sh exec.realpath=\"/usr/bin/dash\" exec.argv[0]=\"/bin/sh\"\n");
        assertThat(k2.lastApplied()).contains("exec.argv[0]=\"/bin/sh\"");
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
