package dev.tomoyoctl.loader;

import java.util.List;

/** The kernel refused the operation for lack of privilege (EPERM/EACCES): run as root / with CAP_BPF. */
public class BpfPermissionException extends BpfException {
    public BpfPermissionException(String message) {
        super(message);
    }

    public BpfPermissionException(String message, int errno, List<String> libbpfLog) {
        super(message, errno, libbpfLog, null);
    }
}
