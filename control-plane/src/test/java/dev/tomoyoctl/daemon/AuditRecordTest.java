package dev.tomoyoctl.daemon;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class AuditRecordTest {
    @TempDir
    Path dir;

    static AuditRecord shadow(boolean granted, int profile) {
        return new AuditRecord(Instant.parse("2026-11-21T22:43:08.750Z"), profile, 3, granted, 812, 813, 0, 0,
                "<kernel> /work/t/workload.sh", "file read", "/etc/shadow", false);
    }

    @Test
    void textIsTomoyosThreeLineAuditFormat() {
        assertThat(shadow(false, 3).text()).isEqualTo(
                "#2026/11/21 22:43:08# profile=3 mode=enforcing granted=no (global-pid=813) task={ pid=812 uid=0 gid=0 }\n"
                        + "<kernel> /work/t/workload.sh\n"
                        + "file read /etc/shadow\n");
    }

    @Test
    void timeIsUtcWithZeroPaddingAndIdsAreUnsigned() {
        AuditRecord r = new AuditRecord(Instant.parse("2027-01-02T03:04:05Z"), 2, 2, true, -2, -2, -1, 65534,
                "<kernel>", "file append", "/var/log/x\\040y", true);
        assertThat(r.header()).isEqualTo("#2027/01/02 03:04:05# profile=2 mode=permissive granted=yes "
                + "(global-pid=4294967294) task={ pid=4294967294 uid=4294967295 gid=65534 } path.unresolved=yes");
        assertThat(r.rule()).isEqualTo("file append /var/log/x\\040y");
    }

    @Test
    void recordsGoToPerProfileFilesSeparatedByABlankLine() throws Exception {
        try (AuditLog log = new AuditLog(dir.resolve("log"), 2)) {
            List<AuditRecord> followed = new ArrayList<>();
            Runnable unsubscribe = log.subscribe(followed::add);
            log.append(shadow(false, 3));
            log.append(shadow(false, 3));
            log.append(shadow(true, 2));
            unsubscribe.run();
            log.append(shadow(false, 1));

            String reject3 = Files.readString(dir.resolve("log/reject_003.log"));
            assertThat(reject3).isEqualTo(shadow(false, 3).text() + "\n" + shadow(false, 3).text() + "\n");
            assertThat(Files.readString(dir.resolve("log/grant_002.log"))).isEqualTo(shadow(true, 2).text() + "\n");
            assertThat(dir.resolve("log/reject_001.log")).exists();
            assertThat(followed).hasSize(3);
            // Memory keeps the last `capacity` records, oldest first.
            assertThat(log.recent(10)).containsExactly(shadow(true, 2), shadow(false, 1));
            assertThat(log.recent(1)).containsExactly(shadow(false, 1));
            assertThat(log.written()).isEqualTo(4);
        }
    }

    @Test
    void jsonCarriesTheFieldsAndTheText() {
        var m = shadow(false, 3).toJson();
        assertThat(m).containsEntry("granted", false).containsEntry("mode", "enforcing")
                .containsEntry("operation", "file read").containsEntry("path", "/etc/shadow")
                .containsEntry("domain", "<kernel> /work/t/workload.sh").containsEntry("tid", 813L)
                .containsEntry("time", "2026-11-21T22:43:08.750Z")
                .containsEntry("rule", "file read /etc/shadow")
                .containsEntry("text", shadow(false, 3).text());
    }

    @Test
    void otherCategoriesPrintTheirRuleAsTheThirdLineAndNameTheirObject() {
        AuditRecord r = new AuditRecord(Instant.parse("2026-11-21T22:43:08Z"), 3, 3, false, 1, 1, 0, 0, "<kernel> /a",
                "network inet stream connect", "127.0.0.1 8080", false);
        assertThat(r.text()).endsWith("\n<kernel> /a\nnetwork inet stream connect 127.0.0.1 8080\n");
        assertThat(r.toJson()).containsEntry("operation", "network inet stream connect")
                .containsEntry("object", "127.0.0.1 8080").containsEntry("rule", "network inet stream connect 127.0.0.1 8080")
                .doesNotContainKey("path");
    }
}
