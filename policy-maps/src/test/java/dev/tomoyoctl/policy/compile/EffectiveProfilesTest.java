package dev.tomoyoctl.policy.compile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tomoyoctl.policy.PolicyParser;
import dev.tomoyoctl.policy.model.ProfileMode;
import dev.tomoyoctl.policy.model.ProfilePolicy;

import org.junit.jupiter.api.Test;

/** Replays of tomoyo_set_mode()/tomoyo_get_mode() on small profile files. */
class EffectiveProfilesTest {

    static EffectiveProfiles of(String text) throws Exception {
        return EffectiveProfiles.of(PolicyParser.parseProfilePolicy("p", text), "<kernel>");
    }

    @Test
    void tomoyoInitDefaults() {
        EffectiveProfiles e = EffectiveProfiles.of(ProfilePolicy.tomoyoDefault(), "<kernel>");
        for (int i = 0; i < 4; i++) {
            assertThat(e.isDefined(i)).isTrue();
            assertThat(e.mode(i, "file", "open")).isEqualTo(ProfileMode.values()[i]);
            assertThat(e.grantLog(i, "file", "execute")).isFalse();
            assertThat(e.rejectLog(i, "file", "execute")).isTrue();
            assertThat(e.maxLearningEntry(i)).isEqualTo(2048);
        }
        assertThat(e.isDefined(4)).isFalse();
        assertThat(e.mode(4, "file", null)).isEqualTo(ProfileMode.DISABLED);
        assertThat(e.rejectLog(4, "file", null)).isFalse();
        assertThat(e.maxLearningEntry(4)).isZero();
    }

    @Test
    void aProfileExistsWithAnyLineAndStartsDisabledWithBothLogs() throws Exception {
        EffectiveProfiles e = of("5-COMMENT=hello\n");
        assertThat(e.isDefined(5)).isTrue();
        assertThat(e.mode(5, "file", "open")).isEqualTo(ProfileMode.DISABLED);
        assertThat(e.grantLog(5, "file", null)).isTrue();
        assertThat(e.rejectLog(5, "file", null)).isTrue();
        assertThat(e.maxLearningEntry(5)).isEqualTo(2048);
        assertThat(e.maxAuditLog(5)).isEqualTo(1024);
        assertThat(e.comment(5)).isEqualTo("hello");
    }

    @Test
    void defaultLineKeepsUnwrittenLogFlags() throws Exception {
        EffectiveProfiles e = of("0-CONFIG={ mode=learning grant_log=no }\n0-CONFIG={ mode=enforcing }\n");
        assertThat(e.mode(0, "file", null)).isEqualTo(ProfileMode.ENFORCING);
        assertThat(e.grantLog(0, "file", null)).isFalse();
        assertThat(e.rejectLog(0, "file", null)).isTrue();
    }

    @Test
    void categoryLineWithAModeButNoLogsTurnsBothLogsOn() throws Exception {
        EffectiveProfiles e = of("0-CONFIG={ mode=enforcing grant_log=no reject_log=no }\n"
                + "0-CONFIG::file={ mode=learning }\n");
        assertThat(e.mode(0, "file", "open")).isEqualTo(ProfileMode.LEARNING);
        assertThat(e.grantLog(0, "file", "open")).isTrue();
        assertThat(e.rejectLog(0, "file", "open")).isTrue();
        assertThat(e.mode(0, "network", null)).isEqualTo(ProfileMode.ENFORCING);
        assertThat(e.grantLog(0, "network", null)).isFalse();
    }

    @Test
    void categoryLineWithLogsButNoModeChangesNothing() throws Exception {
        EffectiveProfiles e = of("0-CONFIG={ mode=permissive grant_log=no reject_log=yes }\n"
                + "0-CONFIG::file={ grant_log=yes }\n");
        assertThat(e.mode(0, "file", null)).isEqualTo(ProfileMode.PERMISSIVE);
        assertThat(e.grantLog(0, "file", null)).isFalse();
    }

    @Test
    void perOperationRefinesAndUseDefaultFallsBack() throws Exception {
        EffectiveProfiles e = of("""
                0-CONFIG={ mode=disabled grant_log=no reject_log=yes }
                0-CONFIG::file={ mode=enforcing grant_log=no reject_log=yes }
                0-CONFIG::file::open={ mode=permissive grant_log=no reject_log=no }
                0-CONFIG::ipc={ mode=learning }
                0-CONFIG::ipc={ use_default }
                0-CONFIG={ use_default }
                """);
        assertThat(e.mode(0, "file", "open")).isEqualTo(ProfileMode.PERMISSIVE);
        assertThat(e.rejectLog(0, "file", "open")).isFalse();
        assertThat(e.mode(0, "file", "execute")).isEqualTo(ProfileMode.ENFORCING);
        assertThat(e.mode(0, "ipc", null)).as("use_default on a category").isEqualTo(ProfileMode.DISABLED);
        assertThat(e.mode(0, "capability", null)).isEqualTo(ProfileMode.DISABLED);
    }

    @Test
    void namespacesHaveTheirOwnProfiles() throws Exception {
        var p = PolicyParser.parseProfilePolicy("p", "<apache> 1-CONFIG={ mode=enforcing }\n0-COMMENT=k\n");
        assertThat(EffectiveProfiles.of(p, "<kernel>").isDefined(1)).isFalse();
        assertThat(EffectiveProfiles.of(p, "<apache>").mode(1, "file", null)).isEqualTo(ProfileMode.ENFORCING);
        assertThat(EffectiveProfiles.of(p, "<apache>").isDefined(0)).isFalse();
    }
}
