package dev.tomoyoctl.policy.compile;

import dev.tomoyoctl.policy.PolicyWarning;
import dev.tomoyoctl.policy.abi.Abi;
import dev.tomoyoctl.policy.abi.TmyAggregatorKey;
import dev.tomoyoctl.policy.abi.TmyAggregatorVal;
import dev.tomoyoctl.policy.abi.TmyCapVal;
import dev.tomoyoctl.policy.abi.TmyInetKey;
import dev.tomoyoctl.policy.abi.TmyInetRangeKey;
import dev.tomoyoctl.policy.abi.TmyInetRangeVal;
import dev.tomoyoctl.policy.abi.TmyPortKey;
import dev.tomoyoctl.policy.abi.TmyPortVal;
import dev.tomoyoctl.policy.abi.TmySignalKey;
import dev.tomoyoctl.policy.abi.TmyDomainKey;
import dev.tomoyoctl.policy.abi.TmyDomainVal;
import dev.tomoyoctl.policy.abi.TmyPathKey;
import dev.tomoyoctl.policy.abi.TmyPathVal;
import dev.tomoyoctl.policy.abi.TmyProfile;
import dev.tomoyoctl.policy.abi.TmyState;
import dev.tomoyoctl.policy.abi.TmyTransitionKey;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A policy compiled for one generation: the typed elements of every policy map, the domain names
 * by id, and the warnings for what was not compiled.
 *
 * <p>How to apply it (tomoyo_abi.h, "policy generations"): write {@link #profiles()} into the
 * array map tmy_profiles (index = profile number, 256 entries), then insert every element of
 * tmy_domains, tmy_path_rules, the network, capability and signal maps, tmy_transitions and
 * tmy_aggregators (all keys carry
 * {@link #generation()}), then switch tmy_state[0] to {@link #state()} with one update, then
 * delete the previous generation's keys. {@link #mapEntries()} gives all of it as key/value bytes
 * per map name.
 */
public record CompiledPolicy(int generation, List<TmyProfile> profiles, Map<TmyDomainKey, TmyDomainVal> domains,
                             Map<TmyPathKey, TmyPathVal> pathRules, Map<TmyInetKey, TmyPathVal> inetRules,
                             Map<TmyInetRangeKey, TmyInetRangeVal> inetRanges, Map<TmyPortKey, TmyPortVal> portSets,
                             Map<TmyDomainKey, TmyCapVal> capRules, Map<TmySignalKey, TmyPathVal> signalRules,
                             Map<dev.tomoyoctl.policy.abi.TmyCondKey, dev.tomoyoctl.policy.abi.TmyCondRule> condRules,
                             Set<TmyTransitionKey> transitions,
                             Map<TmyAggregatorKey, TmyAggregatorVal> aggregators, Map<Integer, byte[]> dfaBlocks,
                             Map<Long, String> domainNames,
                             List<PolicyWarning> warnings) {

    public CompiledPolicy {
        if (profiles.size() != Abi.TMY_PROFILE_MAX) {
            throw new IllegalArgumentException("tmy_profiles has " + Abi.TMY_PROFILE_MAX + " entries");
        }
        profiles = List.copyOf(profiles);
        domains = Collections.unmodifiableMap(domains);
        pathRules = Collections.unmodifiableMap(pathRules);
        inetRules = Collections.unmodifiableMap(inetRules);
        inetRanges = Collections.unmodifiableMap(inetRanges);
        portSets = Collections.unmodifiableMap(portSets);
        capRules = Collections.unmodifiableMap(capRules);
        signalRules = Collections.unmodifiableMap(signalRules);
        condRules = Collections.unmodifiableMap(condRules);
        transitions = Collections.unmodifiableSet(transitions);
        aggregators = Collections.unmodifiableMap(aggregators);
        dfaBlocks = Collections.unmodifiableMap(dfaBlocks);
        domainNames = Collections.unmodifiableMap(domainNames);
        warnings = List.copyOf(warnings);
    }

    /** The tmy_state value that activates this generation. */
    public TmyState state() {
        return new TmyState(generation, 0);
    }

    /** A __u32 array-map index or value, little-endian. */
    public static byte[] u32(int v) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array();
    }

    /** Entries of one map by its name in the BPF object ({@link Abi#MAP_PROFILES} ...). */
    public List<MapEntry> entries(String mapName) {
        List<MapEntry> out = new ArrayList<>();
        switch (mapName) {
            case Abi.MAP_PROFILES -> {
                for (int i = 0; i < profiles.size(); i++) {
                    out.add(new MapEntry(u32(i), profiles.get(i).toBytes()));
                }
            }
            case Abi.MAP_DOMAINS -> domains.forEach((k, v) -> out.add(new MapEntry(k.toBytes(), v.toBytes())));
            case Abi.MAP_PATH_RULES -> out.addAll(bytes(pathRules));
            case Abi.MAP_INET_RULES -> out.addAll(bytes(inetRules));
            case Abi.MAP_INET_RANGES -> out.addAll(bytes(inetRanges));
            case Abi.MAP_PORT_SETS -> out.addAll(bytes(portSets));
            case Abi.MAP_CAP_RULES -> out.addAll(bytes(capRules));
            case Abi.MAP_SIGNAL_RULES -> out.addAll(bytes(signalRules));
            case Abi.MAP_COND_RULES -> out.addAll(bytes(condRules));
            case Abi.MAP_TRANSITIONS -> {
                byte[] present = u32(Abi.TRANSITION_PRESENT);
                transitions.forEach(k -> out.add(new MapEntry(k.toBytes(), present)));
            }
            case Abi.MAP_AGGREGATORS -> aggregators.forEach((k, v) -> out.add(new MapEntry(k.toBytes(), v.toBytes())));
            case Abi.MAP_DFA -> dfaBlocks.forEach((k, v) -> out.add(new MapEntry(u32(k), v)));
            case Abi.MAP_STATE -> out.add(new MapEntry(u32(0), state().toBytes()));
            default -> throw new IllegalArgumentException("not a policy map: " + mapName);
        }
        return out;
    }

    /** Keys and values of a map of ABI records as bytes. */
    static List<MapEntry> bytes(Map<?, ?> m) {
        List<MapEntry> out = new ArrayList<>(m.size());
        m.forEach((k, v) -> out.add(new MapEntry(toBytes(k), toBytes(v))));
        return out;
    }

    private static byte[] toBytes(Object o) {
        try {
            return (byte[]) o.getClass().getMethod("toBytes").invoke(o);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(o.getClass() + " has no toBytes()", e);
        }
    }

    /** The names of the policy maps in the order {@link #mapEntries()} gives them. */
    public static final List<String> WRITE_ORDER = List.of(Abi.MAP_PROFILES, Abi.MAP_DFA, Abi.MAP_DOMAINS, Abi.MAP_PATH_RULES,
            Abi.MAP_INET_RULES, Abi.MAP_PORT_SETS, Abi.MAP_INET_RANGES, Abi.MAP_CAP_RULES, Abi.MAP_SIGNAL_RULES,
            Abi.MAP_COND_RULES, Abi.MAP_TRANSITIONS, Abi.MAP_AGGREGATORS, Abi.MAP_STATE);

    /**
     * Every policy map's entries, in the order they must be written: tmy_profiles, tmy_dfa (the
     * half of this generation, which no key of the generation in force points into), tmy_domains,
     * tmy_path_rules, tmy_inet_rules, tmy_port_sets, tmy_inet_ranges, tmy_cap_rules,
     * tmy_signal_rules, tmy_transitions, tmy_aggregators, and last tmy_state (the switch). All
     * keys carry the new generation, so the order among the rule maps does not change what the
     * kernel sees before the switch.
     */
    public Map<String, List<MapEntry>> mapEntries() {
        Map<String, List<MapEntry>> m = new LinkedHashMap<>();
        for (String name : WRITE_ORDER) {
            m.put(name, entries(name));
        }
        return m;
    }

    /** The domain name of an id, or null. */
    public String domainName(long id) {
        return domainNames.get(id);
    }
}
