package dev.tomoyoctl.daemon;

import dev.tomoyoctl.policy.PolicySet;
import dev.tomoyoctl.policy.PolicyWarning;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The daemon without BPF (--no-kernel): policy management, the control socket and the files work;
 * nothing is enforced and no events arrive. For machines whose kernel cannot run BPF-LSM and for
 * tests of everything above the kernel. The policy is still checked as the real kernel would be
 * given it, so warnings are the same.
 */
public final class NoKernel implements Kernel {
    private long generation;

    private record Checked(List<String> warnings) implements Prepared {
    }

    @Override
    public Prepared prepare(PolicySet policy) {
        return new Checked(policy.check().stream().map(PolicyWarning::toString).toList());
    }

    @Override
    public long apply(Prepared prepared) {
        return ++generation;
    }

    @Override
    public long generation() {
        return generation;
    }

    @Override
    public EventSource events() {
        return null;
    }

    @Override
    public Map<String, Object> status() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("state", "none (--no-kernel: nothing is enforced)");
        m.put("generation", generation);
        return m;
    }

    @Override
    public void unload() {
        // nothing attached
    }

    @Override
    public void close() {
    }
}
