package dev.tomoyoctl.policy.compile;

import dev.tomoyoctl.policy.PolicyWarning;
import dev.tomoyoctl.policy.abi.Abi;
import dev.tomoyoctl.policy.abi.TmyCapVal;
import dev.tomoyoctl.policy.abi.TmyDomainKey;
import dev.tomoyoctl.policy.abi.TmyDomainVal;
import dev.tomoyoctl.policy.abi.TmyInetKey;
import dev.tomoyoctl.policy.abi.TmyInetRangeKey;
import dev.tomoyoctl.policy.abi.TmyInetRangeVal;
import dev.tomoyoctl.policy.abi.TmyPathKey;
import dev.tomoyoctl.policy.abi.TmyPathVal;
import dev.tomoyoctl.policy.abi.TmyPortKey;
import dev.tomoyoctl.policy.abi.TmyPortVal;
import dev.tomoyoctl.policy.abi.TmySignalKey;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One domain compiled: its tmy_domains element and its elements of every rule map. Used to push
 * a domain again after learning changed it, without recompiling the whole policy.
 *
 * @param pathRules   file rules and unix network rules (TMY_MATCH_UNIX)
 * @param inetRules   exact inet rules (tmy_inet_rules)
 * @param inetRanges  the domain's address blocks (tmy_inet_ranges); non-empty iff
 *                    value.flags has TMY_DOMAIN_INET_RANGES
 * @param portSets    the port sets its address blocks point to (tmy_port_sets); a port set may be
 *                    shared with other domains (same id, same entries)
 * @param capRules    at most one entry (tmy_cap_rules), none if the domain has no capability
 * @param signalRules tmy_signal_rules
 * @param unixAutomaton its "network unix" rules on patterns, or null (tmy_domain_val.dfa_unix)
 * @param condRules   its conditional rules (tmy_cond_rules), as many as value.conds
 * @param automaton   the domain's pattern rules as one automaton, or null if it has none; where
 *                    it goes in tmy_dfa is decided for the whole policy ({@link CompiledPolicy}),
 *                    so {@link #value()} has dfa 0 and a domain pushed again keeps the kernel's
 */
public record DomainEntries(String name, TmyDomainKey key, TmyDomainVal value, Map<TmyPathKey, TmyPathVal> pathRules,
                            Map<TmyInetKey, TmyPathVal> inetRules, Map<TmyInetRangeKey, TmyInetRangeVal> inetRanges,
                            Map<TmyPortKey, TmyPortVal> portSets, Map<TmyDomainKey, TmyCapVal> capRules,
                            Map<TmySignalKey, TmyPathVal> signalRules,
                            dev.tomoyoctl.policy.automaton.PathAutomaton automaton,
                            dev.tomoyoctl.policy.automaton.PathAutomaton unixAutomaton,
                            Map<dev.tomoyoctl.policy.abi.TmyCondKey, dev.tomoyoctl.policy.abi.TmyCondRule> condRules,
                            List<PolicyWarning> warnings) {
    public DomainEntries {
        pathRules = Collections.unmodifiableMap(pathRules);
        inetRules = Collections.unmodifiableMap(inetRules);
        inetRanges = Collections.unmodifiableMap(inetRanges);
        portSets = Collections.unmodifiableMap(portSets);
        capRules = Collections.unmodifiableMap(capRules);
        signalRules = Collections.unmodifiableMap(signalRules);
        condRules = Collections.unmodifiableMap(condRules);
        warnings = List.copyOf(warnings);
    }

    /**
     * The domain's elements as bytes per map name, in the order to write them: tmy_domains last,
     * so a domain's rules are in place before its flags (TMY_DOMAIN_INET_RANGES) point at them.
     */
    public Map<String, List<MapEntry>> mapEntries() {
        Map<String, List<MapEntry>> m = new LinkedHashMap<>();
        m.put(Abi.MAP_PATH_RULES, CompiledPolicy.bytes(pathRules));
        m.put(Abi.MAP_INET_RULES, CompiledPolicy.bytes(inetRules));
        m.put(Abi.MAP_PORT_SETS, CompiledPolicy.bytes(portSets));
        m.put(Abi.MAP_INET_RANGES, CompiledPolicy.bytes(inetRanges));
        m.put(Abi.MAP_CAP_RULES, CompiledPolicy.bytes(capRules));
        m.put(Abi.MAP_SIGNAL_RULES, CompiledPolicy.bytes(signalRules));
        m.put(Abi.MAP_COND_RULES, CompiledPolicy.bytes(condRules));
        List<MapEntry> d = new ArrayList<>();
        d.add(new MapEntry(key.toBytes(), value.toBytes()));
        m.put(Abi.MAP_DOMAINS, d);
        return m;
    }
}
