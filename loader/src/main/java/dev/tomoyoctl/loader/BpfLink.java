package dev.tomoyoctl.loader;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.nio.file.Path;
import java.util.Optional;

/**
 * An attachment of a program (a BPF link). The attachment lasts while anything holds the link:
 * this handle's fd, or a pin on a bpf filesystem. So {@link #close()} on an unpinned link
 * detaches the program, while a pinned link stays attached after close (and after the JVM
 * exits) until its pin is removed ({@link #unpin()}, {@link BpfPins#unload()}) and every fd is
 * closed.
 */
public final class BpfLink implements AutoCloseable {
    private final String name;
    private Pointer link;

    BpfLink(String name, Pointer link) {
        this.name = name;
        this.link = link;
    }

    /** Opens a pinned link (e.g. after a restart). The name is the pin's file name. */
    public static BpfLink openPinned(Path pin) {
        try (LibbpfLog.Capture log = LibbpfLog.capture()) {
            Pointer l = LibBpf.bpf_link__open(pin.toString());
            if (l == null) {
                int errno = Native.getLastError();
                log.failed();
                throw BpfException.fromErrno("opening pinned link " + pin, errno, log.lines());
            }
            return new BpfLink(pin.getFileName().toString(), l);
        }
    }

    /** The program name for links made by attach, the pin's file name for opened links. */
    public String name() {
        return name;
    }

    public int fd() {
        int fd = LibBpf.bpf_link__fd(ptr());
        if (fd < 0) {
            throw BpfException.fromErrno("bpf_link__fd of link '" + name + "'", -fd);
        }
        return fd;
    }

    /** What the kernel says about this link and its program (proof the program is attached). */
    public LinkInfo info() {
        int[] raw = ObjInfo.link(fd(), "link '" + name + "'");
        String progName = null;
        int progType = -1;
        int progFd = LibBpf.bpf_prog_get_fd_by_id(raw[2]);
        if (progFd >= 0) {
            try {
                ProgramInfo pi = ObjInfo.program(progFd, "program " + raw[2] + " of link '" + name + "'");
                progName = pi.kernelName();
                progType = pi.type();
            } finally {
                LibC.close(progFd);
            }
        }
        return new LinkInfo(raw[0], raw[1], raw[2], progName, progType, raw[0] == LinkInfo.TYPE_TRACING ? raw[3] : -1);
    }

    /** Pins the link at {@code path} (on a bpf filesystem): the attachment then outlives the JVM. */
    public void pin(Path path) {
        try (LibbpfLog.Capture log = LibbpfLog.capture()) {
            int err = LibBpf.bpf_link__pin(ptr(), path.toString());
            if (err < 0) {
                log.failed();
                throw BpfException.fromErrno("pinning link '" + name + "' at " + path, -err, log.lines());
            }
        }
    }

    /** Removes this link's pin (no-op if it has none); the program stays attached until close(). */
    public void unpin() {
        if (LibBpf.bpf_link__pin_path(ptr()) == null) {
            return;
        }
        int err = LibBpf.bpf_link__unpin(ptr());
        if (err < 0) {
            throw BpfException.fromErrno("unpinning link '" + name + "'", -err);
        }
    }

    public Optional<Path> pinPath() {
        String p = LibBpf.bpf_link__pin_path(ptr());
        return p == null ? Optional.empty() : Optional.of(Path.of(p));
    }

    /**
     * Forces the detachment (BPF_LINK_DETACH) even while the link is pinned or held elsewhere.
     * Link types without detach support (e.g. tracing/LSM links on 6.1) throw
     * {@link BpfNotSupportedException}; for those, unpin and close instead.
     */
    public void detach() {
        int err = LibBpf.bpf_link__detach(ptr());
        if (err < 0) {
            int e = -err;
            if (e == Errno.EINVAL || e == Errno.EOPNOTSUPP || e == Errno.ENOTSUPP) {
                throw new BpfNotSupportedException("link '" + name + "' cannot be force-detached on this kernel ("
                        + Errno.describe(e) + "): unpin and close it instead", e, java.util.List.of());
            }
            throw BpfException.fromErrno("detaching link '" + name + "'", e);
        }
    }

    /** Releases this handle; detaches the program unless the link is pinned or held elsewhere. */
    @Override
    public void close() {
        Pointer l = link;
        if (l != null) {
            link = null;
            LibBpf.bpf_link__destroy(l);
        }
    }

    public boolean isClosed() {
        return link == null;
    }

    private Pointer ptr() {
        Pointer l = link;
        if (l == null) {
            throw new IllegalStateException("link '" + name + "' is closed");
        }
        return l;
    }

    @Override
    public String toString() {
        return "BpfLink[" + name + "]";
    }
}
