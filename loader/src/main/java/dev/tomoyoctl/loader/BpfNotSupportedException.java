package dev.tomoyoctl.loader;

import java.util.List;

/** The kernel cannot do this at all (e.g. BPF-LSM not available, bpf not in the active LSM list, link type without detach). */
public class BpfNotSupportedException extends BpfException {
    public BpfNotSupportedException(String message) {
        super(message);
    }

    public BpfNotSupportedException(String message, int errno, List<String> libbpfLog) {
        super(message, errno, libbpfLog, null);
    }
}
