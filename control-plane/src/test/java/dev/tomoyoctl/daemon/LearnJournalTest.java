package dev.tomoyoctl.daemon;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class LearnJournalTest {
    @TempDir
    Path dir;

    @Test
    void appendedEntriesAreReadBackByTheNextOpen() throws Exception {
        Path f = dir.resolve("state/learned.journal");
        List<LearnJournal.Entry> batch = List.of(new LearnJournal.DomainEntry("<kernel> /bin/sh", 1),
                new LearnJournal.FileEntry("<kernel> /bin/sh", 3, "/etc/pass\\040wd"));
        LearnJournal.Opened first = LearnJournal.open(f);
        assertThat(first.entries()).isEmpty();
        first.journal().append(batch);
        // No close: what a SIGKILL leaves. The data was forced to disk by append.
        LearnJournal.Opened second = LearnJournal.open(f);
        assertThat(second.entries()).isEqualTo(batch);
        assertThat(second.problems()).isEmpty();
        assertThat(Files.readString(f)).startsWith(LearnJournal.MAGIC + "\n");
        second.journal().close();
        first.journal().close();
    }

    @Test
    void aTornLastLineIsDroppedAndLaterAppendsStayReadable() throws Exception {
        Path f = dir.resolve("learned.journal");
        try (LearnJournal j = LearnJournal.open(f).journal()) {
            j.append(List.of(new LearnJournal.FileEntry("<kernel>", 1, "/a")));
        }
        Files.write(f, "F\t<kernel>\t1\t/half-writ".getBytes(StandardCharsets.ISO_8859_1), StandardOpenOption.APPEND);
        LearnJournal.Opened o = LearnJournal.open(f);
        assertThat(o.entries()).containsExactly(new LearnJournal.FileEntry("<kernel>", 1, "/a"));
        assertThat(o.problems()).singleElement().asString().contains("dropped an incomplete last entry");
        o.journal().append(List.of(new LearnJournal.FileEntry("<kernel>", 2, "/b")));
        o.journal().close();
        assertThat(LearnJournal.open(f).entries()).containsExactly(new LearnJournal.FileEntry("<kernel>", 1, "/a"),
                new LearnJournal.FileEntry("<kernel>", 2, "/b"));
    }

    @Test
    void badLinesAreReportedWithTheirLineNumberAndSkipped() throws Exception {
        Path f = dir.resolve("learned.journal");
        Files.writeString(f, LearnJournal.MAGIC + "\nF\t<kernel>\tx\t/a\nZ\tq\nD\t<kernel> /x\t1\n");
        LearnJournal.Opened o = LearnJournal.open(f);
        assertThat(o.entries()).containsExactly(new LearnJournal.DomainEntry("<kernel> /x", 1));
        assertThat(o.problems()).containsExactly(f + ":2: bad permission bits 'x' (entry skipped)",
                f + ":3: unknown entry kind 'Z' (entry skipped)");
        o.journal().close();
    }

    @Test
    void truncateEmptiesIt() throws Exception {
        Path f = dir.resolve("learned.journal");
        try (LearnJournal j = LearnJournal.open(f).journal()) {
            j.append(List.of(new LearnJournal.FileEntry("<kernel>", 1, "/a")));
            j.truncate();
            assertThat(j.entries()).isZero();
            j.append(List.of(new LearnJournal.FileEntry("<kernel>", 4, "/b")));
        }
        assertThat(LearnJournal.open(f).entries()).containsExactly(new LearnJournal.FileEntry("<kernel>", 4, "/b"));
    }

    @Test
    void networkCapabilityAndSignalEntriesRoundTripAndRebuildTheirRules() throws Exception {
        Path f = dir.resolve("learned.journal");
        byte[] v4 = new byte[16];
        v4[0] = 127;
        v4[3] = 1;
        List<LearnJournal.Entry> batch = List.of(
                new LearnJournal.NetEntry("<kernel> /a", 2, 1 << 2, 7001, v4, new byte[0]),
                new LearnJournal.NetEntry("<kernel> /a", 1, 1 << 7, 0, new byte[16],
                        "\0x\ty".getBytes(StandardCharsets.ISO_8859_1)),
                new LearnJournal.CapEntry("<kernel> /a", 10),
                new LearnJournal.SignalEntry("<kernel> /a", 15, "<kernel> /usr/bin/sleep"));
        try (LearnJournal j = LearnJournal.open(f).journal()) {
            j.append(batch);
        }
        LearnJournal.Opened o = LearnJournal.open(f);
        assertThat(o.problems()).isEmpty();
        assertThat(o.entries()).isEqualTo(batch);
        List<String> rules = o.entries().stream().map(e -> ((LearnJournal.RuleEntry) e).rule().text()).toList();
        assertThat(rules).containsExactly("network inet stream connect 127.0.0.1 7001",
                "network unix dgram send \\000x\\011y", "capability net_bind_service",
                "ipc signal 15 <kernel> /usr/bin/sleep");
        o.journal().close();
    }

    @Test
    void malformedRuleEntriesNameTheirField() throws Exception {
        Path f = dir.resolve("learned.journal");
        Files.writeString(f, LearnJournal.MAGIC + "\nN\t<kernel>\t2\t4\t1\t7f00\t\nC\t<kernel>\nS\t<kernel>\tx\t<kernel>\n"
                + "N\t<kernel>\t2\t4\t1\tzz\t\n");
        LearnJournal.Opened o = LearnJournal.open(f);
        assertThat(o.entries()).isEmpty();
        assertThat(o.problems()).containsExactly(
                f + ":2: N entry address has 2 bytes, not 16 (entry skipped)",
                f + ":3: C entry needs 3 fields, has 2 (entry skipped)",
                f + ":4: bad signal 'x' (entry skipped)",
                f + ":5: bad address hex 'zz' (entry skipped)");
        o.journal().close();
    }
}
