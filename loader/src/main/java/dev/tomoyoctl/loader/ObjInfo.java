package dev.tomoyoctl.loader;

import com.sun.jna.Memory;
import com.sun.jna.ptr.IntByReference;
import java.nio.charset.StandardCharsets;

/** BPF_OBJ_GET_INFO_BY_FD for maps, programs and links (uapi struct layouts, see LibBpf). */
final class ObjInfo {
    private ObjInfo() {}

    static MapInfo map(int fd, String what) {
        Memory m = info(fd, LibBpf.MAP_INFO_SIZE, what);
        return new MapInfo(cString(m, 24, LibBpf.BPF_OBJ_NAME_LEN), m.getInt(0), m.getInt(4), m.getInt(8),
                m.getInt(12), m.getInt(16), m.getInt(20));
    }

    static ProgramInfo program(int fd, String what) {
        Memory m = info(fd, LibBpf.PROG_INFO_SIZE, what);
        return new ProgramInfo(cString(m, LibBpf.PROG_INFO_NAME, LibBpf.BPF_OBJ_NAME_LEN), m.getInt(0), m.getInt(4));
    }

    /** Raw link info: type, id, prog_id, and the first union words (attach_type for tracing links). */
    static int[] link(int fd, String what) {
        Memory m = info(fd, LibBpf.LINK_INFO_SIZE, what);
        return new int[] {m.getInt(0), m.getInt(4), m.getInt(8), m.getInt(16)};
    }

    private static Memory info(int fd, int size, String what) {
        // Zeroed: the kernel rejects non-zero bytes past the struct it knows, and pointer fields
        // left 0 ask it not to copy variable-length data.
        Memory m = new Memory(size);
        m.clear();
        IntByReference len = new IntByReference(size);
        int err = LibBpf.bpf_obj_get_info_by_fd(fd, m, len);
        if (err < 0) {
            throw BpfException.fromErrno("BPF_OBJ_GET_INFO_BY_FD for " + what, -err);
        }
        return m;
    }

    private static String cString(Memory m, int off, int max) {
        byte[] b = m.getByteArray(off, max);
        int n = 0;
        while (n < b.length && b[n] != 0) {
            n++;
        }
        return new String(b, 0, n, StandardCharsets.UTF_8);
    }
}
