package dev.tomoyoctl.daemon;

import dev.tomoyoctl.policy.abi.Abi;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** "status" names tmy_stats by index: the names must sit at tomoyo_abi.h's enum tmy_stat values. */
class BpfKernelStatsTest {
    @Test
    void statNamesFollowEnumTmyStat() {
        assertThat(BpfKernel.STAT_NAMES.get(Abi.TMY_STAT_EVENTS_DROPPED)).isEqualTo("eventsDropped");
        assertThat(BpfKernel.STAT_NAMES.get(Abi.TMY_STAT_DENIED)).isEqualTo("denied");
        assertThat(BpfKernel.STAT_NAMES.get(Abi.TMY_STAT_TRANSITION_FAILED)).isEqualTo("transitionFailed");
        assertThat(BpfKernel.STAT_NAMES.get(Abi.TMY_STAT_ADDR_SHORT)).isEqualTo("addrShort");
        assertThat(BpfKernel.STAT_NAMES.get(Abi.TMY_STAT_EXEC_LINK_UNNAMED)).isEqualTo("execLinkUnnamed");
        assertThat(BpfKernel.STAT_NAMES.get(Abi.TMY_STAT_EXEC_ARGV0_UNREAD)).isEqualTo("execArgv0Unread");
        assertThat(BpfKernel.STAT_NAMES).hasSize(Abi.TMY_STAT_EXEC_ARGV0_UNREAD + 1)
                .hasSizeLessThanOrEqualTo(Abi.TMY_STAT_MAX);
    }
}
