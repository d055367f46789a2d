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
}
