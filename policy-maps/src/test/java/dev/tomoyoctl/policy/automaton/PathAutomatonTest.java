package dev.tomoyoctl.policy.automaton;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tomoyoctl.policy.PathPattern;
import dev.tomoyoctl.policy.TomoyoName;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Example;

/**
 * The automaton grants exactly what the reference matcher ({@link PathPattern}, written from
 * tomoyo_path_matches_pattern()) says, for every token, on generated patterns and names built
 * from the same small alphabet so that matches are frequent.
 */
public class PathAutomatonTest {

    static boolean dfa(String name, String pattern) {
        return PathAutomaton.build(List.of(new PathAutomaton.Rule(pattern, 1))).perms(TomoyoName.decode(name)) == 1;
    }

    @Example
    void tomoyoDocumentedExamples() {
        // from TOMOYO's policy documentation (pathname patterns) and util.c's comments
        String[][] yes = {
            {"/tmp/abc", "/tmp/\\*"}, {"/tmp/a/", "/tmp/\\*/"},
            {"/proc/123/status", "/proc/\\$/status"}, {"/dev/pts/0", "/dev/pts/\\$"},
            {"/tmp/file.tmp", "/tmp/\\*.tmp"}, {"/tmp/abc.c", "/tmp/\\@.c"},
            {"/var/www/html/a/b/index.html", "/var/www/html/\\{\\*\\}/\\*.html"},
            {"/var/www/html/a/index.html", "/var/www/html/\\{\\*\\}/\\*.html"},
            {"/home/user/.bashrc", "/home/\\*/\\*"}, {"/tmp/XYZ", "/tmp/\\A"}, {"/tmp/x", "/tmp/\\a"},
            {"/tmp/deadBEEF", "/tmp/\\X"}, {"/tmp/f", "/tmp/\\x"}, {"/tmp/7", "/tmp/\\+"}, {"/tmp/q", "/tmp/\\?"},
            {"/tmp/abc", "/tmp/\\*\\-def"}, {"/tmp/a\\040b", "/tmp/a\\?b"}, {"/tmp/a\\040b", "/tmp/a\\040\\*"},
            {"/x/a", "/\\*/a/\\*"}, // the name ran out: trailing \* of the pattern is skipped (util.c)
            {"/usr/a/b/", "/usr/\\{\\*\\}/"},
            // the constant prefix "/tmp/a" is compared first, "\-" applies to what follows it
            {"/tmp/a\\040b", "/tmp/a\\*\\-a\\040\\*"},
        };
        String[][] no = {
            {"/tmp/a/b", "/tmp/\\*"}, {"/tmp/a/", "/tmp/\\*"}, {"/tmp/a", "/tmp/\\*/"}, {"/proc/self/status", "/proc/\\$/status"},
            {"/tmp/a.b.c", "/tmp/\\@.c"}, {"/var/www/html/index.html", "/var/www/html/\\{\\*\\}/\\*.html"},
            {"/tmp/def", "/tmp/\\*\\-def"}, {"/tmp/", "/tmp/\\*"}, {"/tmp/12", "/tmp/\\+"}, {"/tmp/g", "/tmp/\\x"},
            {"/tmp/", "/tmp/\\?"}, {"/usr/", "/usr/\\{\\*\\}/"}
        };
        for (String[] c : yes) {
            assertThat(PathPattern.matches(c[0], c[1])).as("reference %s ~ %s", c[0], c[1]).isTrue();
            assertThat(dfa(c[0], c[1])).as("automaton %s ~ %s", c[0], c[1]).isTrue();
        }
        for (String[] c : no) {
            assertThat(PathPattern.matches(c[0], c[1])).as("reference %s !~ %s", c[0], c[1]).isFalse();
            assertThat(dfa(c[0], c[1])).as("automaton %s !~ %s", c[0], c[1]).isFalse();
        }
    }

    // ---- generated ------------------------------------------------------------------------------

    private static final List<String> NAME_CHARS = List.of("a", "b", "1", "2", "f", "F", ".", "\\040", "\\\\", "x");
    private static final List<String> TOKENS = List.of("a", "b", "1", "f", ".", "\\040", "\\\\", "\\*", "\\@", "\\?",
            "\\$", "\\+", "\\X", "\\x", "\\A", "\\a");

    @Provide
    public static Arbitrary<String> names() {
        Arbitrary<String> comp = Arbitraries.of(NAME_CHARS).list().ofMinSize(0).ofMaxSize(4).map(l -> String.join("", l));
        return Combinators.combine(comp.list().ofMinSize(1).ofMaxSize(4), Arbitraries.of(true, false))
                .as((cs, dir) -> "/" + String.join("/", cs) + (dir ? "/" : ""));
    }

    @Provide
    public static Arbitrary<String> patterns() {
        Arbitrary<String> plain = Arbitraries.of(TOKENS).list().ofMinSize(0).ofMaxSize(3).map(l -> String.join("", l));
        Arbitrary<String> comp = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, plain),
                net.jqwik.api.Tuple.of(2, Combinators.combine(plain, plain).as((x, y) -> x + "\\-" + y)),
                net.jqwik.api.Tuple.of(1, plain.map(x -> "\\{" + x + "\\}")));
        return Combinators.combine(comp.list().ofMinSize(1).ofMaxSize(4), Arbitraries.of(true, false))
                .as((cs, dir) -> "/" + String.join("/", cs) + (dir ? "/" : ""));
    }

    @Property(tries = 3000)
    void oneAutomatonPerPatternAgreesWithTheReference(@ForAll("patterns") String pattern) {
        PathAutomaton a = PathAutomaton.build(List.of(new PathAutomaton.Rule(pattern, 1)));
        for (String name : corpus(pattern)) {
            if (!isName(name)) {
                continue;
            }
            boolean ref = PathPattern.matches(name, pattern);
            net.jqwik.api.statistics.Statistics.collect(ref ? "match" : "no match");
            assertThat(a.perms(TomoyoName.decode(name)) == 1).as("%s ~ %s", name, pattern).isEqualTo(ref);
        }
    }

    /** A canonical encoded name without pattern tokens (what the kernel can meet). */
    public static boolean isName(String s) {
        try {
            TomoyoName.decode(s);
            return !s.contains("//") && s.startsWith("/");
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Names likely to sit near the pattern's edge: generated ones plus instances of the pattern. */
    private static List<String> corpus(String pattern) {
        List<String> out = new ArrayList<>();
        java.util.Random r = new java.util.Random(pattern.hashCode());
        for (int i = 0; i < 40; i++) {
            out.add(instance(pattern, r));
        }
        for (int i = 0; i < 40; i++) {
            StringBuilder sb = new StringBuilder("/");
            int comps = 1 + r.nextInt(4);
            for (int c = 0; c < comps; c++) {
                int len = r.nextInt(4);
                for (int k = 0; k < len; k++) {
                    sb.append(NAME_CHARS.get(r.nextInt(NAME_CHARS.size())));
                }
                if (c < comps - 1 || r.nextBoolean()) {
                    sb.append('/');
                }
            }
            out.add(sb.toString().replace("//", "/a/"));
        }
        return out;
    }

    /** A name made by replacing each token of the pattern by something it (probably) matches. */
    private static String instance(String p, java.util.Random r) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < p.length(); i++) {
            char c = p.charAt(i);
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            char t = p.charAt(++i);
            switch (t) {
                case '\\' -> sb.append("\\\\");
                case '0', '1', '2', '3' -> {
                    sb.append('\\').append(p, i, i + 3);
                    i += 2;
                }
                case '*', '@' -> sb.append(List.of("", "a", "a.b", "1", "\\040", "ab1").get(r.nextInt(6)));
                case '?' -> sb.append(List.of("a", ".", "\\040", "/").get(r.nextInt(4)));
                case '$', 'X' -> sb.append(List.of("1", "12", "ff", "a").get(r.nextInt(4)));
                case '+', 'x' -> sb.append(List.of("1", "f", "a", "12").get(r.nextInt(4)));
                case 'A', 'a' -> sb.append(List.of("a", "ab", "1", "F").get(r.nextInt(4)));
                case '-' -> {
                    // drop the subtracted part half the time
                    if (r.nextBoolean()) {
                        int j = p.indexOf('/', i);
                        i = (j < 0 ? p.length() : j) - 1;
                    }
                }
                case '{' -> { }
                case '}' -> {
                    if (r.nextBoolean()) { // repeat the directory once more
                        int open = p.lastIndexOf("\\{", i);
                        String body = p.substring(open + 2, i - 1);
                        sb.append("/").append(body.replace("\\*", "z").replace("\\$", "3"));
                    }
                }
                default -> sb.append('q');
            }
        }
        String s = sb.toString();
        return s.isEmpty() ? "/" : s;
    }

    @Provide
    static Arbitrary<List<String>> patternLists() {
        return patterns().list().ofMinSize(1).ofMaxSize(8);
    }

    @Provide
    static Arbitrary<List<String>> nameLists() {
        return names().list().ofMinSize(1).ofMaxSize(40);
    }

    @Property(tries = 500)
    void oneAutomatonForManyRulesGrantsTheUnionOfTheirPermissions(@ForAll("patternLists") List<String> patterns,
                                                                  @ForAll("nameLists") List<String> names) {
        List<PathAutomaton.Rule> rules = new ArrayList<>();
        for (int i = 0; i < patterns.size() && i < 8; i++) {
            rules.add(new PathAutomaton.Rule(patterns.get(i), 1 << (i % 4)));
        }
        PathAutomaton a = PathAutomaton.build(rules);
        for (String name : names) {
            int expected = 0;
            for (PathAutomaton.Rule rule : rules) {
                if (PathPattern.matches(name, rule.pattern())) {
                    expected |= rule.perms();
                }
            }
            assertThat(a.perms(TomoyoName.decode(name))).as("%s under %s", name, rules).isEqualTo(expected);
        }
    }

    @Example
    void aHundredTypicalPatternsStaySmall() {
        List<PathAutomaton.Rule> rules = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            rules.add(new PathAutomaton.Rule("/var/lib/app" + i + "/\\*.tmp", 1));
            rules.add(new PathAutomaton.Rule("/proc/\\$/task/\\$/stat" + (i % 7), 2));
        }
        PathAutomaton a = PathAutomaton.build(rules);
        assertThat(a.states()).isLessThan(2000);
        assertThat(a.perms(TomoyoName.decode("/var/lib/app42/x.tmp"))).isEqualTo(1);
        assertThat(a.perms(TomoyoName.decode("/proc/12/task/13/stat3"))).isEqualTo(2);
        assertThat(a.perms(TomoyoName.decode("/proc/12/task/13/stat7"))).isEqualTo(0);
    }

    @Example
    void tooManyStatesIsAnErrorNotASilentlyIncompleteAutomaton() {
        // "\*a\?\?\?...": the classic exponential blow-up of determinization
        List<PathAutomaton.Rule> rules = new ArrayList<>();
        rules.add(new PathAutomaton.Rule("/\\*a" + "\\?".repeat(18), 1));
        assertThatThrownBy(() -> PathAutomaton.build(rules)).isInstanceOf(PathAutomaton.TooLargeException.class)
                .hasMessageContaining("automaton states");
    }
}
