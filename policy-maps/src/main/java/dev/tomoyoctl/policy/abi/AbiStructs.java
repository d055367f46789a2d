package dev.tomoyoctl.policy.abi;

import java.util.List;

/** Every struct layout of tomoyo_abi.h that a Java record mirrors (for layout checks). */
public final class AbiStructs {
    private AbiStructs() {}

    public static final List<AbiLayout> ALL = List.of(TmyProfile.LAYOUT, TmyState.LAYOUT, TmyTask.LAYOUT,
            TmyDomainKey.LAYOUT, TmyDomainVal.LAYOUT, TmyPathKey.LAYOUT, TmyPathVal.LAYOUT, TmyTransitionKey.LAYOUT,
            TmyAggregatorKey.LAYOUT, TmyAggregatorVal.LAYOUT, TmyEventHdr.LAYOUT, TmyDomainEvent.LAYOUT,
            TmyAccessEvent.LAYOUT, TmyInetKey.LAYOUT, TmyInetRangeKey.LAYOUT, TmyInetRangeVal.LAYOUT, TmyPortKey.LAYOUT,
            TmyPortVal.LAYOUT, TmyCapVal.LAYOUT, TmySignalKey.LAYOUT, TmyNetEvent.LAYOUT, TmyCapEvent.LAYOUT,
            TmySignalEvent.LAYOUT, TmyDfaBlock.LAYOUT, TmyCondKey.LAYOUT,
            TmyCondRule.LAYOUT, TmyCondRule.CLAUSE_LAYOUT);
}
