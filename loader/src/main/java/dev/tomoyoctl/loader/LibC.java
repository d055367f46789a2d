package dev.tomoyoctl.loader;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;

/** Direct-mapped glibc calls the loader needs (mmap for the ring buffer, poll, fd plumbing). */
final class LibC {
    static {
        Native.register(LibC.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
    }

    private LibC() {}

    static final int PROT_READ = 1;
    static final int PROT_WRITE = 2;
    static final int MAP_SHARED = 1;
    static final long MAP_FAILED = -1L;

    static final short POLLIN = 0x001;
    static final short POLLERR = 0x008;
    static final short POLLHUP = 0x010;
    static final short POLLNVAL = 0x020;

    static final int F_DUPFD_CLOEXEC = 1030;
    static final int EFD_CLOEXEC = 02000000;
    static final int EFD_NONBLOCK = 04000;
    static final int SC_PAGESIZE = 30;

    static final int SYS_PIDFD_OPEN = 434; // the same number on every architecture (added in 5.3)

    static native Pointer mmap(Pointer addr, long length, int prot, int flags, int fd, long offset);
    static native int munmap(Pointer addr, long length);
    static native int close(int fd);
    // fcntl is variadic in C; on the LP64 Linux ABIs (x86_64, aarch64) an int third argument is
    // passed exactly like a fixed one, so a fixed-arity binding is sound there.
    static native int fcntl(int fd, int cmd, int arg);
    static native int poll(Pointer fds, long nfds, int timeoutMs);
    static native int eventfd(int initval, int flags);
    static native long read(int fd, byte[] buf, long count);
    static native long write(int fd, byte[] buf, long count);
    static native int vsnprintf(Pointer buf, long size, Pointer format, Pointer vaList);
    static native long sysconf(int name);
    static native int mount(String source, String target, String fstype, long flags, Pointer data);
    static native int umount2(String target, int flags);

    /** Variadic syscall(2) needs the varargs-aware interface mapping. */
    interface Sys extends Library {
        Sys INSTANCE = Native.load(Platform.C_LIBRARY_NAME, Sys.class);

        long syscall(long number, Object... args);
    }

    static final long PAGE_SIZE = sysconf(SC_PAGESIZE);

    /** dup with O_CLOEXEC, so each Java handle owns its own descriptor. */
    static int dup(int fd, String what) {
        int dup = fcntl(fd, F_DUPFD_CLOEXEC, 0);
        if (dup < 0) {
            throw BpfException.fromErrno("dup of the fd of " + what, Native.getLastError());
        }
        return dup;
    }
}
