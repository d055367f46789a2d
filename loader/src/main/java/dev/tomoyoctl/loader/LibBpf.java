package dev.tomoyoctl.loader;

import com.sun.jna.Callback;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.LongByReference;

/**
 * Direct-mapped bindings to the system libbpf (Debian libbpf1, 1.1). Only symbols exported by
 * libbpf 1.1 are declared here (checked with {@code nm -D libbpf.so.1}); a missing symbol would
 * fail at class initialisation, not at some later call.
 *
 * <p>Conventions of libbpf 1.x that the callers rely on: functions returning {@code int} return
 * {@code -errno} on failure; functions returning a pointer return NULL and set errno (read with
 * {@link Native#getLastError()}, which JNA saves right after each call on the calling thread).
 * {@code size_t} is mapped to {@code long} and C {@code bool} to {@code byte} (only the low 8 bits
 * of a returned bool are defined), which holds on the LP64 targets this project supports.
 */
final class LibBpf {
    static final String LIBRARY = System.getProperty("tomoyoctl.libbpf", "libbpf.so.1");

    static {
        Native.register(LibBpf.class, NativeLibrary.getInstance(LIBRARY));
    }

    private LibBpf() {}

    // ---- object lifecycle -------------------------------------------------------------------
    static native Pointer bpf_object__open_mem(Pointer objBuf, long objBufSize, Pointer opts);
    static native Pointer bpf_object__open_file(String path, Pointer opts);
    static native int bpf_object__load(Pointer obj);
    static native void bpf_object__close(Pointer obj);
    static native String bpf_object__name(Pointer obj);
    static native Pointer bpf_object__btf(Pointer obj);
    static native Pointer bpf_object__next_program(Pointer obj, Pointer prev);
    static native Pointer bpf_object__next_map(Pointer obj, Pointer prev);
    static native Pointer bpf_object__find_program_by_name(Pointer obj, String name);
    static native Pointer bpf_object__find_map_by_name(Pointer obj, String name);

    // ---- programs ---------------------------------------------------------------------------
    static native String bpf_program__name(Pointer prog);
    static native String bpf_program__section_name(Pointer prog);
    static native int bpf_program__type(Pointer prog);
    static native int bpf_program__fd(Pointer prog);
    static native byte bpf_program__autoload(Pointer prog);
    static native int bpf_program__set_autoload(Pointer prog, byte autoload);
    static native Pointer bpf_program__attach(Pointer prog);

    // ---- maps (object level, before/after load) ---------------------------------------------
    static native String bpf_map__name(Pointer map);
    static native int bpf_map__fd(Pointer map);
    static native int bpf_map__type(Pointer map);
    static native byte bpf_map__is_internal(Pointer map);
    static native int bpf_map__key_size(Pointer map);
    static native int bpf_map__value_size(Pointer map);
    static native int bpf_map__max_entries(Pointer map);
    static native int bpf_map__set_max_entries(Pointer map, int maxEntries);
    static native int bpf_map__set_pin_path(Pointer map, String path);
    static native String bpf_map__pin_path(Pointer map);
    static native int bpf_map__reuse_fd(Pointer map, int fd);
    static native Pointer bpf_map__initial_value(Pointer map, LongByReference size);

    // ---- BTF ---------------------------------------------------------------------------------
    static native int btf__type_cnt(Pointer btf);
    static native Pointer btf__type_by_id(Pointer btf, int id);
    static native String btf__name_by_offset(Pointer btf, int offset);

    // ---- links -------------------------------------------------------------------------------
    static native Pointer bpf_link__open(String path);
    static native int bpf_link__fd(Pointer link);
    static native int bpf_link__pin(Pointer link, String path);
    static native int bpf_link__unpin(Pointer link);
    static native String bpf_link__pin_path(Pointer link);
    static native int bpf_link__detach(Pointer link);
    static native int bpf_link__destroy(Pointer link);

    // ---- raw syscall wrappers -----------------------------------------------------------------
    static native int bpf_obj_get(String path);
    static native int bpf_obj_pin(int fd, String path);
    static native int bpf_obj_get_info_by_fd(int fd, Pointer info, IntByReference infoLen);
    static native int bpf_prog_get_fd_by_id(int id);
    static native int bpf_map_lookup_elem(int fd, byte[] key, byte[] value);
    static native int bpf_map_update_elem(int fd, byte[] key, byte[] value, long flags);
    static native int bpf_map_delete_elem(int fd, byte[] key);
    static native int bpf_map_get_next_key(int fd, byte[] key, byte[] nextKey);
    static native int bpf_map_update_batch(int fd, Pointer keys, Pointer values, IntByReference count, Pointer opts);
    static native int bpf_map_delete_batch(int fd, Pointer keys, IntByReference count, Pointer opts);
    static native int bpf_prog_test_run_opts(int progFd, Pointer opts);

    // ---- misc ----------------------------------------------------------------------------------
    static native int libbpf_num_possible_cpus();
    static native String libbpf_version_string();
    static native String libbpf_bpf_prog_type_str(int type);
    static native String libbpf_bpf_map_type_str(int type);
    static native String libbpf_bpf_link_type_str(int type);
    static native String libbpf_bpf_attach_type_str(int type);
    static native Pointer libbpf_set_print(PrintFn fn);

    /** {@code int (*)(enum libbpf_print_level, const char *fmt, va_list ap)}; ap arrives as a pointer. */
    interface PrintFn extends Callback {
        int invoke(int level, Pointer format, Pointer vaList);
    }

    // ---- struct layouts (offsets checked against the libbpf 1.1 headers with offsetof) -------
    /** struct bpf_object_open_opts: sz@0 object_name@8 relaxed_maps@16 pin_root_path@24 ... */
    static final int OPEN_OPTS_SIZE = 80;
    static final int OPEN_OPTS_OBJECT_NAME = 8;

    /** struct bpf_test_run_opts. */
    static final int TEST_RUN_OPTS_SIZE = 80;
    static final int TEST_RUN_CTX_IN = 32;
    static final int TEST_RUN_CTX_OUT = 40;
    static final int TEST_RUN_CTX_SIZE_IN = 48;
    static final int TEST_RUN_CTX_SIZE_OUT = 52;
    static final int TEST_RUN_RETVAL = 56;
    static final int TEST_RUN_DURATION = 64;

    /** struct bpf_map_batch_opts: sz@0 elem_flags@8 flags@16. */
    static final int BATCH_OPTS_SIZE = 24;

    /** struct bpf_map_info (uapi): type@0 id@4 key_size@8 value_size@12 max_entries@16 map_flags@20 name@24. */
    static final int MAP_INFO_SIZE = 88;
    /** struct bpf_prog_info (uapi): type@0 id@4 ... name@64. */
    static final int PROG_INFO_SIZE = 232;
    static final int PROG_INFO_NAME = 64;
    /** struct bpf_link_info (uapi): type@0 id@4 prog_id@8, union@16. */
    static final int LINK_INFO_SIZE = 48;

    // ---- constants from linux/bpf.h --------------------------------------------------------
    static final int BTF_KIND_VAR = 14;
    static final int BTF_KIND_DATASEC = 15;
    static final int BPF_OBJ_NAME_LEN = 16;
}
