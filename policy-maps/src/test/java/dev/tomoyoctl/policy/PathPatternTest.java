package dev.tomoyoctl.policy;

import static dev.tomoyoctl.policy.PathPattern.matches;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tomoyoctl.policy.compile.SubtreeShape;

import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** The reference matcher against the semantics documented in TOMOYO's util.c and policy manuals. */
class PathPatternTest {

    @Test
    void starMatchesOneComponentAndNeverADirectory() {
        assertThat(matches("/tmp/abc", "/tmp/\\*")).isTrue();
        assertThat(matches("/tmp/.hidden", "/tmp/\\*")).isTrue();
        assertThat(matches("/tmp/a\\040b", "/tmp/\\*")).as("an escape is one character").isTrue();
        assertThat(matches("/tmp/a/b", "/tmp/\\*")).isFalse();
        assertThat(matches("/tmp/abc/", "/tmp/\\*")).as("directory vs non-directory").isFalse();
        assertThat(matches("/tmp/", "/tmp/\\*")).as("TOMOYO changelog: /tmp/ does not match /tmp/\\*").isFalse();
        assertThat(matches("/tmp/abc/", "/tmp/\\*/")).isTrue();
        assertThat(matches("/tmp/a", "/tmp/a\\*")).as("trailing \\* matches nothing").isTrue();
        assertThat(matches("/tmp/file.txt", "/tmp/\\*.txt")).isTrue();
        assertThat(matches("/tmp/file.txt.bak", "/tmp/\\*.txt")).isFalse();
    }

    @Test
    void atExcludesDots() {
        assertThat(matches("/tmp/abc", "/tmp/\\@")).isTrue();
        assertThat(matches("/tmp/a.b", "/tmp/\\@")).isFalse();
        assertThat(matches("/tmp/a.b", "/tmp/\\@.b")).isTrue();
    }

    @Test
    void characterClasses() {
        assertThat(matches("/proc/123/status", "/proc/\\$/status")).isTrue();
        assertThat(matches("/proc/self/status", "/proc/\\$/status")).isFalse();
        assertThat(matches("/proc//status", "/proc/\\$/status")).isFalse();
        assertThat(matches("/dev/tty1", "/dev/tty\\+")).isTrue();
        assertThat(matches("/dev/tty12", "/dev/tty\\+")).isFalse();
        assertThat(matches("/tmp/0xBEEF", "/tmp/0x\\X")).isTrue();
        assertThat(matches("/tmp/0xBEEG", "/tmp/0x\\X")).isFalse();
        assertThat(matches("/tmp/f", "/tmp/\\x")).isTrue();
        assertThat(matches("/tmp/abcXYZ", "/tmp/\\A")).isTrue();
        assertThat(matches("/tmp/abc1", "/tmp/\\A")).isFalse();
        assertThat(matches("/tmp/q", "/tmp/\\a")).isTrue();
        assertThat(matches("/tmp/\\040", "/tmp/\\?")).isTrue();
        assertThat(matches("/tmp/\\\\", "/tmp/\\?")).isTrue();
        assertThat(matches("/tmp/ab", "/tmp/\\?")).isFalse();
        assertThat(matches("/tmp/\\\\", "/tmp/\\\\")).isTrue();
        assertThat(matches("/tmp/a\\040b", "/tmp/a\\040\\*")).isTrue();
    }

    @Test
    void subtraction() {
        assertThat(matches("/etc/group", "/etc/\\*\\-passwd")).isTrue();
        assertThat(matches("/etc/passwd", "/etc/\\*\\-passwd")).isFalse();
        assertThat(matches("/etc/shadow", "/etc/\\*\\-passwd\\-shadow")).isFalse();
        assertThat(matches("/etc/hosts", "/etc/\\*\\-passwd\\-shadow")).isTrue();
    }

    @Test
    void recursiveDirectories() {
        assertThat(matches("/var/www/html/a/b.html", "/var/www/html/\\{\\*\\}/\\*.html")).isTrue();
        assertThat(matches("/var/www/html/a/b/c/d.html", "/var/www/html/\\{\\*\\}/\\*.html")).isTrue();
        assertThat(matches("/var/www/html/b.html", "/var/www/html/\\{\\*\\}/\\*.html"))
                .as("\\{\\} means ONE or more directories").isFalse();
        assertThat(matches("/usr/a/b/", "/usr/\\{\\*\\}/")).isTrue();
        assertThat(matches("/usr/", "/usr/\\{\\*\\}/")).isFalse();
        assertThat(matches("/home/u1/u2/.ssh/", "/home/\\{\\$\\}/")).isFalse();
        assertThat(matches("/home/1/22/", "/home/\\{\\$\\}/")).isTrue();
    }

    @Test
    void plainNamesCompareExactly() {
        assertThat(matches("/etc/passwd", "/etc/passwd")).isTrue();
        assertThat(matches("/etc/passwd2", "/etc/passwd")).isFalse();
    }

    // ---- the subtree decision (see SubtreeShape) ----

    @Provide
    Arbitrary<String> component() {
        return Arbitraries.oneOf(Arbitraries.strings().withChars("ab.-_1").ofMinLength(1).ofMaxLength(4),
                Arbitraries.of("a\\040b", "\\\\", "x\\377", ".hidden", "1"));
    }

    @Provide
    Arbitrary<String> path() {
        return Combinators.combine(component().list().ofMinSize(0).ofMaxSize(5), Arbitraries.of(true, false))
                .as((cs, dir) -> "/" + String.join("/", cs) + (dir && !cs.isEmpty() ? "/" : ""));
    }

    @Provide
    Arbitrary<String> prefix() {
        return component().list().ofMaxSize(2).map(cs -> cs.isEmpty() ? "/" : "/" + String.join("/", cs) + "/");
    }

    @Property(tries = 3000)
    void theThreePatternsTogetherAreExactlyTheSubtree(@ForAll("path") String path, @ForAll("prefix") String prefix) {
        String[] p = SubtreeShape.canonicalPatterns(prefix);
        boolean tomoyo = matches(path, p[0]) || matches(path, p[1]) || matches(path, p[2]);
        assertThat(tomoyo).as("%s under %s", path, prefix).isEqualTo(SubtreeShape.inSubtree(path, prefix));
        boolean alt = matches(path, p[0]) || matches(path, p[1]) || matches(path, prefix + "\\*/")
                || matches(path, prefix + "\\{\\*\\}/\\*/");
        assertThat(alt).isEqualTo(tomoyo);
    }

    @Property(tries = 2000)
    void noSingleShapeIsTheSubtree(@ForAll("prefix") String prefix) {
        // Witnesses: a file directly inside, a file deeper, a directory.
        List<String> witnesses = List.of(prefix + "f", prefix + "d/f", prefix + "d/");
        for (SubtreeShape s : SubtreeShape.values()) {
            String pattern = prefix + s.suffix();
            assertThat(witnesses.stream().allMatch(w -> matches(w, pattern))).as(pattern).isFalse();
            assertThat(SubtreeShape.of(pattern)).hasValue(new SubtreeShape.Match(prefix, s));
        }
    }

    @Test
    void shapesRecognizeOnlyConstantPrefixes() {
        assertThat(SubtreeShape.of("/usr/\\{\\*\\}/\\*")).hasValue(new SubtreeShape.Match("/usr/", SubtreeShape.FILES_DEEP));
        assertThat(SubtreeShape.of("/usr/\\*")).hasValue(new SubtreeShape.Match("/usr/", SubtreeShape.FILES_DIRECT));
        assertThat(SubtreeShape.of("/\\{\\*\\}/")).hasValue(new SubtreeShape.Match("/", SubtreeShape.DIRS_ALL));
        assertThat(SubtreeShape.of("/usr/lib\\*")).isEmpty();
        assertThat(SubtreeShape.of("/usr/\\$/\\*")).isEmpty();
        assertThat(SubtreeShape.of("/usr/\\*.so")).isEmpty();
        assertThat(SubtreeShape.of("proc:/self/\\*")).isEmpty();
    }
}
