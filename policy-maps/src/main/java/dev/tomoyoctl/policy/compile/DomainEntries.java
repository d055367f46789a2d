package dev.tomoyoctl.policy.compile;

import dev.tomoyoctl.policy.PolicyWarning;
import dev.tomoyoctl.policy.abi.TmyDomainKey;
import dev.tomoyoctl.policy.abi.TmyDomainVal;
import dev.tomoyoctl.policy.abi.TmyPathKey;
import dev.tomoyoctl.policy.abi.TmyPathVal;

import java.util.List;
import java.util.Map;

/**
 * One domain compiled: its tmy_domains element and its tmy_path_rules elements. Used to push a
 * domain again after learning changed it, without recompiling the whole policy.
 */
public record DomainEntries(String name, TmyDomainKey key, TmyDomainVal value, Map<TmyPathKey, TmyPathVal> pathRules,
                            List<PolicyWarning> warnings) {
}
