package dev.tomoyoctl.loader;

import com.sun.jna.Native;

/**
 * A pidfd (pidfd_open(2), Linux 5.3): a stable handle on a process, the key user space uses for
 * task storage maps. Unlike a pid it cannot be recycled while open.
 */
public final class PidFd implements AutoCloseable {
    private final long pid;
    private int fd;

    private PidFd(long pid, int fd) {
        this.pid = pid;
        this.fd = fd;
    }

    /** Opens a pidfd for {@code pid}; {@link BpfNotFoundException} if there is no such process. */
    public static PidFd open(long pid) {
        long fd = LibC.Sys.INSTANCE.syscall(LibC.SYS_PIDFD_OPEN, (int) pid, 0);
        if (fd < 0) {
            int errno = Native.getLastError();
            throw BpfException.fromErrno("pidfd_open(" + pid + ")", errno);
        }
        return new PidFd(pid, (int) fd);
    }

    public long pid() {
        return pid;
    }

    public int fd() {
        if (fd < 0) {
            throw new IllegalStateException("pidfd of " + pid + " is closed");
        }
        return fd;
    }

    @Override
    public void close() {
        if (fd >= 0) {
            LibC.close(fd);
            fd = -1;
        }
    }
}
