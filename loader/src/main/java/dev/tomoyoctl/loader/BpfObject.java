package dev.tomoyoctl.loader;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.LongByReference;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A BPF ELF object through its lifecycle, as in cilium/ebpf and aya:
 * <ol>
 * <li>{@link #open(byte[], String)} / {@link #openResource(String)} / {@link #open(Path)} parse the
 * ELF (nothing reaches the kernel yet);</li>
 * <li>configure: {@link #setGlobal} for {@code const volatile} globals (located by name in the
 * BTF data sections), {@link #pinMap}/{@link #reuseMap} to share maps with pins or other
 * objects, {@link #setMaxEntries};</li>
 * <li>{@link #load()} creates the maps and loads the programs (verifier errors come back as
 * {@link VerifierException} with the verifier's log);</li>
 * <li>{@link #attach(String)} / {@link #attachAll()} return {@link BpfLink}s; {@link #map(String)}
 * returns {@link BpfMap} handles.</li>
 * </ol>
 * Closing the object releases its program and map fds; links and map handles taken from it hold
 * their own references and stay valid. Not thread-safe (libbpf objects are not).
 */
public final class BpfObject implements AutoCloseable {
    /** Program types that bpf_program__attach can attach from the section name alone. */
    private static final Set<Integer> AUTO_ATTACH_TYPES = Set.of(2 /* kprobe */, 5 /* tracepoint */,
            ProgramInfo.TYPE_RAW_TRACEPOINT, 24 /* raw_tracepoint_writable */, ProgramInfo.TYPE_TRACING,
            ProgramInfo.TYPE_LSM);
    private static final Pattern LOAD_FAILED = Pattern.compile("prog '([^']+)': BPF program load failed: (.*)");
    private static final String LOG_BEGIN = "': -- BEGIN PROG LOAD LOG --\n";
    private static final String LOG_END = "-- END PROG LOAD LOG --";

    private final String name;
    // libbpf keeps pointing into the ELF buffer given to open_mem until the object is closed.
    private final Memory elf;
    private Pointer obj;
    private boolean loaded;
    private final Map<String, BpfProgram> programs = new LinkedHashMap<>();

    private BpfObject(Pointer obj, Memory elf) {
        this.obj = obj;
        this.elf = elf;
        this.name = LibBpf.bpf_object__name(obj);
        for (Pointer p = LibBpf.bpf_object__next_program(obj, null); p != null;
                p = LibBpf.bpf_object__next_program(obj, p)) {
            BpfProgram prog = new BpfProgram(this, p);
            programs.put(prog.name(), prog);
        }
    }

    // ---- open ---------------------------------------------------------------------------------

    /**
     * Opens an object from ELF bytes. {@code objectName} becomes libbpf's object name, which
     * prefixes the kernel names of the object's internal maps (".rodata" etc.).
     */
    public static BpfObject open(byte[] elfBytes, String objectName) {
        if (elfBytes.length == 0) {
            throw new IllegalArgumentException("BPF object '" + objectName + "' is empty");
        }
        Memory elf = new Memory(elfBytes.length);
        elf.write(0, elfBytes, 0, elfBytes.length);
        Memory nameMem = new Memory(objectName.getBytes(StandardCharsets.UTF_8).length + 1L);
        nameMem.setString(0, objectName, "UTF-8");
        Memory opts = new Memory(LibBpf.OPEN_OPTS_SIZE);
        opts.clear();
        opts.setLong(0, LibBpf.OPEN_OPTS_SIZE); // sz: libbpf checks it to know which fields exist
        opts.setPointer(LibBpf.OPEN_OPTS_OBJECT_NAME, nameMem);
        try (LibbpfLog.Capture log = LibbpfLog.capture()) {
            Pointer obj = LibBpf.bpf_object__open_mem(elf, elfBytes.length, opts);
            if (obj == null) {
                int errno = Native.getLastError();
                log.failed();
                throw BpfException.fromErrno("opening BPF object '" + objectName + "' (" + elfBytes.length
                        + " bytes of ELF)", errno, log.lines());
            }
            return new BpfObject(obj, elf);
        }
    }

    public static BpfObject open(byte[] elfBytes) {
        return open(elfBytes, "tomoyoctl");
    }

    /** Opens an object file; the object name is the file name without ".bpf.o"/".o". */
    public static BpfObject open(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new BpfNotFoundException("BPF object file " + file + " does not exist");
        } catch (IOException e) {
            throw new BpfException("reading BPF object file " + file + ": " + e.getMessage(), 0, List.of(), e);
        }
        return open(bytes, objectName(file.getFileName().toString()));
    }

    /**
     * Opens an object shipped as a class path resource, e.g. "dev/tomoyoctl/bpf/smoke.bpf.o"
     * (the loader jar carries the objects built by bpf/).
     */
    public static BpfObject openResource(String resource) {
        ClassLoader cl = Thread.currentThread().getContextClassLoader();
        InputStream in = cl != null ? cl.getResourceAsStream(resource) : null;
        if (in == null) {
            in = BpfObject.class.getClassLoader().getResourceAsStream(resource);
        }
        if (in == null) {
            throw new BpfNotFoundException("BPF object resource '" + resource + "' is not on the class path");
        }
        try (InputStream s = in) {
            return open(s.readAllBytes(), objectName(resource.substring(resource.lastIndexOf('/') + 1)));
        } catch (IOException e) {
            throw new BpfException("reading BPF object resource '" + resource + "': " + e.getMessage(), 0, List.of(), e);
        }
    }

    private static String objectName(String fileName) {
        if (fileName.endsWith(".bpf.o")) {
            return fileName.substring(0, fileName.length() - 6);
        }
        return fileName.endsWith(".o") ? fileName.substring(0, fileName.length() - 2) : fileName;
    }

    public String name() {
        return name;
    }

    /** The version of the system libbpf in use, e.g. "v1.1". */
    public static String libbpfVersion() {
        return LibBpf.libbpf_version_string();
    }

    public boolean isLoaded() {
        return loaded;
    }

    /** Program names (libbpf names = C function names) in ELF order. */
    public List<String> programNames() {
        return List.copyOf(programs.keySet());
    }

    public BpfProgram program(String programName) {
        checkOpen();
        BpfProgram p = programs.get(programName);
        if (p == null) {
            throw new BpfNotFoundException("BPF object '" + name + "' has no program '" + programName
                    + "'; it has " + programs.keySet());
        }
        return p;
    }

    /**
     * Map names in libbpf's order (symbol order, not source order), including libbpf's internal
     * maps (".rodata", ".bss", ...).
     */
    public List<String> mapNames() {
        checkOpen();
        List<String> names = new ArrayList<>();
        for (Pointer m = LibBpf.bpf_object__next_map(obj, null); m != null; m = LibBpf.bpf_object__next_map(obj, m)) {
            names.add(LibBpf.bpf_map__name(m));
        }
        return names;
    }

    /** Names of the maps declared in SEC(".maps") (internal data-section maps left out). */
    public List<String> declaredMapNames() {
        checkOpen();
        List<String> names = new ArrayList<>();
        for (Pointer m = LibBpf.bpf_object__next_map(obj, null); m != null; m = LibBpf.bpf_object__next_map(obj, m)) {
            if (LibBpf.bpf_map__is_internal(m) == 0) {
                names.add(LibBpf.bpf_map__name(m));
            }
        }
        return names;
    }

    // ---- configure (before load) ------------------------------------------------------------

    /** Where a global variable lives: its data section, offset and size, from the BTF DATASEC. */
    record GlobalVar(String name, String section, int offset, int size) {}

    GlobalVar findGlobal(String variable) {
        checkOpen();
        Pointer btf = LibBpf.bpf_object__btf(obj);
        if (btf == null) {
            throw new BpfNotFoundException("BPF object '" + name + "' has no BTF, so global '" + variable
                    + "' cannot be located (build with clang -g)");
        }
        int count = LibBpf.btf__type_cnt(btf);
        List<String> seen = new ArrayList<>();
        for (int id = 1; id < count; id++) {
            Pointer t = LibBpf.btf__type_by_id(btf, id);
            int info = t.getInt(4);
            if (((info >>> 24) & 0x1f) != LibBpf.BTF_KIND_DATASEC) {
                continue;
            }
            String section = LibBpf.btf__name_by_offset(btf, t.getInt(0));
            int vlen = info & 0xffff;
            // struct btf_type is 12 bytes; struct btf_var_secinfo {type, offset, size} follow.
            for (int i = 0; i < vlen; i++) {
                long si = 12L + 12L * i;
                Pointer var = LibBpf.btf__type_by_id(btf, t.getInt(si));
                if (var == null || ((var.getInt(4) >>> 24) & 0x1f) != LibBpf.BTF_KIND_VAR) {
                    continue;
                }
                String varName = LibBpf.btf__name_by_offset(btf, var.getInt(0));
                seen.add(varName);
                if (variable.equals(varName)) {
                    return new GlobalVar(varName, section, t.getInt(si + 4), t.getInt(si + 8));
                }
            }
        }
        throw new BpfNotFoundException("BPF object '" + name + "' has no global variable '" + variable
                + "'; its globals are " + seen);
    }

    private Pointer sectionMap(GlobalVar v) {
        Pointer m = LibBpf.bpf_object__find_map_by_name(obj, v.section());
        if (m == null) {
            throw new BpfNotFoundException("BPF object '" + name + "': no map for data section " + v.section()
                    + " of global '" + v.name() + "'");
        }
        return m;
    }

    /**
     * Sets a global variable by name. Before load this writes the initial value (the way to set
     * {@code const volatile} configuration in .rodata, which the verifier then treats as a
     * constant). After load only writable sections (.data, .bss) can be set; the write goes
     * through the section's map.
     *
     * @throws IllegalArgumentException if {@code value} is not exactly the variable's size
     */
    public BpfObject setGlobal(String variable, byte[] value) {
        GlobalVar v = findGlobal(variable);
        if (value.length != v.size()) {
            throw new IllegalArgumentException("BPF object '" + name + "': global '" + variable + "' in "
                    + v.section() + " is " + v.size() + " bytes, got " + value.length);
        }
        Pointer m = sectionMap(v);
        if (!loaded) {
            LongByReference size = new LongByReference();
            Pointer init = LibBpf.bpf_map__initial_value(m, size);
            if (init == null || v.offset() + (long) v.size() > size.getValue()) {
                throw new BpfException("BPF object '" + name + "': no initial value memory for global '" + variable
                        + "' in " + v.section());
            }
            init.write(v.offset(), value, 0, value.length);
            return this;
        }
        if (v.section().startsWith(".rodata")) {
            throw new IllegalStateException("BPF object '" + name + "': global '" + variable + "' is in "
                    + v.section() + ", which is frozen after load; set it before load()");
        }
        try (BpfMap section = BpfMap.fromFd(v.section(), LibBpf.bpf_map__fd(m))) {
            byte[] key = Bytes.u32(0);
            byte[] data = section.lookup(key).orElseThrow();
            System.arraycopy(value, 0, data, v.offset(), value.length);
            section.update(key, data, UpdateFlag.EXIST);
        }
        return this;
    }

    public BpfObject setGlobal(String variable, int value) {
        return setGlobal(variable, Bytes.u32(value));
    }

    public BpfObject setGlobal(String variable, long value) {
        return setGlobal(variable, Bytes.u64(value));
    }

    /** The current bytes of a global: the initial value before load, the kernel's copy after. */
    public byte[] getGlobal(String variable) {
        GlobalVar v = findGlobal(variable);
        Pointer m = sectionMap(v);
        if (!loaded) {
            LongByReference size = new LongByReference();
            Pointer init = LibBpf.bpf_map__initial_value(m, size);
            return init.getByteArray(v.offset(), v.size());
        }
        try (BpfMap section = BpfMap.fromFd(v.section(), LibBpf.bpf_map__fd(m))) {
            byte[] data = section.lookup(Bytes.u32(0)).orElseThrow();
            byte[] out = new byte[v.size()];
            System.arraycopy(data, v.offset(), out, 0, v.size());
            return out;
        }
    }

    private Pointer findMap(String mapName) {
        checkOpen();
        Pointer m = LibBpf.bpf_object__find_map_by_name(obj, mapName);
        if (m == null) {
            throw new BpfNotFoundException("BPF object '" + name + "' has no map '" + mapName + "'; it has "
                    + mapNames());
        }
        return m;
    }

    /**
     * Gives map {@code mapName} a pin path: at load libbpf reuses the map pinned there if there
     * is one (after checking type, sizes and flags match) or creates the map and pins it there.
     * This is how maps survive restarts. The pin's directory must exist on a bpf filesystem.
     */
    public BpfObject pinMap(String mapName, Path pinPath) {
        checkNotLoaded("set the pin path of map '" + mapName + "'");
        int err = LibBpf.bpf_map__set_pin_path(findMap(mapName), pinPath.toString());
        if (err < 0) {
            throw BpfException.fromErrno("setting pin path " + pinPath + " of map '" + mapName + "'", -err);
        }
        return this;
    }

    /** Makes the object use an existing map instead of creating {@code mapName} at load. */
    public BpfObject reuseMap(String mapName, BpfMap existing) {
        checkNotLoaded("reuse a map for '" + mapName + "'");
        try (LibbpfLog.Capture log = LibbpfLog.capture()) {
            int err = LibBpf.bpf_map__reuse_fd(findMap(mapName), existing.fd());
            if (err < 0) {
                log.failed();
                throw BpfException.fromErrno("reusing map '" + existing.name() + "' for map '" + mapName + "'", -err,
                        log.lines());
            }
        }
        return this;
    }

    public BpfObject setMaxEntries(String mapName, int maxEntries) {
        checkNotLoaded("set max_entries of map '" + mapName + "'");
        int err = LibBpf.bpf_map__set_max_entries(findMap(mapName), maxEntries);
        if (err < 0) {
            throw BpfException.fromErrno("setting max_entries of map '" + mapName + "' to " + maxEntries, -err);
        }
        return this;
    }

    // ---- load ---------------------------------------------------------------------------------

    /**
     * Creates the maps and loads every autoload program.
     *
     * @throws VerifierException        a program was rejected; carries the verifier log
     * @throws BpfNotSupportedException the kernel refuses the program type (e.g. LSM programs on
     *                                  a kernel without BPF-LSM) although we are privileged
     * @throws BpfPermissionException   not privileged (needs root / CAP_BPF + CAP_SYS_ADMIN)
     */
    public void load() {
        checkNotLoaded("load");
        try (LibbpfLog.Capture log = LibbpfLog.capture()) {
            int err = LibBpf.bpf_object__load(obj);
            if (err < 0) {
                log.failed();
                throw loadError(-err, log.lines());
            }
        }
        loaded = true;
    }

    private BpfException loadError(int errno, List<String> log) {
        String prog = null;
        String reason = null;
        String verifierLog = null;
        for (String line : log) {
            Matcher m = LOAD_FAILED.matcher(line);
            if (m.find() && prog == null) {
                prog = m.group(1);
                reason = m.group(2);
            }
            // libbpf prints the whole verifier log as one message:
            // "prog 'NAME': -- BEGIN PROG LOAD LOG --\n<log>-- END PROG LOAD LOG --"
            int begin = line.indexOf(LOG_BEGIN);
            int nameStart = line.lastIndexOf("prog '", begin);
            if (begin > 0 && nameStart >= 0 && verifierLog == null) {
                int end = line.indexOf(LOG_END, begin);
                verifierLog = line.substring(begin + LOG_BEGIN.length(), end > 0 ? end : line.length());
                if (prog == null) {
                    prog = line.substring(nameStart + 6, begin);
                }
            }
        }
        if (prog == null) {
            return BpfException.fromErrno("loading BPF object '" + name + "'", errno, log);
        }
        BpfProgram p = programs.get(prog);
        int type = p != null ? LibBpf.bpf_program__type(p.pointer()) : -1;
        boolean attachTyped = type == ProgramInfo.TYPE_LSM || type == ProgramInfo.TYPE_TRACING
                || type == ProgramInfo.TYPE_EXT;
        if (attachTyped && (errno == Errno.EPERM || errno == Errno.ENOTSUPP || errno == Errno.EOPNOTSUPP)
                && Capabilities.canLoadBpf()) {
            return new BpfNotSupportedException("loading program '" + prog + "' (" + BpfProgram.typeName(type)
                    + ") of BPF object '" + name + "' failed with " + Errno.describe(errno)
                    + " although this process has CAP_SYS_ADMIN/CAP_BPF: this kernel does not allow "
                    + BpfProgram.typeName(type) + " programs (needs CONFIG_BPF_LSM=y, BTF, no lockdown"
                    + " forbidding it; see /sys/kernel/security/lsm)", errno, log);
        }
        if (verifierLog != null && !verifierLog.isBlank()) {
            return new VerifierException("the verifier rejected program '" + prog + "' of BPF object '" + name
                    + "': " + reason + "; log ends with: " + tail(verifierLog, 3), errno, log, prog, verifierLog);
        }
        return BpfException.fromErrno("loading program '" + prog + "' of BPF object '" + name + "'", errno, log);
    }

    private static String tail(String text, int lines) {
        String[] all = text.strip().split("\n");
        return String.join(" | ", java.util.Arrays.asList(all).subList(Math.max(0, all.length - lines), all.length));
    }

    // ---- maps and attach (after load) ---------------------------------------------------------

    /** A new handle on a map of the loaded object (it owns its own fd: close it). */
    public BpfMap map(String mapName) {
        Pointer m = findMap(mapName);
        if (!loaded) {
            throw new IllegalStateException("BPF object '" + name + "' is not loaded: map '" + mapName
                    + "' does not exist in the kernel yet");
        }
        return BpfMap.fromFd(mapName, LibBpf.bpf_map__fd(m));
    }

    /**
     * Attaches a program where its section says (lsm/HOOK, raw_tp/NAME, ...). For LSM programs
     * it first checks that bpf is an active LSM, since otherwise the attach succeeds and the
     * program never runs.
     */
    public BpfLink attach(String programName) {
        BpfProgram p = program(programName);
        if (!loaded) {
            throw new IllegalStateException("BPF object '" + name + "' is not loaded: cannot attach '" + programName + "'");
        }
        if (p.fd() < 0) {
            throw new IllegalStateException("program '" + programName + "' was not loaded (autoload off)");
        }
        if (p.type() == ProgramInfo.TYPE_LSM) {
            KernelLsm.requireBpf();
        }
        try (LibbpfLog.Capture log = LibbpfLog.capture()) {
            Pointer link = LibBpf.bpf_program__attach(p.pointer());
            if (link == null) {
                int errno = Native.getLastError();
                log.failed();
                throw BpfException.fromErrno("attaching program '" + programName + "' (" + p.sectionName() + ")",
                        errno, log.lines());
            }
            return new BpfLink(programName, link);
        }
    }

    /**
     * Attaches every loaded program whose type attaches by section name (LSM, tracing, raw and
     * plain tracepoints, kprobes); others (syscall, ...) are left out. All or nothing: on a failure
     * the links made so far are closed. Keyed by program name, in ELF order.
     */
    public Map<String, BpfLink> attachAll() {
        Map<String, BpfLink> links = new LinkedHashMap<>();
        try {
            for (BpfProgram p : programs.values()) {
                if (p.fd() >= 0 && AUTO_ATTACH_TYPES.contains(p.type())) {
                    links.put(p.name(), attach(p.name()));
                }
            }
        } catch (RuntimeException e) {
            links.values().forEach(BpfLink::close);
            throw e;
        }
        return Collections.unmodifiableMap(links);
    }

    static boolean autoAttachable(int progType) {
        return AUTO_ATTACH_TYPES.contains(progType);
    }

    // ---- lifecycle ------------------------------------------------------------------------------

    void checkOpen() {
        if (obj == null) {
            throw new IllegalStateException("BPF object '" + name + "' is closed");
        }
    }

    void checkNotLoaded(String what) {
        checkOpen();
        if (loaded) {
            throw new IllegalStateException("BPF object '" + name + "' is already loaded: cannot " + what);
        }
    }

    /** Closes the object's fds; maps and links handed out keep their own references. */
    @Override
    public void close() {
        Pointer o = obj;
        if (o != null) {
            obj = null;
            LibBpf.bpf_object__close(o);
        }
        // elf stays referenced by this object until it is collected; nothing reads it any more.
        assert elf != null;
    }

    @Override
    public String toString() {
        return "BpfObject[" + name + (loaded ? ", loaded" : "") + "]";
    }
}
