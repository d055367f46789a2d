package dev.tomoyoctl.policy.automaton;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One domain's pattern rules as one deterministic automaton over the bytes of a name: walking a
 * name costs one step per byte however many patterns the domain has, and the state reached at
 * the end says which permissions the patterns grant (the OR over every pattern that matches).
 * The kernel walks the same table (tmy_dfa.bpf.h); {@link #perms} is the Java walk both are
 * tested against.
 *
 * <p>Built by Brzozowski derivatives: a state is the vector, over the distinct permission masks of
 * the rules, of the derivative of the union of that mask's patterns; bytes that no pattern tells
 * apart share a class, so a state's row has one entry per class. State 0 is the dead state
 * (nothing can match any more); the start state is 1, or 0 if no pattern matches anything.
 */
public final class PathAutomaton {
    /** Past this many states a domain's patterns are refused (the policy does not compile). */
    public static final int MAX_STATES = 1 << 16;

    private final int nclasses;
    private final byte[] classOf;      // byte -> class
    private final int[] next;          // state * nclasses + class -> state
    private final int[] accept;        // state -> permission bits
    private final int start;

    private PathAutomaton(int nclasses, byte[] classOf, int[] next, int[] accept, int start) {
        this.nclasses = nclasses;
        this.classOf = classOf;
        this.next = next;
        this.accept = accept;
        this.start = start;
    }

    /**
     * A pattern and the permission bits it grants; with a tail, the pattern is the first name of
     * an object "NAME1\0ARG" and the tail says what may follow the NUL ({@link ArgTail}).
     */
    public record Rule(String pattern, int perms, ArgTail tail) {
        public Rule(String pattern, int perms) {
            this(pattern, perms, null);
        }
    }

    /** Thrown when the patterns need more than {@link #MAX_STATES} states. */
    public static final class TooLargeException extends IllegalArgumentException {
        TooLargeException(String message) {
            super(message);
        }
    }

    public static PathAutomaton build(List<Rule> rules) {
        Regex.Factory f = new Regex.Factory();
        PatternRegex pr = new PatternRegex(f);
        // one union per distinct permission mask, in a fixed order
        TreeMap<Integer, List<Regex>> byMask = new TreeMap<>();
        for (Rule r : rules) {
            if (r.perms() != 0) {
                byMask.computeIfAbsent(r.perms(), k -> new ArrayList<>()).add(pr.of(r));
            }
        }
        int[] masks = byMask.keySet().stream().mapToInt(Integer::intValue).toArray();
        Regex[] initial = byMask.values().stream().map(f::or).toArray(Regex[]::new);

        // byte classes: bytes are equivalent when every byte set of every pattern treats them alike
        Map<Integer, long[]> sets = new LinkedHashMap<>();
        for (Regex r : initial) {
            Regex.Factory.collectSets(r, sets);
        }
        byte[] classOf = new byte[256];
        int[] representative = new int[256];
        int nclasses = classify(sets.values().stream().filter(s -> s != null).toList(), classOf, representative);

        Map<StateKey, Integer> ids = new HashMap<>();
        List<Regex[]> states = new ArrayList<>();
        Regex[] dead = new Regex[initial.length];
        Arrays.fill(dead, f.empty);
        ids.put(new StateKey(dead), 0);
        states.add(dead);
        int start = intern(initial, ids, states);
        ArrayDeque<Integer> work = new ArrayDeque<>();
        if (start != 0) {
            work.add(start);
        }
        int[] nextTab = new int[64 * nclasses];
        boolean[] done = new boolean[64];
        while (!work.isEmpty()) {
            int s = work.poll();
            if (s < done.length && done[s]) {
                continue;
            }
            if (s >= done.length) {
                done = Arrays.copyOf(done, Math.max(s + 1, done.length * 2));
            }
            done[s] = true;
            Regex[] vec = states.get(s);
            for (int c = 0; c < nclasses; c++) {
                Regex[] d = new Regex[vec.length];
                for (int i = 0; i < vec.length; i++) {
                    d[i] = f.derive(vec[i], representative[c], c, nclasses);
                }
                int before = states.size();
                int t = intern(d, ids, states);
                if (states.size() > MAX_STATES) {
                    throw new TooLargeException("the pattern rules need more than " + MAX_STATES
                            + " automaton states (simplify or split them)");
                }
                if (t == before) {
                    work.add(t);
                }
                int idx = s * nclasses + c;
                if (idx >= nextTab.length) {
                    nextTab = Arrays.copyOf(nextTab, Math.max(idx + 1, nextTab.length * 2));
                }
                nextTab[idx] = t;
            }
        }
        int n = states.size();
        int[] accept = new int[n];
        for (int s = 0; s < n; s++) {
            Regex[] vec = states.get(s);
            for (int i = 0; i < vec.length; i++) {
                if (vec[i].nullable()) {
                    accept[s] |= masks[i];
                }
            }
        }
        return minimize(nclasses, classOf, Arrays.copyOf(nextTab, n * nclasses), accept, start);
    }

    private static int intern(Regex[] vec, Map<StateKey, Integer> ids, List<Regex[]> states) {
        boolean deadVec = true;
        for (Regex r : vec) {
            deadVec &= r.isEmpty();
        }
        if (deadVec) {
            return 0;
        }
        StateKey k = new StateKey(vec);
        Integer id = ids.get(k);
        if (id == null) {
            id = states.size();
            ids.put(k, id);
            states.add(vec);
        }
        return id;
    }

    private record StateKey(int[] ids) {
        StateKey(Regex[] vec) {
            this(Arrays.stream(vec).mapToInt(Regex::id).toArray());
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof StateKey k && Arrays.equals(ids, k.ids);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(ids);
        }
    }

    /** Partitions 0..255 by membership in every set; returns the class count. */
    private static int classify(List<long[]> sets, byte[] classOf, int[] representative) {
        Map<String, Integer> bySignature = new HashMap<>();
        int n = 0;
        for (int b = 0; b < 256; b++) {
            StringBuilder sig = new StringBuilder(sets.size());
            for (long[] s : sets) {
                sig.append((s[b >>> 6] & (1L << (b & 63))) != 0 ? '1' : '0');
            }
            Integer c = bySignature.get(sig.toString());
            if (c == null) {
                c = n++;
                bySignature.put(sig.toString(), c);
                representative[c] = b;
            }
            classOf[b] = (byte) (int) c;
        }
        return n;
    }

    /**
     * Moore's partition refinement: states with the same accepted permissions and, class by
     * class, successors in the same blocks are merged. Dead stays 0; blocks are renumbered in
     * the order the original states first reach them, so the result is deterministic.
     */
    private static PathAutomaton minimize(int nc, byte[] classOf, int[] next, int[] accept, int start) {
        int n = accept.length;
        int[] block = new int[n];
        {
            Map<Integer, Integer> byAccept = new HashMap<>();
            byAccept.put(accept[0], 0); // dead's block (accept 0) first
            for (int s = 0; s < n; s++) {
                block[s] = byAccept.computeIfAbsent(accept[s], k -> byAccept.size());
            }
        }
        int count = -1;
        while (true) {
            Map<List<Integer>, Integer> sig = new HashMap<>();
            int[] nb = new int[n];
            for (int s = 0; s < n; s++) {
                Integer[] key = new Integer[nc + 1];
                key[0] = block[s];
                for (int c = 0; c < nc; c++) {
                    key[c + 1] = block[next[s * nc + c]];
                }
                List<Integer> k = Arrays.asList(key);
                Integer b = sig.get(k);
                if (b == null) {
                    b = sig.size();
                    sig.put(k, b);
                }
                nb[s] = b;
            }
            block = nb;
            if (sig.size() == count) {
                break;
            }
            count = sig.size();
        }
        // renumber: dead's block -> 0, then breadth-first from the start state
        int[] renum = new int[count];
        Arrays.fill(renum, -1);
        renum[block[0]] = 0;
        int m = 1;
        ArrayDeque<Integer> q = new ArrayDeque<>();
        int[] rep = new int[count];
        Arrays.fill(rep, -1);
        for (int s = 0; s < n; s++) {
            if (rep[block[s]] < 0) {
                rep[block[s]] = s;
            }
        }
        if (renum[block[start]] < 0) {
            renum[block[start]] = m++;
        }
        q.add(block[start]);
        boolean[] seen = new boolean[count];
        while (!q.isEmpty()) {
            int b = q.poll();
            if (seen[b]) {
                continue;
            }
            seen[b] = true;
            int s = rep[b];
            for (int c = 0; c < nc; c++) {
                int t = block[next[s * nc + c]];
                if (renum[t] < 0) {
                    renum[t] = m++;
                }
                q.add(t);
            }
        }
        int[] mNext = new int[m * nc];
        int[] mAccept = new int[m];
        for (int b = 0; b < count; b++) {
            if (renum[b] < 0) {
                continue; // unreachable
            }
            int s = rep[b];
            mAccept[renum[b]] = accept[s];
            for (int c = 0; c < nc; c++) {
                mNext[renum[b] * nc + c] = renum[block[next[s * nc + c]]];
            }
        }
        return new PathAutomaton(nc, classOf, mNext, mAccept, renum[block[start]]);
    }

    /** The permission bits the patterns grant to a name (raw bytes): the Java walk. */
    public int perms(byte[] name) {
        int s = start;
        for (byte b : name) {
            if (s == 0) {
                return 0;
            }
            s = next[s * nclasses + (classOf[b & 0xff] & 0xff)];
        }
        return accept[s];
    }

    public int states() {
        return accept.length;
    }

    public int classes() {
        return nclasses;
    }

    public int start() {
        return start;
    }

    public int classOf(int b) {
        return classOf[b & 0xff] & 0xff;
    }

    public int next(int state, int cls) {
        return next[state * nclasses + cls];
    }

    public int accept(int state) {
        return accept[state];
    }
}
