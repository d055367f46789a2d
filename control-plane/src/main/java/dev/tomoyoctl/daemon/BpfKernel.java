package dev.tomoyoctl.daemon;

import dev.tomoyoctl.loader.BpfException;
import dev.tomoyoctl.loader.BpfLink;
import dev.tomoyoctl.loader.BpfMap;
import dev.tomoyoctl.loader.BpfObject;
import dev.tomoyoctl.loader.BpfPins;
import dev.tomoyoctl.loader.KernelLsm;
import dev.tomoyoctl.loader.RingBuffer;
import dev.tomoyoctl.loader.UpdateFlag;
import dev.tomoyoctl.policy.PolicySet;
import dev.tomoyoctl.policy.PolicyWarning;
import dev.tomoyoctl.policy.abi.Abi;
import dev.tomoyoctl.policy.abi.TmyAggregatorKey;
import dev.tomoyoctl.policy.abi.TmyDomainKey;
import dev.tomoyoctl.policy.abi.TmyDomainVal;
import dev.tomoyoctl.policy.abi.TmyInetKey;
import dev.tomoyoctl.policy.abi.TmyInetRangeKey;
import dev.tomoyoctl.policy.abi.TmyPathKey;
import dev.tomoyoctl.policy.abi.TmyPortKey;
import dev.tomoyoctl.policy.abi.TmySignalKey;
import dev.tomoyoctl.policy.abi.TmyState;
import dev.tomoyoctl.policy.abi.TmyTransitionKey;
import dev.tomoyoctl.policy.compile.CompiledPolicy;
import dev.tomoyoctl.policy.compile.DomainEntries;
import dev.tomoyoctl.policy.compile.MapEntry;
import dev.tomoyoctl.policy.compile.PolicyCompiler;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;
import java.util.logging.Logger;

/**
 * The real kernel side: the BPF-LSM programs of tomoyo.bpf.o, pinned under
 * /sys/fs/bpf/tomoyoctl so that enforcement outlives the daemon.
 *
 * <p>Start: if links are pinned, a previous daemon attached the programs: adopt the pinned maps
 * and links (the policy in force stays in force until the new one is applied). Otherwise load
 * the object with its maps pinned (a map already pinned is reused with its contents) and attach
 * and pin every program. Before attaching, the kernel's active LSM list must contain "bpf":
 * otherwise the programs would attach and never run.
 *
 * <p>Policy changes follow tomoyo_abi.h's generations: every element of the new generation is
 * written, then tmy_state[0] switches to it in one update, then the old generation's keys are
 * deleted. No access is ever judged against a half-written policy.
 */
public final class BpfKernel implements Kernel {
    private static final Logger LOG = Logger.getLogger(BpfKernel.class.getName());
    public static final String OBJECT_RESOURCE = "dev/tomoyoctl/bpf/tomoyo.bpf.o";
    /**
     * Written in this order (tmy_state last: the switch). tmy_inet_ranges and tmy_port_sets are
     * LPM tries, which have no batch update: the loader's updateBatch writes them one by one.
     */
    private static final List<String> POLICY_MAPS = List.of(Abi.MAP_PROFILES, Abi.MAP_DFA, Abi.MAP_DOMAINS,
            Abi.MAP_PATH_RULES,
            Abi.MAP_TRANSITIONS, Abi.MAP_AGGREGATORS, Abi.MAP_INET_RULES, Abi.MAP_INET_RANGES, Abi.MAP_PORT_SETS,
            Abi.MAP_CAP_RULES, Abi.MAP_SIGNAL_RULES, Abi.MAP_COND_RULES, Abi.MAP_STATE);
    /** tmy_stats indexes (enum tmy_stat) and the names "status" shows them by. */
    static final List<String> STAT_NAMES = List.of("events", "eventsDropped", "pathUnresolved", "taskNoStorage",
            "denied", "learned", "domainsFull", "rulesFull", "scratchBusy", "transitionFailed", "addrShort",
            "execLinkUnnamed", "execArgv0Unread");

    private final BpfPins pins;
    private final String how;
    private final Map<String, BpfMap> maps;
    private final Map<String, BpfLink> links;
    private final RingBufferEvents events;
    private int generation;
    private boolean closed;

    private BpfKernel(BpfPins pins, String how, Map<String, BpfMap> maps, Map<String, BpfLink> links) {
        this.pins = pins;
        this.how = how;
        this.maps = maps;
        this.links = links;
        this.events = new RingBufferEvents(RingBuffer.open(map(Abi.MAP_EVENTS)));
        this.generation = TmyState.decode(map(Abi.MAP_STATE).lookup(CompiledPolicy.u32(0))
                .orElseThrow(() -> new BpfException("tmy_state has no element 0"))).generation();
    }

    /**
     * Attaches (or adopts) the programs.
     *
     * @param pinRoot where the pins live (/sys/fs/bpf/tomoyoctl)
     * @param object  the BPF object file, or null for the one shipped in the loader jar
     */
    public static BpfKernel attachOrAdopt(Path pinRoot, Path object) throws IOException {
        BpfPins pins = new BpfPins(pinRoot);
        try {
            if (pins.hasPinnedLinks()) {
                BpfPins.Adopted a = pins.adopt();
                LOG.info("adopted pinned programs " + a.links().keySet() + " under " + pinRoot);
                return new BpfKernel(pins, "adopted", new LinkedHashMap<>(a.maps()), new LinkedHashMap<>(a.links()));
            }
            KernelLsm.requireBpf();
            try (BpfObject obj = object == null ? BpfObject.openResource(OBJECT_RESOURCE) : BpfObject.open(object)) {
                pins.prepare(obj);
                OptionalHooks.enable(obj, OptionalHooks.VMLINUX_BTF);
                obj.load();
                Map<String, BpfMap> maps = new LinkedHashMap<>();
                for (String name : obj.declaredMapNames()) {
                    maps.put(name, obj.map(name));
                }
                Map<String, BpfLink> links;
                try {
                    links = pins.attachAndPin(obj);
                } catch (RuntimeException e) {
                    maps.values().forEach(BpfMap::close);
                    throw e;
                }
                LOG.info("attached and pinned " + links.keySet() + " under " + pinRoot);
                return new BpfKernel(pins, "attached", maps, new LinkedHashMap<>(links));
            }
        } catch (BpfException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    private BpfMap map(String name) {
        BpfMap m = maps.get(name);
        if (m == null) {
            throw new BpfException("the BPF object has no map '" + name + "' (maps: " + maps.keySet() + ")");
        }
        return m;
    }

    private record Compiled(CompiledPolicy policy, List<String> warnings) implements Prepared {
    }

    @Override
    public Prepared prepare(PolicySet policy) {
        CompiledPolicy c;
        try {
            c = PolicyCompiler.compile(policy, nextGeneration());
        } catch (IllegalArgumentException e) {
            throw new ControlException("the policy cannot be compiled: " + e.getMessage());
        }
        return new Compiled(c, c.warnings().stream().map(PolicyWarning::toString).toList());
    }

    private int nextGeneration() {
        // Generation 0 is what an empty tmy_state holds; wrapping past 2^32-1 skips it.
        int next = generation + 1;
        return next == 0 ? 1 : next;
    }

    @Override
    public long apply(Prepared prepared) throws IOException {
        CompiledPolicy c = ((Compiled) prepared).policy();
        if (c.generation() != nextGeneration()) {
            throw new IOException("policy compiled for generation " + c.generation() + ", kernel is at " + generation);
        }
        Map<String, List<MapEntry>> entries = c.mapEntries();
        try {
            // 1. the new generation, everything but the switch
            for (String name : POLICY_MAPS) {
                if (name.equals(Abi.MAP_STATE)) {
                    continue;
                }
                List<BpfMap.Entry> batch = new ArrayList<>();
                for (MapEntry e : entries.getOrDefault(name, List.of())) {
                    batch.add(new BpfMap.Entry(e.key(), e.value()));
                }
                map(name).updateBatch(batch, UpdateFlag.ANY); // one syscall per map where supported
            }
        } catch (BpfException e) {
            deleteGeneration(c.generation()); // leave no half-written generation behind
            throw new IOException("writing generation " + c.generation() + " failed: " + e.getMessage(), e);
        }
        // 2. the switch: one update of tmy_state[0]
        MapEntry state = entries.get(Abi.MAP_STATE).get(0);
        try {
            map(Abi.MAP_STATE).update(state.key(), state.value());
        } catch (BpfException e) {
            deleteGeneration(c.generation());
            throw new IOException("switching to generation " + c.generation() + " failed: " + e.getMessage(), e);
        }
        generation = c.generation();
        // 3. the old generations (everything not of the new one: also leftovers of a crash)
        deleteAllBut(generation);
        return generation;
    }

    private void deleteGeneration(int gen) {
        try {
            sweep(k -> k == gen);
        } catch (BpfException e) {
            LOG.warning("cleaning generation " + gen + ": " + e.getMessage());
        }
    }

    private void deleteAllBut(int gen) {
        try {
            sweep(k -> k != gen);
        } catch (BpfException e) {
            LOG.warning("deleting old generations: " + e.getMessage() + " (they are unused; the next update retries)");
        }
    }

    private interface GenPredicate {
        boolean test(int generation);
    }

    private void sweep(GenPredicate doomed) {
        sweep(Abi.MAP_DOMAINS, k -> TmyDomainKey.decode(k).generation(), doomed);
        sweep(Abi.MAP_PATH_RULES, k -> TmyPathKey.decode(k).generation(), doomed);
        sweep(Abi.MAP_TRANSITIONS, k -> TmyTransitionKey.decode(k).generation(), doomed);
        sweep(Abi.MAP_AGGREGATORS, k -> TmyAggregatorKey.decode(k).generation(), doomed);
        sweep(Abi.MAP_INET_RULES, k -> TmyInetKey.decode(k).generation(), doomed);
        sweep(Abi.MAP_INET_RANGES, k -> TmyInetRangeKey.decode(k).generation(), doomed);
        sweep(Abi.MAP_PORT_SETS, k -> TmyPortKey.decode(k).generation(), doomed);
        sweep(Abi.MAP_CAP_RULES, k -> TmyDomainKey.decode(k).generation(), doomed);
        sweep(Abi.MAP_SIGNAL_RULES, k -> TmySignalKey.decode(k).generation(), doomed);
        sweep(Abi.MAP_COND_RULES, k -> dev.tomoyoctl.policy.abi.TmyCondKey.decode(k).generation(), doomed);
    }

    private void sweep(String name, ToIntFunction<byte[]> generationOf, GenPredicate doomed) {
        BpfMap m = map(name);
        List<byte[]> delete = new ArrayList<>();
        for (byte[] k : m.keys()) {
            if (doomed.test(generationOf.applyAsInt(k))) {
                delete.add(k);
            }
        }
        m.deleteBatch(delete);
    }

    /**
     * Writes each domain's compiled entries under the generation in force, map by map in the
     * order {@link DomainEntries#mapEntries} gives (tmy_domains last, so a domain's flags never
     * point at rules not yet written). Learning adds only exact entries, which the kernel has
     * already; what this brings in line is what only user space knows (the parent id, quota
     * count and flags). Port-set ids are derived so that a domain compiled alone gets the ids
     * of the whole policy's compile (DomainEntries' contract), so rewriting them is harmless.
     */
    @Override
    public void refreshDomains(PolicySet policy, List<String> domains) throws IOException {
        if (generation == 0) {
            return; // nothing applied yet
        }
        Map<String, List<BpfMap.Entry>> byMap = new LinkedHashMap<>();
        for (String name : domains) {
            if (policy.domain(name) == null) {
                continue;
            }
            DomainEntries e = PolicyCompiler.compileDomain(policy, name, generation);
            Map<String, List<MapEntry>> entries = e.mapEntries();
            if (e.automaton() != null || e.unixAutomaton() != null) {
                // Learning adds exact rules only: the domain's automata, placed by the whole
                // policy's compile, are still the ones the kernel has; keep pointing at them.
                TmyDomainVal cur = map(Abi.MAP_DOMAINS).lookup(e.key().toBytes()).map(TmyDomainVal::decode).orElse(null);
                if (cur == null || (e.automaton() != null && cur.dfa() == 0)
                        || (e.unixAutomaton() != null && cur.dfaUnix() == 0)) {
                    LOG.warning("domain '" + name + "' has pattern rules but the kernel has no automaton for them; "
                            + "they are enforced once the policy is applied again");
                }
                TmyDomainVal v = e.value().withDfa(cur == null ? 0 : cur.dfa()).withDfaUnix(cur == null ? 0 : cur.dfaUnix());
                entries.put(Abi.MAP_DOMAINS, List.of(new MapEntry(e.key().toBytes(), v.toBytes())));
            }
            entries.forEach((m, list) -> {
                List<BpfMap.Entry> out = byMap.computeIfAbsent(m, x -> new ArrayList<>());
                list.forEach(me -> out.add(new BpfMap.Entry(me.key(), me.value())));
            });
        }
        try {
            for (Map.Entry<String, List<BpfMap.Entry>> m : byMap.entrySet()) {
                map(m.getKey()).updateBatch(m.getValue(), UpdateFlag.ANY);
            }
        } catch (BpfException e) {
            throw new IOException("refreshing " + domains.size() + " domains in generation " + generation() + ": "
                    + e.getMessage(), e);
        }
    }

    @Override
    public long generation() {
        return Integer.toUnsignedLong(generation);
    }

    @Override
    public EventSource events() {
        return events;
    }

    @Override
    public Map<String, Object> status() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("state", how);
        m.put("pins", pins.root().toString());
        m.put("programs", new ArrayList<>(links.keySet()));
        m.put("generation", generation());
        BpfMap stats = maps.get(Abi.MAP_STATS);
        if (stats != null) {
            Map<String, Object> s = new LinkedHashMap<>();
            for (int i = 0; i < STAT_NAMES.size(); i++) {
                try {
                    s.put(STAT_NAMES.get(i), stats.sumPerCpu(i));
                } catch (BpfException e) {
                    s.put(STAT_NAMES.get(i), "unreadable: " + e.getMessage());
                }
            }
            m.put("stats", s);
        }
        m.put("ringPendingBytes", events.pendingBytes());
        return m;
    }

    @Override
    public void unload() throws IOException {
        close();
        try {
            List<Path> removed = pins.unload();
            LOG.info("removed " + removed.size() + " pins under " + pins.root());
        } catch (BpfException e) {
            throw new IOException(e.getMessage(), e);
        }
        if (Files.exists(pins.root())) {
            throw new IOException(pins.root() + " still exists after unload");
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        events.close();
        maps.values().forEach(BpfMap::close);
        links.values().forEach(BpfLink::close); // pinned: the programs stay attached
    }
}
