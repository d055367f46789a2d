package dev.tomoyoctl.policy.automaton;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Regular expressions over bytes with intersection and complement, hash-consed, with Brzozowski
 * derivatives: what {@link PathAutomaton} turns TOMOYO patterns into before building one DFA per
 * domain. TOMOYO's subtraction ({@code A\-B}) is an intersection with a complement, which
 * derivatives handle directly, without determinizing sub-automata.
 *
 * <p>Nodes are interned in a {@link Factory}: structurally equal nodes (after the
 * associativity/commutativity/idempotence normalization of the smart constructors) are the same
 * object, so a DFA state can be identified by the ids of its nodes and there are finitely many
 * derivatives (Brzozowski's theorem).
 */
public final class Regex {
    enum Kind { EMPTY, EPS, SET, CAT, STAR, OR, AND, NOT }

    final Kind kind;
    final int id;
    final long[] set;      // SET: 256 bits
    final Regex a, b;      // CAT: a b; STAR, NOT: a
    final Regex[] kids;    // OR, AND: sorted by id, no duplicates
    final boolean nullable;
    Regex[] derivatives;   // by byte class, filled lazily by the factory

    private Regex(Kind kind, int id, long[] set, Regex a, Regex b, Regex[] kids, boolean nullable) {
        this.kind = kind;
        this.id = id;
        this.set = set;
        this.a = a;
        this.b = b;
        this.kids = kids;
        this.nullable = nullable;
    }

    public boolean isEmpty() {
        return kind == Kind.EMPTY;
    }

    public boolean nullable() {
        return nullable;
    }

    public int id() {
        return id;
    }

    /** Creates and interns nodes; one per compilation (not thread-safe). */
    public static final class Factory {
        private final Map<Object, Regex> interned = new HashMap<>();
        private int nextId;
        public final Regex empty = make(Kind.EMPTY, null, null, null, null, false, "E");
        public final Regex eps = make(Kind.EPS, null, null, null, null, true, "e");
        /** Every string: not(empty). */
        public final Regex all = not(empty);

        private Regex make(Kind k, long[] set, Regex a, Regex b, Regex[] kids, boolean nullable, Object key) {
            Regex r = interned.get(key);
            if (r == null) {
                r = new Regex(k, nextId++, set, a, b, kids, nullable);
                interned.put(key, r);
            }
            return r;
        }

        public int size() {
            return interned.size();
        }

        public Regex set(long[] bits) {
            if ((bits[0] | bits[1] | bits[2] | bits[3]) == 0) {
                return empty;
            }
            long[] copy = bits.clone();
            return make(Kind.SET, copy, null, null, null, false, new SetKey(copy));
        }

        public Regex bytes(int... values) {
            long[] bits = new long[4];
            for (int v : values) {
                bits[(v & 0xff) >>> 6] |= 1L << (v & 63);
            }
            return set(bits);
        }

        public Regex literal(byte[] raw) {
            Regex r = eps;
            for (int i = raw.length - 1; i >= 0; i--) {
                r = cat(bytes(raw[i] & 0xff), r);
            }
            return r;
        }

        public Regex cat(Regex x, Regex y) {
            if (x.kind == Kind.EMPTY || y.kind == Kind.EMPTY) {
                return empty;
            }
            if (x.kind == Kind.EPS) {
                return y;
            }
            if (y.kind == Kind.EPS) {
                return x;
            }
            if (x.kind == Kind.CAT) { // right-associate: (ab)c = a(bc)
                return cat(x.a, cat(x.b, y));
            }
            return make(Kind.CAT, null, x, y, null, x.nullable && y.nullable, List.of("c", x.id, y.id));
        }

        public Regex star(Regex x) {
            if (x.kind == Kind.EMPTY || x.kind == Kind.EPS) {
                return eps;
            }
            if (x.kind == Kind.STAR) {
                return x;
            }
            return make(Kind.STAR, null, x, null, null, true, List.of("s", x.id));
        }

        /** One or more. */
        public Regex plus(Regex x) {
            return cat(x, star(x));
        }

        public Regex not(Regex x) {
            if (x != null && x.kind == Kind.NOT) {
                return x.a;
            }
            return make(Kind.NOT, null, x, null, null, !x.nullable, List.of("n", x.id));
        }

        public Regex or(Regex... xs) {
            return or(Arrays.asList(xs));
        }

        public Regex or(List<Regex> xs) {
            List<Regex> flat = new ArrayList<>();
            long[] bits = null;
            for (Regex x : xs) {
                for (Regex y : x.kind == Kind.OR ? Arrays.asList(x.kids) : List.of(x)) {
                    if (y == all) {
                        return all;
                    }
                    if (y.kind == Kind.EMPTY) {
                        continue;
                    }
                    if (y.kind == Kind.SET) { // a|b of byte sets is one set: fewer states
                        bits = bits == null ? y.set.clone() : orBits(bits, y.set);
                        continue;
                    }
                    flat.add(y);
                }
            }
            if (bits != null) {
                flat.add(set(bits));
            }
            return nary(Kind.OR, flat, empty);
        }

        public Regex and(Regex... xs) {
            return and(Arrays.asList(xs));
        }

        public Regex and(List<Regex> xs) {
            List<Regex> flat = new ArrayList<>();
            for (Regex x : xs) {
                for (Regex y : x.kind == Kind.AND ? Arrays.asList(x.kids) : List.of(x)) {
                    if (y.kind == Kind.EMPTY) {
                        return empty;
                    }
                    if (y == all) {
                        continue;
                    }
                    flat.add(y);
                }
            }
            return nary(Kind.AND, flat, all);
        }

        private Regex nary(Kind k, List<Regex> flat, Regex unit) {
            Regex[] kids = flat.stream().distinct().sorted((p, q) -> Integer.compare(p.id, q.id)).toArray(Regex[]::new);
            if (kids.length == 0) {
                return unit;
            }
            if (kids.length == 1) {
                return kids[0];
            }
            boolean nullable = k == Kind.OR ? Arrays.stream(kids).anyMatch(r -> r.nullable)
                    : Arrays.stream(kids).allMatch(r -> r.nullable);
            Object[] key = new Object[kids.length + 1];
            key[0] = k == Kind.OR ? "o" : "a";
            for (int i = 0; i < kids.length; i++) {
                key[i + 1] = kids[i].id;
            }
            return make(k, null, null, null, kids, nullable, List.of(key));
        }

        private static long[] orBits(long[] x, long[] y) {
            return new long[] {x[0] | y[0], x[1] | y[1], x[2] | y[2], x[3] | y[3]};
        }

        /** The derivative of r by byte c (a representative of class cls of nclasses). */
        public Regex derive(Regex r, int c, int cls, int nclasses) {
            if (r.derivatives == null || r.derivatives.length != nclasses) {
                r.derivatives = new Regex[nclasses];
            }
            Regex d = r.derivatives[cls];
            if (d != null) {
                return d;
            }
            d = switch (r.kind) {
                case EMPTY, EPS -> empty;
                case SET -> (r.set[c >>> 6] & (1L << (c & 63))) != 0 ? eps : empty;
                case CAT -> {
                    Regex first = cat(derive(r.a, c, cls, nclasses), r.b);
                    yield r.a.nullable ? or(first, derive(r.b, c, cls, nclasses)) : first;
                }
                case STAR -> cat(derive(r.a, c, cls, nclasses), r);
                case OR -> {
                    List<Regex> ds = new ArrayList<>(r.kids.length);
                    for (Regex k : r.kids) {
                        ds.add(derive(k, c, cls, nclasses));
                    }
                    yield or(ds);
                }
                case AND -> {
                    List<Regex> ds = new ArrayList<>(r.kids.length);
                    for (Regex k : r.kids) {
                        ds.add(derive(k, c, cls, nclasses));
                    }
                    yield and(ds);
                }
                case NOT -> not(derive(r.a, c, cls, nclasses));
            };
            r.derivatives[cls] = d;
            return d;
        }

        /** Every byte set occurring in r (what the byte classes must separate). */
        public static void collectSets(Regex r, Map<Integer, long[]> out) {
            if (out.containsKey(-1 - r.id)) {
                return; // visited
            }
            out.put(-1 - r.id, null);
            switch (r.kind) {
                case SET -> out.put(r.id, r.set);
                case CAT -> {
                    collectSets(r.a, out);
                    collectSets(r.b, out);
                }
                case STAR, NOT -> collectSets(r.a, out);
                case OR, AND -> {
                    for (Regex k : r.kids) {
                        collectSets(k, out);
                    }
                }
                default -> { }
            }
        }
    }

    private record SetKey(long[] bits) {
        @Override
        public boolean equals(Object o) {
            return o instanceof SetKey k && Arrays.equals(bits, k.bits);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bits);
        }
    }
}
