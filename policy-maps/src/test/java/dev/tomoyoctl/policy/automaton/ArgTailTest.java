package dev.tomoyoctl.policy.automaton;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Automaton rules over a file operation's object "NAME1\0ARG": a number range matches exactly the
 * printed forms (as the kernel prints them) of the values inside it, in every radix, however wide;
 * a second name follows TOMOYO's pattern semantics; nothing matches across the NUL.
 */
class ArgTailTest {
    private static final int PERM = 1 << 17;

    private static byte[] object(String name, String arg) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(name.getBytes(StandardCharsets.ISO_8859_1));
        b.write(0);
        b.writeBytes(arg.getBytes(StandardCharsets.ISO_8859_1));
        return b.toByteArray();
    }

    private static String print(long v, int base) {
        return switch (base) {
            case 8 -> "0" + Long.toOctalString(v);
            case 16 -> "0x" + Long.toHexString(v).toUpperCase(java.util.Locale.ROOT);
            default -> Long.toUnsignedString(v);
        };
    }

    private static PathAutomaton numbers(String name, int base, long lo, long hi) {
        ArgTail.Number word = new ArgTail.Number(base, List.of(new ArgTail.Range(lo, hi)));
        return PathAutomaton.build(List.of(new PathAutomaton.Rule(name, PERM, new ArgTail.Numbers(List.of(word)))));
    }

    @Provide
    Arbitrary<Long> values() {
        return Arbitraries.oneOf(Arbitraries.longs().between(0, 5000), Arbitraries.longs().between(0, 1L << 40),
                Arbitraries.longs(), Arbitraries.of(0L, 1L, 7L, 8L, 9L, 10L, 15L, 16L, 99L, 100L, -1L, Long.MAX_VALUE,
                        Long.MIN_VALUE));
    }

    @Property(tries = 300)
    void aRangeMatchesThePrintedFormOfExactlyTheValuesInside(@ForAll("values") long a, @ForAll("values") long b,
            @ForAll("values") long v, @ForAll("bases") int base) {
        long lo = Long.compareUnsigned(a, b) <= 0 ? a : b, hi = lo == a ? b : a;
        PathAutomaton m = numbers("/srv/f", base, lo, hi);
        for (long x : new long[] {v, lo, hi, lo - 1, hi + 1}) {
            boolean inside = Long.compareUnsigned(lo, x) <= 0 && Long.compareUnsigned(x, hi) <= 0;
            assertThat(m.perms(object("/srv/f", print(x, base)))).as("%s in %s-%s base %d", Long.toUnsignedString(x),
                    Long.toUnsignedString(lo), Long.toUnsignedString(hi), base).isEqualTo(inside ? PERM : 0);
        }
        // other spellings of an inside value are not how the kernel prints it: never matched
        assertThat(m.perms(object("/srv/f", "0" + print(lo, base)))).isZero();
        if (base == 16 && print(lo, 16).matches(".*[A-F].*")) {
            assertThat(m.perms(object("/srv/f", print(lo, 16).toLowerCase(java.util.Locale.ROOT)))).isZero();
        }
    }

    @Provide
    Arbitrary<Integer> bases() {
        return Arbitraries.of(8, 10, 16);
    }

    @Example
    void mkdevWordsAreSeparatedBySpacesAndEachHasItsRadix() {
        PathAutomaton m = PathAutomaton.build(List.of(new PathAutomaton.Rule("/dev/\\*", PERM, new ArgTail.Numbers(List.of(
                new ArgTail.Number(8, List.of(new ArgTail.Range(0600, 0660))),
                new ArgTail.Number(10, List.of(new ArgTail.Range(8, 8))),
                new ArgTail.Number(10, List.of(new ArgTail.Range(0, 15), new ArgTail.Range(32, 32))))))));
        assertThat(m.perms(object("/dev/sdz", "0640 8 3"))).isEqualTo(PERM);
        assertThat(m.perms(object("/dev/sdz", "0640 8 32"))).isEqualTo(PERM);
        assertThat(m.perms(object("/dev/sdz", "0640 8 16"))).isZero();
        assertThat(m.perms(object("/dev/sdz", "0644 8 3"))).isEqualTo(PERM);
        assertThat(m.perms(object("/dev/sdz", "0670 8 3"))).isZero();
        assertThat(m.perms(object("/dev/sdz", "0640 9 3"))).isZero();
        assertThat(m.perms(object("/dev/sd/z", "0640 8 3"))).isZero(); // \* does not cross '/'
        assertThat(m.perms(object("/dev/sdz", "0640  8 3"))).isZero();
    }

    @Example
    void aSecondNameIsMatchedAsAPatternAndNothingCrossesTheNul() {
        PathAutomaton m = PathAutomaton.build(List.of(new PathAutomaton.Rule("/tmp/\\*.tmp", PERM,
                new ArgTail.Names(List.of("/var/spool/\\$/\\*", "/srv/out")))));
        assertThat(m.perms(object("/tmp/a1.tmp", "/var/spool/12/x"))).isEqualTo(PERM);
        assertThat(m.perms(object("/tmp/.tmp", "/srv/out"))).isEqualTo(PERM);
        assertThat(m.perms(object("/tmp/a1.tmp", "/var/spool/x/x"))).isZero();
        assertThat(m.perms(object("/tmp/a1.tmp", "/srv/out/"))).isZero();
        assertThat(m.perms(object("/tmp/a/b.tmp", "/srv/out"))).isZero();
        assertThat(m.perms("/tmp/a1.tmp".getBytes(StandardCharsets.US_ASCII))).isZero();
        // the first name's wildcard cannot eat the NUL and the second name
        PathAutomaton any = PathAutomaton.build(List.of(new PathAutomaton.Rule("/tmp/\\*", PERM,
                new ArgTail.Names(List.of("x")))));
        assertThat(any.perms(object("/tmp/a", "x"))).isEqualTo(PERM);
        assertThat(any.perms(object("/tmp/a\0x", "x"))).isZero();
    }
}
