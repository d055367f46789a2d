package dev.tomoyoctl.policy.compile;

import dev.tomoyoctl.policy.abi.Abi;
import dev.tomoyoctl.policy.abi.TmyDfaBlock;
import dev.tomoyoctl.policy.automaton.PathAutomaton;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Lays path automata out in the cells of array map tmy_dfa as tomoyo_abi.h ("path automata")
 * describes: a policy of generation G uses half (G &amp; 1), automata one after the other from the
 * second block of the half (cell 0 is never an automaton: 0 means "none").
 */
final class DfaLayout {
    private final int base;
    private int[] cells = new int[1024];
    private int used = Abi.TMY_DFA_BLOCK_CELLS; // the first block stays empty
    private final java.util.IdentityHashMap<PathAutomaton, Integer> placed = new java.util.IdentityHashMap<>();

    DfaLayout(int generation) {
        this.base = (generation & 1) * Abi.TMY_DFA_HALF_CELLS;
    }

    /** Cells an automaton takes. */
    static long cellsOf(PathAutomaton a) {
        return Abi.TMY_DFA_HEADER_CELLS + (long) (a.states() - 1) * (a.classes() + 1);
    }

    /**
     * Places an automaton and returns its absolute header cell (tmy_domain_val.dfa).
     *
     * @throws IllegalArgumentException if the half is full
     */
    int place(PathAutomaton a, String domain) {
        Integer again = placed.get(a);
        if (again != null) {
            return again; // the same automaton (the same rules) as another domain's: shared
        }
        long need = cellsOf(a);
        if (used + need > Abi.TMY_DFA_HALF_CELLS) {
            throw new IllegalArgumentException("the pattern rules of the policy need more than the kernel's "
                    + Abi.TMY_DFA_HALF_CELLS + " automaton cells (domain '" + domain + "' needs " + need
                    + " cells, " + (Abi.TMY_DFA_HALF_CELLS - used) + " are left)");
        }
        int at = used;
        used += (int) need;
        if (used > cells.length) {
            cells = Arrays.copyOf(cells, Math.max(used, cells.length * 2));
        }
        int nc = a.classes();
        int header = base + at;
        cells[at] = a.start() == 0 ? 0 : row(header, nc, a.start());
        for (int b = 0; b < 256; b++) {
            cells[at + 1 + b / 4] |= a.classOf(b) << (8 * (b % 4));
        }
        for (int s = 1; s < a.states(); s++) {
            int r = row(header, nc, s) - base;
            cells[r] = a.accept(s);
            for (int c = 0; c < nc; c++) {
                int t = a.next(s, c);
                cells[r + 1 + c] = t == 0 ? 0 : row(header, nc, t);
            }
        }
        placed.put(a, header);
        return header;
    }

    private static int row(int header, int nc, int state) {
        return header + Abi.TMY_DFA_HEADER_CELLS + (state - 1) * (nc + 1);
    }

    /** Cells used in this half (for benchmarks and status). */
    int usedCells() {
        return used;
    }

    /** The written blocks: absolute block index -> 64 value bytes. */
    Map<Integer, byte[]> blocks() {
        Map<Integer, byte[]> out = new LinkedHashMap<>();
        if (used == Abi.TMY_DFA_BLOCK_CELLS) {
            return out; // no automaton
        }
        for (int c = 0; c < used; c += Abi.TMY_DFA_BLOCK_CELLS) {
            out.put((base + c) / Abi.TMY_DFA_BLOCK_CELLS, TmyDfaBlock.toBytes(cells, c));
        }
        return out;
    }
}
