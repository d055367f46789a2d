package dev.tomoyoctl.loader;

import java.util.List;

/**
 * Base of the loader's errors. Carries the errno of the failing call (0 when the error is not a
 * system call failure) and the libbpf messages printed while the operation ran.
 *
 * <p>{@link #fromErrno} picks the typed subclass: ENOENT/ESRCH -> {@link BpfNotFoundException},
 * EPERM/EACCES -> {@link BpfPermissionException}, EOPNOTSUPP/ENOTSUPP/ENOSYS ->
 * {@link BpfNotSupportedException}.
 */
public class BpfException extends RuntimeException {
    private final int errno;
    private final List<String> libbpfLog;

    public BpfException(String message) {
        this(message, 0, List.of(), null);
    }

    public BpfException(String message, int errno, List<String> libbpfLog, Throwable cause) {
        super(message, cause);
        this.errno = Math.abs(errno);
        this.libbpfLog = List.copyOf(libbpfLog);
    }

    /** The positive errno of the failing call, or 0. */
    public int errno() {
        return errno;
    }

    /** libbpf's own messages printed while the failing operation ran (may be empty). */
    public List<String> libbpfLog() {
        return libbpfLog;
    }

    /** An exception for "{@code what} failed: EPERM (Operation not permitted)", typed by errno. */
    public static BpfException fromErrno(String what, int errno) {
        return fromErrno(what, errno, List.of());
    }

    public static BpfException fromErrno(String what, int errno, List<String> log) {
        int e = Math.abs(errno);
        String msg = what + ": " + Errno.describe(e) + lastLines(log);
        switch (e) {
            case Errno.ENOENT:
            case Errno.ESRCH:
                return new BpfNotFoundException(msg, e, log);
            case Errno.EPERM:
            case Errno.EACCES:
                return new BpfPermissionException(msg, e, log);
            case Errno.EOPNOTSUPP:
            case Errno.ENOTSUPP:
            case Errno.ENOSYS:
                return new BpfNotSupportedException(msg, e, log);
            default:
                return new BpfException(msg, e, log, null);
        }
    }

    /** The last libbpf line is usually the most specific reason; append it to the message. */
    static String lastLines(List<String> log) {
        for (int i = log.size() - 1; i >= 0; i--) {
            String line = log.get(i).strip();
            if (!line.isEmpty() && !line.contains("-- END PROG LOAD LOG --")) {
                return " [" + line + "]";
            }
        }
        return "";
    }
}
