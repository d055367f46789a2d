package dev.tomoyoctl.policy.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tomoyoctl.loader.BpfMap;
import dev.tomoyoctl.loader.BpfObject;
import dev.tomoyoctl.loader.BpfProgram;
import dev.tomoyoctl.policy.DomainId;
import dev.tomoyoctl.policy.PathHash;
import dev.tomoyoctl.policy.PathPattern;
import dev.tomoyoctl.policy.PolicySet;
import dev.tomoyoctl.policy.TomoyoName;
import dev.tomoyoctl.policy.abi.Abi;
import dev.tomoyoctl.policy.abi.TmyDomainKey;
import dev.tomoyoctl.policy.abi.TmyDomainVal;
import dev.tomoyoctl.policy.compile.CompiledPolicy;
import dev.tomoyoctl.policy.compile.PolicyCompiler;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * The second test tier: the kernel side's own hashing and rule-lookup code (the static inline
 * helpers the LSM programs use, compiled into bpf/test/hash.bpf.c as a {@code syscall} program)
 * run on this machine's kernel with BPF_PROG_TEST_RUN, against the Java side on generated input.
 * Hashes must agree bit for bit; a policy compiled in Java and written into the maps must grant
 * exactly what the Java reference matcher says TOMOYO's patterns grant.
 */
class KernelAgreementTest {
    private static final Path OBJECT = repo().resolve("bpf/target/obj/test/hash.bpf.o");
    /** Layout of struct tmy_hash_test (bpf/test/hash_test.h). */
    private static final int CTX_SIZE = 4688, OFF_PATH_HASH = 32, OFF_CHILD = 40, OFF_PREFIX_COUNT = 56,
            OFF_GRANTED = 64, OFF_ERR = 72, OFF_DFA = 76, OFF_PREFIX = 80, OFF_PATH = 592, PREFIXES = 64;

    private static BpfObject object;
    private static BpfProgram program;

    @BeforeContainer
    static void load() {
        object = BpfObject.open(OBJECT);
        object.load();
        program = object.program("tmy_hash_test");
    }

    @AfterContainer
    static void close() {
        if (object != null) {
            object.close();
        }
    }

    static Path repo() {
        String p = System.getProperty("tomoyoctl.repo");
        return p != null ? Path.of(p) : Path.of("").toAbsolutePath().getParent();
    }

    private record Out(long pathHash, long child, int prefixCount, long[] prefixes, int granted, int err) {}

    private static Out run(byte[] path, long parent, long ruleDomain, int generation, int depths, int want) {
        return run(path, parent, ruleDomain, generation, depths, want, 0);
    }

    private static Out run(byte[] path, long parent, long ruleDomain, int generation, int depths, int want, int dfa) {
        ByteBuffer ctx = ByteBuffer.allocate(CTX_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        ctx.putLong(0, parent).putLong(8, ruleDomain).putInt(16, path.length).putInt(20, generation)
                .putInt(24, depths).putInt(28, want).putInt(OFF_DFA, dfa);
        ctx.put(OFF_PATH, path);
        var r = program.testRun(ctx.array());
        ByteBuffer o = ByteBuffer.wrap(r.ctx()).order(ByteOrder.LITTLE_ENDIAN);
        long[] prefixes = new long[PREFIXES];
        for (int i = 0; i < PREFIXES; i++) {
            prefixes[i] = o.getLong(OFF_PREFIX + 8 * i);
        }
        return new Out(o.getLong(OFF_PATH_HASH), o.getLong(OFF_CHILD), o.getInt(OFF_PREFIX_COUNT), prefixes,
                o.getInt(OFF_GRANTED), o.getInt(OFF_ERR));
    }

    // ---- hashes -------------------------------------------------------------------------------

    @Provide
    Arbitrary<byte[]> rawPaths() {
        // Mostly path-like bytes with many '/', some bytes TOMOYO escapes, lengths up to PATH_MAX-1.
        Arbitrary<Byte> b = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, Arbitraries.of((byte) '/')),
                net.jqwik.api.Tuple.of(30, Arbitraries.bytes().between((byte) 'a', (byte) 'z')),
                net.jqwik.api.Tuple.of(3, Arbitraries.of((byte) ' ', (byte) '\\', (byte) 0x7f, (byte) 0xff, (byte) '\n')));
        Arbitrary<Integer> len = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(8, Arbitraries.integers().between(0, 200)),
                net.jqwik.api.Tuple.of(2, Arbitraries.integers().between(3900, 4095)));
        return len.flatMap(n -> b.array(byte[].class).ofSize(n));
    }

    @Property(tries = 300)
    void pathHashChildIdAndPrefixHashesAgreeBitForBit(@ForAll("rawPaths") byte[] path, @ForAll long parent) {
        Out k = run(path, parent, 0, 0, 0, 0);
        assertThat(k.err()).isZero();
        assertThat(k.pathHash()).isEqualTo(PathHash.ofRaw(path));
        assertThat(k.child()).isEqualTo(DomainId.child(parent, PathHash.ofRaw(path)));
        List<Long> expected = new ArrayList<>();
        for (int i = 0; i < path.length; i++) {
            if (path[i] == '/') {
                expected.add(PathHash.update(PathHash.FNV64_OFFSET, path, 0, i + 1));
            }
        }
        // The kernel keeps the first TMY_PREFIX_MAX - 1 = 2047 boundaries (a real path of PATH_MAX
        // bytes has at most 2048 '/', the last one never a subtree prefix of a longer path).
        assertThat(k.prefixCount()).isEqualTo(Math.min(expected.size(), 2047));
        for (int i = 0; i < Math.min(PREFIXES, expected.size()); i++) {
            assertThat(k.prefixes()[i]).as("prefix %d", i).isEqualTo(expected.get(i));
        }
    }

    @Property(tries = 100)
    void aDomainIdFoldedInTheKernelIsTheIdJavaComputesFromTheName(@ForAll("programs") List<String> programs) {
        long id = DomainId.KERNEL;
        StringBuilder name = new StringBuilder(DomainId.KERNEL_NAME);
        for (String p : programs) {
            id = run(p.getBytes(StandardCharsets.ISO_8859_1), id, 0, 0, 0, 0).child();
            name.append(' ').append(TomoyoName.encode(p.getBytes(StandardCharsets.ISO_8859_1)));
        }
        assertThat(id).isEqualTo(DomainId.of(name.toString()));
    }

    @Provide
    Arbitrary<List<String>> programs() {
        return Arbitraries.strings().withChars("abc/ \\\u00e9").ofMinLength(1).ofMaxLength(30)
                .map(s -> "/" + s).list().ofMinSize(1).ofMaxSize(8);
    }

    // ---- rules --------------------------------------------------------------------------------

    private static final List<String> DIRS = List.of("/a/", "/a/b/", "/a/bc/", "/ab/", "/c/d/e/");

    /** A domain's file rules: exact paths and TOMOYO's subtree trio (dir/\*, dir/\{\*\}/\*, dir/\{\*\}/). */
    @Provide
    Arbitrary<List<String>> rules() {
        // issue 5's single-path operations use the same lookup with their own bits
        Arbitrary<String> perm = Arbitraries.of("read", "write", "append", "read/write", "unlink/getattr", "rmdir",
                "getattr", "truncate/symlink", "chroot", "unmount");
        Arbitrary<String> exact = Combinators.combine(perm, Arbitraries.of("/a/x", "/a/b/x", "/ab", "/a/", "/c/d/e/f", "/a/bc/y"))
                .as((p, f) -> "file " + p + " " + f);
        Arbitrary<String> subtree = Combinators.combine(perm, Arbitraries.of(DIRS))
                .as((p, d) -> "file " + p + " " + d + "\\*\nfile " + p + " " + d + "\\{\\*\\}/\\*\nfile " + p + " " + d + "\\{\\*\\}/");
        return Arbitraries.oneOf(exact, subtree).list().ofMinSize(0).ofMaxSize(6);
    }

    @Provide
    Arbitrary<String> queries() {
        return Arbitraries.of("/a/x", "/a/y", "/a/b/x", "/a/b/c/d", "/a/b/", "/a/", "/a", "/ab", "/ab/z", "/abc/z",
                "/a/bc/y", "/a/bcd/y", "/c/d/e/f", "/c/d/e/", "/c/d/ef", "/c/d/e/f/g/h/", "/x");
    }

    @Property(tries = 200)
    void compiledRulesGrantInTheKernelExactlyWhatTheReferenceMatcherGrants(@ForAll("rules") List<String> rules,
            @ForAll("queries") String query, @ForAll("wants") int want) throws Exception {
        String domain = "<kernel> /usr/sbin/test-service";
        String text = domain + "\nuse_profile 3\n\n" + String.join("\n", rules) + "\n";
        PolicySet set = PolicySet.parse(text, "", "");
        int generation = 7;
        CompiledPolicy compiled = PolicyCompiler.compile(set, generation);
        long id = DomainId.of(domain);
        loadRulesAndAutomata(compiled); // the automata are not walked here: run() passes no dfa
        TmyDomainVal val = compiled.domains().get(new TmyDomainKey(id, generation));
        assertThat(val).isNotNull();

        int expected = 0;
        for (String rule : rules) {
            for (String line : rule.split("\n")) {
                String[] w = line.split(" ");
                if (PathPattern.matches(query, w[2])) {
                    expected |= permBits(w[1]);
                }
            }
        }
        Out k = run(query.getBytes(StandardCharsets.ISO_8859_1), 0, id, generation, val.subtreeDepths(), want);
        assertThat(k.err()).isZero();
        assertThat(k.granted()).as("kernel grants for %s asking %d under %s", query, want, rules).isEqualTo(expected & want);
    }

    // ---- patterns: the domain's automaton walked by the kernel's own code ---------------------------

    @Provide
    Arbitrary<List<String>> patternRules() {
        Arbitrary<String> perm = Arbitraries.of("read", "write", "read/write", "unlink/getattr", "truncate");
        Arbitrary<String> pattern = dev.tomoyoctl.policy.automaton.PathAutomatonTest.patterns()
                .filter(TomoyoName::isCorrectWord);
        Arbitrary<String> patterned = Combinators.combine(perm, pattern).as((p, f) -> "file " + p + " " + f);
        return Arbitraries.oneOf(patterned, patterned, rules().map(l -> String.join("\n", l)).filter(x -> !x.isEmpty()))
                .list().ofMinSize(1).ofMaxSize(6);
    }

    @Property(tries = 150)
    void patternRulesGrantInTheKernelExactlyWhatTheReferenceMatcherGrants(@ForAll("patternRules") List<String> rules,
            @ForAll("patternNames") List<String> queries) throws Exception {
        String domain = "<kernel> /usr/sbin/pattern-service";
        String text = domain + "\nuse_profile 3\n\n" + String.join("\n", rules) + "\n";
        PolicySet set = PolicySet.parse(text, "", "");
        int generation = 1 + (rules.hashCode() & 1); // both halves of tmy_dfa
        CompiledPolicy compiled = PolicyCompiler.compile(set, generation);
        long id = DomainId.of(domain);
        loadRulesAndAutomata(compiled);
        TmyDomainVal val = compiled.domains().get(new TmyDomainKey(id, generation));
        for (String query : queries) {
            int expected = 0;
            for (String rule : rules) {
                for (String line : rule.split("\n")) {
                    String[] w = line.split(" ");
                    if (PathPattern.matches(query, w[2])) {
                        expected |= permBits(w[1]);
                    }
                }
            }
            for (int want : new int[] {Abi.TMY_PERM_READ, Abi.TMY_PERM_WRITE, Abi.TMY_PERM_GETATTR,
                                       Abi.TMY_PERM_READ | Abi.TMY_PERM_WRITE}) {
                Out k = run(TomoyoName.decode(query), 0, id, generation, val.subtreeDepths(), want, val.dfa());
                assertThat(k.err()).isZero();
                assertThat(k.granted()).as("kernel grants for %s asking %d under %s", query, want, rules)
                        .isEqualTo(expected & want);
            }
        }
    }

    // ---- operations with an argument: the automaton walked over "NAME1\0ARG" ----------------------

    /** A rename rule on two patterns and a chown rule on a pattern and a uid range, as written. */
    @Provide
    Arbitrary<List<String>> argPatternRules() {
        Arbitrary<String> pattern = dev.tomoyoctl.policy.automaton.PathAutomatonTest.patterns()
                .filter(TomoyoName::isCorrectWord);
        Arbitrary<String> rename = Combinators.combine(pattern, pattern).as((a, b) -> "file rename " + a + " " + b);
        Arbitrary<String> chown = Combinators.combine(pattern, Arbitraries.longs().between(0, 70000),
                Arbitraries.longs().between(0, 70000)).as((a, x, y) -> "file chown " + a + " " + Math.min(x, y) + "-"
                + Math.max(x, y));
        return Arbitraries.oneOf(rename, chown).list().ofMinSize(1).ofMaxSize(4);
    }

    @Property(tries = 100)
    void argumentPatternRulesGrantInTheKernelExactlyWhatTheReferenceMatcherGrants(
            @ForAll("argPatternRules") List<String> rules, @ForAll("patternNames") List<String> firsts,
            @ForAll("patternNames") List<String> seconds, @ForAll List<@net.jqwik.api.constraints.LongRange(min = 0,
            max = 70000) Long> uids) throws Exception {
        String domain = "<kernel> /usr/sbin/pattern-service";
        String text = domain + "\nuse_profile 3\n\n" + String.join("\n", rules) + "\n";
        CompiledPolicy compiled = PolicyCompiler.compile(PolicySet.parse(text, "", ""), 1);
        assertThat(compiled.warnings()).as("%s", rules)
                .noneMatch(w -> w.toString().contains(" file ") || w.toString().contains("compiled"));
        long id = DomainId.of(domain);
        loadRulesAndAutomata(compiled);
        TmyDomainVal val = compiled.domains().get(new TmyDomainKey(id, 1));
        for (int i = 0; i < firsts.size(); i++) {
            String first = firsts.get(i);
            String second = seconds.get(i % seconds.size());
            long uid = uids.isEmpty() ? 1000 : uids.get(i % uids.size());
            boolean renameOk = false, chownOk = false;
            for (String rule : rules) {
                String[] w = rule.split(" ");
                if (!PathPattern.matches(first, w[2])) {
                    continue;
                }
                if (w[1].equals("rename")) {
                    renameOk |= PathPattern.matches(second, w[3]);
                } else {
                    long[] range = dev.tomoyoctl.policy.NumberUnion.parse(w[3]);
                    chownOk |= uid >= range[0] && uid <= range[1];
                }
            }
            byte[] renameObject = object(first, TomoyoName.decode(second));
            byte[] chownObject = object(first, Long.toString(uid).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            Out k = run(renameObject, 0, id, 1, val.subtreeDepths(), Abi.TMY_PERM_RENAME, val.dfa());
            assertThat(k.err()).isZero();
            assertThat(k.granted()).as("rename %s %s under %s", first, second, rules)
                    .isEqualTo(renameOk ? Abi.TMY_PERM_RENAME : 0);
            k = run(chownObject, 0, id, 1, val.subtreeDepths(), Abi.TMY_PERM_CHOWN, val.dfa());
            assertThat(k.err()).isZero();
            assertThat(k.granted()).as("chown %s %d under %s", first, uid, rules)
                    .isEqualTo(chownOk ? Abi.TMY_PERM_CHOWN : 0);
        }
    }

    /** "NAME1\0ARG" as the kernel builds it. */
    private static byte[] object(String first, byte[] arg) {
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        b.writeBytes(TomoyoName.decode(first));
        b.write(0);
        b.writeBytes(arg);
        return b.toByteArray();
    }

    /** The policy's tmy_path_rules (replacing the map's) and tmy_dfa entries, as the daemon writes them. */
    private static void loadRulesAndAutomata(CompiledPolicy compiled) throws Exception {
        BpfMap map = object.map(Abi.MAP_PATH_RULES);
        for (byte[] key : map.keys()) {
            map.delete(key);
        }
        for (var e : compiled.entries(Abi.MAP_PATH_RULES)) {
            map.update(e.key(), e.value());
        }
        BpfMap dfa = object.map(Abi.MAP_DFA);
        for (var e : compiled.entries(Abi.MAP_DFA)) {
            dfa.update(e.key(), e.value());
        }
    }

    @Provide
    Arbitrary<List<String>> patternNames() {
        return Arbitraries.oneOf(dev.tomoyoctl.policy.automaton.PathAutomatonTest.names(), queries())
                .filter(dev.tomoyoctl.policy.automaton.PathAutomatonTest::isName).list().ofMinSize(1).ofMaxSize(30);
    }

    @Provide
    Arbitrary<Integer> wants() {
        return Arbitraries.of(Abi.TMY_PERM_READ, Abi.TMY_PERM_WRITE, Abi.TMY_PERM_APPEND, Abi.TMY_PERM_UNLINK,
                Abi.TMY_PERM_GETATTR, Abi.TMY_PERM_RMDIR, Abi.TMY_PERM_TRUNCATE, Abi.TMY_PERM_SYMLINK,
                Abi.TMY_PERM_CHROOT, Abi.TMY_PERM_UNMOUNT);
    }

    private static int permBits(String perms) {
        int bits = 0;
        for (String p : perms.split("/")) {
            bits |= switch (p) {
                case "read" -> Abi.TMY_PERM_READ;
                case "write" -> Abi.TMY_PERM_WRITE;
                case "append" -> Abi.TMY_PERM_APPEND;
                case "unlink" -> Abi.TMY_PERM_UNLINK;
                case "getattr" -> Abi.TMY_PERM_GETATTR;
                case "rmdir" -> Abi.TMY_PERM_RMDIR;
                case "truncate" -> Abi.TMY_PERM_TRUNCATE;
                case "symlink" -> Abi.TMY_PERM_SYMLINK;
                case "chroot" -> Abi.TMY_PERM_CHROOT;
                case "unmount" -> Abi.TMY_PERM_UNMOUNT;
                default -> throw new IllegalArgumentException(p);
            };
        }
        return bits;
    }
}
