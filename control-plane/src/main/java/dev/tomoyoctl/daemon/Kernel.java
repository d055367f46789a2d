package dev.tomoyoctl.daemon;

import dev.tomoyoctl.policy.PolicySet;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * The kernel side as the daemon drives it: the BPF programs and maps (loader + policy compiler)
 * in production, nothing with --no-kernel, a recorder in tests.
 *
 * <p>A policy change is two steps so that it is all or nothing: {@link #prepare} compiles the
 * whole policy without touching the kernel (and fails with "file:line: reason" details), then
 * {@link #apply} writes the compiled entries under a new generation, switches
 * tmy_state.generation with one update, and deletes the old generation's entries.
 */
public interface Kernel extends AutoCloseable {

    /** A compiled policy ready for {@link #apply}. */
    interface Prepared {
        /** What the policy says that the kernel does not enforce ("file:line: message"). */
        List<String> warnings();
    }

    /** Compiles without side effects; a policy the kernel cannot take is a {@link ControlException}. */
    Prepared prepare(PolicySet policy);

    /** Installs a prepared policy; returns the new generation. */
    long apply(Prepared prepared) throws IOException;

    /**
     * Writes the entries of these domains again under the generation in force, compiled from
     * {@code policy} (after learning changed them). The kernel adds learned entries itself; this
     * brings what only user space knows (the domain's parent id, quota count, quota_exceeded
     * flag) in line. Best effort: a failure is the caller's to log, never fatal.
     */
    default void refreshDomains(PolicySet policy, List<String> domains) throws IOException {
    }

    /** The generation in force (0 before the first apply). */
    long generation();

    /** The event stream, or null if this kernel produces none. */
    EventSource events();

    /** For the "status" op: state ("attached", "adopted", "none"), programs, counters. */
    Map<String, Object> status();

    /** Detaches the programs and removes every pin: enforcement ends. */
    void unload() throws IOException;

    /** Releases this process's handles. Pinned programs keep enforcing the policy. */
    @Override
    void close();
}
