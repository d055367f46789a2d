package dev.tomoyoctl.daemon;

import dev.tomoyoctl.policy.DomainId;
import dev.tomoyoctl.policy.abi.Abi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;

import static dev.tomoyoctl.policy.abi.Abi.TMY_NET_BIND;
import static dev.tomoyoctl.policy.abi.Abi.TMY_NET_CONNECT;
import static dev.tomoyoctl.policy.abi.Abi.TMY_NET_DGRAM;
import static dev.tomoyoctl.policy.abi.Abi.TMY_NET_LISTEN;
import static dev.tomoyoctl.policy.abi.Abi.TMY_NET_SEND;
import static dev.tomoyoctl.policy.abi.Abi.TMY_NET_STREAM;
import static org.assertj.core.api.Assertions.assertThat;

/** The daemon's handling of network, capability and signal events (issue 4), with a fake kernel. */
class NetCapSignalEventsTest {
    @TempDir
    Path tmp;

    private final List<Daemon> daemons = new ArrayList<>();
    private static final String PROG = "<kernel> /work/t/net.sh";
    private static final String SLEEP = PROG + " /usr/bin/sleep";
    private static final int CAP_NET_BIND_SERVICE = 10;

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

    /** The learning run of the VM test, as the kernel reports it. */
    private static void pushLearning(FakeKernel k) {
        k.events.push(Events.learnInet(PROG, TMY_NET_STREAM, TMY_NET_CONNECT, "127.0.0.1", 7001));
        k.events.push(Events.learnInet(PROG, TMY_NET_STREAM, TMY_NET_CONNECT, "::1", 7001));
        // UDP connect() is checked (and reported) as send
        k.events.push(Events.learnInet(PROG, TMY_NET_DGRAM, TMY_NET_SEND, "127.0.0.1", 7001));
        k.events.push(Events.learnInet(PROG, TMY_NET_STREAM, TMY_NET_BIND, "127.0.0.1", 7102));
        k.events.push(Events.learnInet(PROG, TMY_NET_STREAM, TMY_NET_LISTEN, "127.0.0.1", 7102));
        k.events.push(Events.learnUnix(PROG, TMY_NET_STREAM, TMY_NET_CONNECT,
                "/tmp/tmy-s.sock".getBytes(StandardCharsets.UTF_8)));
        k.events.push(Events.learnUnix(PROG, TMY_NET_STREAM, TMY_NET_CONNECT,
                "\0tmy-abs".getBytes(StandardCharsets.UTF_8)));
        k.events.push(Events.learnUnix(PROG, TMY_NET_DGRAM, TMY_NET_SEND, new byte[0]));
        k.events.push(Events.cap(Abi.TMY_EV_CAP_LEARN, PROG, CAP_NET_BIND_SERVICE, Abi.TMY_MODE_LEARNING, 1,
                Abi.TMY_ACCESS_GRANTED));
        k.events.push(Events.domain(PROG, "/usr/bin/sleep", 1));
        k.events.push(Events.signal(Abi.TMY_EV_SIGNAL_LEARN, PROG, DomainId.of(SLEEP), 15, Abi.TMY_MODE_LEARNING, 1,
                Abi.TMY_ACCESS_GRANTED));
        // the same again: nothing changes
        k.events.push(Events.learnInet(PROG, TMY_NET_STREAM, TMY_NET_CONNECT, "127.0.0.1", 7001));
        k.events.push(Events.cap(Abi.TMY_EV_CAP_LEARN, PROG, CAP_NET_BIND_SERVICE, Abi.TMY_MODE_LEARNING, 1,
                Abi.TMY_ACCESS_GRANTED));
        // a signal to a domain nobody named: counted, not learned
        k.events.push(Events.signal(Abi.TMY_EV_SIGNAL_LEARN, PROG, 0x1234L, 9, Abi.TMY_MODE_LEARNING, 1,
                Abi.TMY_ACCESS_GRANTED));
    }

    private static final String LEARNED = PROG + "\n"
            + "use_profile 1\n\n"
            + "network inet stream connect 127.0.0.1 7001\n"
            + "network inet stream connect ::1 7001\n"
            + "network inet dgram send 127.0.0.1 7001\n"
            + "network inet stream bind/listen 127.0.0.1 7102\n"
            + "network unix stream connect /tmp/tmy-s.sock\n"
            + "network unix stream connect \\000tmy-abs\n"
            + "network unix dgram send anonymous\n"
            + "capability net_bind_service\n"
            + "ipc signal 15 " + SLEEP + "\n\n"
            + SLEEP + "\n"
            + "use_profile 1\n";

    @Test
    void learningRecordsTheRulesAsTomoyoWritesThemMergingOperations() throws Exception {
        FakeKernel k = new FakeKernel();
        Daemon d = start(tmp.resolve("etc"), k);
        call(d, new Request.LearnStart("/work/t/net.sh", 1));
        pushLearning(k);
        Map<String, Object> r = call(d, new Request.LearnFinish(PROG));
        assertThat((String) r.get("policy")).startsWith(LEARNED).doesNotContain("ipc signal 9");
        // quota count: one per network operation bit, one per capability or signal line
        assertThat(r).containsEntry("permissions", 10);
        Map<?, ?> ev = counters(d);
        assertThat(ev.get("rulesLearned")).isEqualTo(10L); // bind and listen of 7102 are two
        assertThat(ev.get("unknownDomain")).isEqualTo(1L);
        assertThat(ev.get("malformed")).isEqualTo(0L);
        // the learned domain was pushed to the kernel again (parent id, quota count)
        assertThat(k.allRefreshed()).contains(PROG);
    }

    @Test
    void learnedRulesAreJournalledAndReplayedAfterACrash() throws Exception {
        Path dir = tmp.resolve("etc");
        FakeKernel k = new FakeKernel();
        Daemon d = start(dir, k);
        call(d, new Request.LearnStart("/work/t/net.sh", 1));
        pushLearning(k);
        while (k.events.size() > 0) {
            Thread.sleep(10);
        }
        // A drain's entries are in the journal before the records are released.
        String journal = Files.readString(dir.resolve(DaemonConfig.JOURNAL_NAME));
        assertThat(journal).contains("N\t" + PROG + "\t2\t" + Abi.tmyNetPerm(TMY_NET_STREAM, TMY_NET_CONNECT)
                        + "\t7001\t7f000001000000000000000000000000\t\n")
                .contains("C\t" + PROG + "\t10\n").contains("S\t" + PROG + "\t15\t" + SLEEP + "\n");
        Path crashed = tmp.resolve("crashed");
        Files.createDirectories(crashed);
        for (String f : List.of("domain_policy.conf", "exception_policy.conf", "profile.conf",
                DaemonConfig.JOURNAL_NAME)) {
            Files.copy(dir.resolve(f), crashed.resolve(f));
        }
        assertThat(Files.readString(crashed.resolve("domain_policy.conf"))).doesNotContain("network");
        Daemon restarted = start(crashed, new FakeKernel());
        assertThat((String) call(restarted, new Request.PolicyShow(PROG, true)).get("policy")).startsWith(LEARNED);
    }

    @Test
    void auditRecordsCarryTheRuleTextOfEachCategory() throws Exception {
        FakeKernel k = new FakeKernel();
        Daemon d = start(tmp.resolve("etc"), k);
        call(d, new Request.LearnStart("/work/t/net.sh", 3));
        k.events.push(Events.inet(Abi.TMY_EV_NET_AUDIT, PROG, TMY_NET_STREAM, TMY_NET_CONNECT, "127.0.0.1", 7002,
                Abi.TMY_MODE_ENFORCING, 3, 0));
        k.events.push(Events.inet(Abi.TMY_EV_NET_AUDIT, PROG, TMY_NET_DGRAM, TMY_NET_SEND, "2001:db8:0:0:1:0:0:1", 53,
                Abi.TMY_MODE_ENFORCING, 3, 0));
        k.events.push(Events.unix(Abi.TMY_EV_NET_AUDIT, PROG, TMY_NET_DGRAM, TMY_NET_SEND,
                "/run/x y.sock".getBytes(StandardCharsets.UTF_8), Abi.TMY_MODE_PERMISSIVE, 2, 0));
        k.events.push(Events.cap(Abi.TMY_EV_CAP_AUDIT, PROG, CAP_NET_BIND_SERVICE, Abi.TMY_MODE_ENFORCING, 3, 0));
        k.events.push(Events.signal(Abi.TMY_EV_SIGNAL_AUDIT, PROG, DomainId.KERNEL, 10, Abi.TMY_MODE_ENFORCING, 3, 0));
        k.events.push(Events.signal(Abi.TMY_EV_SIGNAL_AUDIT, PROG, 0xabcL, 10, Abi.TMY_MODE_ENFORCING, 3, 0));
        call(d, new Request.LearnFinish(PROG));
        List<String> rules = new ArrayList<>();
        for (Object o : (List<?>) call(d, new Request.Audit(10, false)).get("records")) {
            Map<?, ?> rec = (Map<?, ?>) o;
            rules.add((String) rec.get("rule"));
            assertThat((String) rec.get("text")).endsWith("\n" + PROG + "\n" + rec.get("rule") + "\n");
            assertThat(rec.get("domain")).isEqualTo(PROG);
        }
        assertThat(rules).containsExactly(
                "network inet stream connect 127.0.0.1 7002",
                "network inet dgram send 2001:db8::1:0:0:1 53",
                "network unix dgram send /run/x\\040y.sock",
                "capability net_bind_service",
                "ipc signal 10 <kernel>",
                "ipc signal 10 <unknown-domain-abc>");
        @SuppressWarnings("unchecked") Map<String, Object> first = (Map<String, Object>) ((List<?>) call(d, new Request.Audit(10, false)).get("records")).get(0);
        assertThat(first).containsEntry("operation", "network inet stream connect")
                .containsEntry("object", "127.0.0.1 7002").doesNotContainKey("path");
        assertThat(Files.readString(tmp.resolve("log/reject_003.log")))
                .contains("\n" + PROG + "\ncapability net_bind_service\n\n");
        assertThat(Files.readString(tmp.resolve("log/reject_002.log")))
                .contains(" profile=2 mode=permissive granted=no ")
                .endsWith("\n" + PROG + "\nnetwork unix dgram send /run/x\\040y.sock\n\n");
        // auditing learns nothing
        assertThat((String) call(d, new Request.PolicyShow(PROG, false)).get("policy")).doesNotContain("network");
    }

    @Test
    void everyNetworkOperationBitCountsAgainstMaxLearningEntry() throws Exception {
        Path dir = tmp.resolve("etc");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("profile.conf"), "PROFILE_VERSION=20150505\n"
                + "1-PREFERENCE={ max_audit_log=1024 max_learning_entry=3 }\n"
                + "1-CONFIG={ mode=learning grant_log=no reject_log=yes }\n");
        Files.writeString(dir.resolve("domain_policy.conf"), "<kernel>\nuse_profile 0\n\n" + PROG + "\nuse_profile 1\n\n");
        FakeKernel k = new FakeKernel();
        Daemon d = start(dir, k);
        k.events.push(Events.learnInet(PROG, TMY_NET_STREAM, TMY_NET_BIND, "127.0.0.1", 80));
        k.events.push(Events.learnInet(PROG, TMY_NET_STREAM, TMY_NET_LISTEN, "127.0.0.1", 80));
        k.events.push(Events.cap(Abi.TMY_EV_CAP_LEARN, PROG, CAP_NET_BIND_SERVICE, Abi.TMY_MODE_LEARNING, 1,
                Abi.TMY_ACCESS_GRANTED));
        // full (3): a new permission is dropped, an existing one is no change
        k.events.push(Events.learnInet(PROG, TMY_NET_STREAM, TMY_NET_CONNECT, "127.0.0.1", 80));
        k.events.push(Events.learnInet(PROG, TMY_NET_STREAM, TMY_NET_BIND, "127.0.0.1", 80));
        String text = (String) call(d, new Request.LearnFinish(PROG)).get("policy");
        assertThat(text).contains("network inet stream bind/listen 127.0.0.1 80\n")
                .contains("capability net_bind_service\n").doesNotContain("connect").contains("quota_exceeded");
        assertThat(counters(d).get("learningQuotaDropped")).isEqualTo(1L);
    }

    @Test
    void aCapabilityWithoutANameAndAMalformedNetworkEventAreCountedNotLearned() throws Exception {
        FakeKernel k = new FakeKernel();
        Daemon d = start(tmp.resolve("etc"), k);
        call(d, new Request.LearnStart("/work/t/net.sh", 1));
        k.events.push(Events.cap(Abi.TMY_EV_CAP_LEARN, PROG, 63, Abi.TMY_MODE_LEARNING, 1, Abi.TMY_ACCESS_GRANTED));
        byte[] bad = Events.learnInet(PROG, TMY_NET_STREAM, TMY_NET_CONNECT, "127.0.0.1", 1);
        bad[48] = 7; // family: neither inet nor unix
        k.events.push(bad);
        String text = (String) call(d, new Request.LearnFinish(PROG)).get("policy");
        assertThat(text).startsWith(PROG + "\nuse_profile 1\n").doesNotContain("network").doesNotContain("capability");
        Map<?, ?> ev = counters(d);
        assertThat(ev.get("unsupported")).isEqualTo(1L);
        assertThat(ev.get("malformed")).isEqualTo(1L);
    }
}
