package dev.tomoyoctl.policy.automaton;

import java.util.ArrayList;
import java.util.List;

/**
 * What follows the first name of a file operation's object "NAME1\0ARG" (tomoyo_abi.h
 * TMY_PERM_ARG_MASK) in a pattern rule: a second name (any of some patterns), or numbers (each
 * word any value of some ranges, printed in its radix; words separated by ' '). With it, a rule
 * such as {@code file rename /tmp/\*.tmp /var/spool/\*} or {@code file chown /srv/\* 1000-60000}
 * is one automaton rule over the whole object, walked by the kernel like any name.
 */
public sealed interface ArgTail {
    /** The regex of the argument part (after the NUL). */
    Regex regex(Regex.Factory f, PatternRegex pr);

    /** A second name: any of these TOMOYO-encoded names or patterns. */
    record Names(List<String> patterns) implements ArgTail {
        public Names {
            patterns = List.copyOf(patterns);
            if (patterns.isEmpty()) {
                throw new IllegalArgumentException("no second name");
            }
        }

        @Override
        public Regex regex(Regex.Factory f, PatternRegex pr) {
            List<Regex> all = new ArrayList<>();
            for (String p : patterns) {
                all.add(pr.of(p));
            }
            return f.or(all);
        }
    }

    /** An inclusive range of unsigned 64-bit values (as longs). */
    record Range(long lo, long hi) {
        public Range {
            if (Long.compareUnsigned(lo, hi) > 0) {
                throw new IllegalArgumentException("range " + Long.toUnsignedString(lo) + "-"
                        + Long.toUnsignedString(hi) + " is empty");
            }
        }
    }

    /** One number word: any value of these ranges, printed in base 8 ("0%lo"), 10 or 16 ("0x%lX"). */
    record Number(int base, List<Range> ranges) {
        public Number {
            ranges = List.copyOf(ranges);
            if (base != 8 && base != 10 && base != 16) {
                throw new IllegalArgumentException("base " + base);
            }
            if (ranges.isEmpty()) {
                throw new IllegalArgumentException("no value");
            }
        }

        Regex regex(Regex.Factory f) {
            String prefix = base == 8 ? "0" : base == 16 ? "0x" : "";
            List<Regex> all = new ArrayList<>();
            for (Range r : ranges) {
                all.add(NumberRegex.range(f, r.lo(), r.hi(), base, prefix));
            }
            return f.or(all);
        }
    }

    /** Numbers: the words of the argument, in order ("MODE MAJOR MINOR" for mkblock/mkchar). */
    record Numbers(List<Number> words) implements ArgTail {
        public Numbers {
            words = List.copyOf(words);
            if (words.isEmpty()) {
                throw new IllegalArgumentException("no number");
            }
        }

        @Override
        public Regex regex(Regex.Factory f, PatternRegex pr) {
            Regex r = words.get(words.size() - 1).regex(f);
            for (int i = words.size() - 2; i >= 0; i--) {
                r = f.cat(words.get(i).regex(f), f.cat(f.bytes(' '), r));
            }
            return r;
        }
    }

    /** Any name (any bytes but NUL, none included): a part TOMOYO does not compare. */
    record AnyName() implements ArgTail {
        @Override
        public Regex regex(Regex.Factory f, PatternRegex pr) {
            return f.star(f.set(PatternRegex.except()));
        }
    }

    /** Parts separated by NUL bytes ("TYPE\0FLAGS\0DEV" of a mount rule). */
    record Seq(List<ArgTail> parts) implements ArgTail {
        public Seq {
            parts = List.copyOf(parts);
            if (parts.isEmpty()) {
                throw new IllegalArgumentException("no part");
            }
        }

        @Override
        public Regex regex(Regex.Factory f, PatternRegex pr) {
            Regex r = parts.get(parts.size() - 1).regex(f, pr);
            for (int i = parts.size() - 2; i >= 0; i--) {
                r = f.cat(parts.get(i).regex(f, pr), f.cat(f.bytes(0), r));
            }
            return r;
        }
    }
}
