package dev.tomoyoctl.loader;

import java.util.List;

/**
 * The kernel rejected a program at load time. {@link #verifierLog()} is the verifier's own log
 * for the failing program (captured from libbpf's print callback during the load), so the
 * message names the program and the log says which instruction and why.
 */
public class VerifierException extends BpfException {
    private final String programName;
    private final String verifierLog;

    public VerifierException(String message, int errno, List<String> libbpfLog, String programName, String verifierLog) {
        super(message, errno, libbpfLog, null);
        this.programName = programName;
        this.verifierLog = verifierLog;
    }

    /** The libbpf name of the program the verifier rejected. */
    public String programName() {
        return programName;
    }

    /** The verifier log (possibly long; the last lines carry the reason). */
    public String verifierLog() {
        return verifierLog;
    }
}
