package dev.tomoyoctl.policy.bench;

import dev.tomoyoctl.policy.PolicySet;
import dev.tomoyoctl.policy.abi.Abi;
import dev.tomoyoctl.policy.automaton.PathAutomaton;
import dev.tomoyoctl.policy.compile.CompiledPolicy;
import dev.tomoyoctl.policy.compile.DomainEntries;
import dev.tomoyoctl.policy.compile.MapEntry;
import dev.tomoyoctl.policy.compile.PolicyCompiler;
import dev.tomoyoctl.policy.model.ProfilePolicy;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Issue 5's scale benchmark, user-space half: how long parsing and compiling a 100,000-rule
 * policy takes (goal: compile under 2 s), and what it gives the kernel (map entries, automaton
 * cells). A benchmark, not a test: it prints numbers and asserts nothing. The kernel half (load
 * time, kernel memory, per-open cost) is bpf/bench/scale-in-vm.sh.
 *
 * <pre>
 * mvn -B -ntp -q -o -pl policy-maps -am -DskipTests test-compile
 * java -cp policy-maps/target/classes:policy-maps/target/test-classes \
 *     dev.tomoyoctl.policy.bench.PolicyScaleBench [--exact 100000] [--patterns 300] [--others 300]
 *     [--warmup 5] [--runs 10]
 * </pre>
 *
 * Each run times PolicySet.parse of the generated text, PolicyCompiler.compile of the parsed
 * policy, and CompiledPolicy.mapEntries (the key/value bytes the daemon writes), each in wall
 * and in the process's CPU time (all threads: the garbage collector's work counts). On a shared
 * machine the CPU time is what to read: it does not count time spent waiting for a CPU; with
 * several GC threads it can exceed the wall time. The first ("cold") run is reported apart: it is
 * what a freshly started daemon pays (JIT compilation included).
 *
 * <p>{@code --write DIR [--domain NAME] [--profile N]} writes the generated policy files into DIR
 * instead (domain_policy.conf, exception_policy.conf, profile.conf with TOMOYO's default profiles).
 */
public final class PolicyScaleBench {
    /** This process's CPU time: all threads, so the garbage collector's work counts too. */
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private PolicyScaleBench() {}

    /** Wall and CPU nanoseconds of one step. */
    record Time(long wallNs, long cpuNs) {}

    public static void main(String[] args) throws Exception {
        int exact = 100_000;
        int patterns = 300;
        int others = 300;
        int warmup = 5;
        int runs = 10;
        int profile = 3;
        String domain = "<kernel> /usr/sbin/bench-server";
        Path write = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(a + " needs a value");
            }
            String v = args[++i];
            switch (a) {
                case "--exact" -> exact = Integer.parseInt(v);
                case "--patterns" -> patterns = Integer.parseInt(v);
                case "--others" -> others = Integer.parseInt(v);
                case "--warmup" -> warmup = Integer.parseInt(v);
                case "--runs" -> runs = Integer.parseInt(v);
                case "--profile" -> profile = Integer.parseInt(v);
                case "--domain" -> domain = v;
                case "--write" -> write = Path.of(v);
                default -> throw new IllegalArgumentException("unknown option " + a + " (--exact N --patterns N "
                        + "--others N --warmup N --runs N | --write DIR [--domain NAME] [--profile N])");
            }
        }
        ScalePolicy gen = new ScalePolicy(domain, exact, patterns, others, profile);
        String dp = gen.domainPolicy();
        String ep = gen.exceptionPolicy();
        String pp = ProfilePolicy.tomoyoDefault().print();
        if (write != null) {
            Files.createDirectories(write);
            Files.writeString(write.resolve(PolicySet.DOMAIN_POLICY), dp, StandardCharsets.ISO_8859_1);
            Files.writeString(write.resolve(PolicySet.EXCEPTION_POLICY), ep, StandardCharsets.ISO_8859_1);
            Files.writeString(write.resolve(PolicySet.PROFILE), pp, StandardCharsets.ISO_8859_1);
            System.out.println("wrote " + gen.totalRules() + " rules in " + (others + 2) + " domains to " + write);
            return;
        }
        if (OS.getProcessCpuTime() < 0) {
            throw new IllegalStateException("this JVM cannot measure its CPU time");
        }
        run(gen, dp, ep, pp, warmup, runs);
    }

    private static void run(ScalePolicy gen, String dp, String ep, String pp, int warmup, int runs) throws Exception {
        Runtime rt = Runtime.getRuntime();
        System.out.printf(Locale.ROOT, "policy: %d exact + %d pattern rules in %s, %d other domains x %d rules; "
                        + "%d rules, %.1f MB of text%n", gen.exact(), gen.patterns(), gen.domain(), gen.others(),
                ScalePolicy.OTHER_RULES, gen.totalRules(), dp.length() / 1e6);
        System.out.printf(Locale.ROOT, "jvm: %s %s, %d CPUs available, max heap %d MB%n",
                System.getProperty("java.vm.name"), System.getProperty("java.version"), rt.availableProcessors(),
                rt.maxMemory() >> 20);

        int total = 1 + warmup + runs;
        Time[][] t = new Time[3][total];
        CompiledPolicy last = null;
        PolicySet parsed = null;
        for (int r = 0; r < total; r++) {
            final PolicySet[] p = new PolicySet[1];
            t[0][r] = time(() -> p[0] = PolicySet.parse(dp, ep, pp));
            final CompiledPolicy[] c = new CompiledPolicy[1];
            final int generation = r + 1;
            t[1][r] = time(() -> c[0] = PolicyCompiler.compile(p[0], generation));
            final long[] n = new long[1];
            t[2][r] = time(() -> {
                for (List<MapEntry> l : c[0].mapEntries().values()) {
                    n[0] += l.size();
                }
            });
            last = c[0];
            parsed = p[0];
        }

        System.out.printf(Locale.ROOT, "%n%-28s %10s %10s %10s %10s %10s %10s  %s%n", "step (ms)", "cold_wall",
                "cold_cpu", "best_wall", "med_wall", "best_cpu", "med_cpu", "rules/s (median wall)");
        String[] names = {"parse (PolicySet.parse)", "compile (PolicyCompiler)", "mapEntries (to bytes)"};
        for (int s = 0; s < 3; s++) {
            Time[] measured = Arrays.copyOfRange(t[s], 1 + warmup, total);
            long[] wall = Arrays.stream(measured).mapToLong(Time::wallNs).sorted().toArray();
            long[] cpu = Arrays.stream(measured).mapToLong(Time::cpuNs).sorted().toArray();
            long med = wall[wall.length / 2];
            System.out.printf(Locale.ROOT, "%-28s %10.1f %10.1f %10.1f %10.1f %10.1f %10.1f  %,.0f%n", names[s],
                    t[s][0].wallNs() / 1e6, t[s][0].cpuNs() / 1e6, wall[0] / 1e6, med / 1e6, cpu[0] / 1e6, cpu[cpu.length / 2] / 1e6,
                    gen.totalRules() / (med / 1e9));
        }
        System.out.printf(Locale.ROOT, "(%d cold run, %d warm-up runs, %d measured runs; best/median of the measured)%n",
                1, warmup, runs);

        System.out.printf("%nwhat the kernel gets (generation %d):%n", last.generation());
        long entries = 0;
        for (Map.Entry<String, List<MapEntry>> e : last.mapEntries().entrySet()) {
            int n = e.getValue().size();
            entries += e.getKey().equals(Abi.MAP_DFA) ? 0 : n;
            if (n > 0) {
                long bytes = e.getValue().stream().mapToLong(m -> m.key().length + m.value().length).sum();
                System.out.printf(Locale.ROOT, "  %-18s %8d entries %10d key+value bytes%n", e.getKey(), n, bytes);
            }
        }
        int blocks = last.entries(Abi.MAP_DFA).size();
        System.out.printf(Locale.ROOT, "  rule-map entries (all maps but tmy_dfa): %d%n", entries);
        System.out.printf(Locale.ROOT, "  automaton cells: %d (%d tmy_dfa blocks x %d), %.1f%% of a generation's %d%n",
                (long) blocks * Abi.TMY_DFA_BLOCK_CELLS, blocks, Abi.TMY_DFA_BLOCK_CELLS,
                100.0 * blocks * Abi.TMY_DFA_BLOCK_CELLS / Abi.TMY_DFA_HALF_CELLS, Abi.TMY_DFA_HALF_CELLS);
        DomainEntries big = PolicyCompiler.compileDomain(parsed, gen.domain(), last.generation());
        PathAutomaton a = big.automaton();
        System.out.printf(Locale.ROOT, "  %s: %d tmy_path_rules entries, automaton %s%n", gen.domain(),
                big.pathRules().size(), a == null ? "none" : a.states() + " states x " + a.classes() + " byte classes");
        System.out.printf(Locale.ROOT, "  warnings: %d%n", last.warnings().size());
        last.warnings().stream().limit(5).forEach(w -> System.out.println("    " + w));
    }

    private interface Step {
        void run() throws Exception;
    }

    private static Time time(Step s) throws Exception {
        long c0 = OS.getProcessCpuTime();
        long w0 = System.nanoTime();
        s.run();
        long w1 = System.nanoTime();
        long c1 = OS.getProcessCpuTime();
        return new Time(w1 - w0, c1 - c0);
    }
}
