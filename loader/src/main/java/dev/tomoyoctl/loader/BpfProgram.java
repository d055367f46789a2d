package dev.tomoyoctl.loader;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;

/**
 * A program of a {@link BpfObject}; valid while the object is open. Attach it through
 * {@link BpfObject#attach(String)}.
 */
public final class BpfProgram {
    private final BpfObject owner;
    private final Pointer prog;
    private final String name;

    BpfProgram(BpfObject owner, Pointer prog) {
        this.owner = owner;
        this.prog = prog;
        this.name = LibBpf.bpf_program__name(prog);
    }

    /** The libbpf name (the C function name, not cut to 15 bytes). */
    public String name() {
        return name;
    }

    /** The ELF section, e.g. "lsm/file_open", "syscall". */
    public String sectionName() {
        owner.checkOpen();
        return LibBpf.bpf_program__section_name(prog);
    }

    /** enum bpf_prog_type, see the constants in {@link ProgramInfo}. */
    public int type() {
        owner.checkOpen();
        return LibBpf.bpf_program__type(prog);
    }

    public String typeName() {
        return typeName(type());
    }

    static String typeName(int type) {
        String s = LibBpf.libbpf_bpf_prog_type_str(type);
        return s != null ? s : "type " + type;
    }

    /** The program's fd after load (owned by the object), or -1 before load / if not loaded. */
    public int fd() {
        owner.checkOpen();
        int fd = LibBpf.bpf_program__fd(prog);
        return fd < 0 ? -1 : fd;
    }

    public boolean autoload() {
        owner.checkOpen();
        return LibBpf.bpf_program__autoload(prog) != 0;
    }

    /** Whether load() loads this program (default true); only before load. */
    public void setAutoload(boolean autoload) {
        owner.checkNotLoaded("set autoload of program '" + name + "'");
        int err = LibBpf.bpf_program__set_autoload(prog, (byte) (autoload ? 1 : 0));
        if (err < 0) {
            throw BpfException.fromErrno("bpf_program__set_autoload('" + name + "')", -err);
        }
    }

    Pointer pointer() {
        return prog;
    }

    /** Runs the program once with an empty context. */
    public TestRunResult testRun() {
        return testRun(new byte[0]);
    }

    /**
     * Runs the program once with BPF_PROG_TEST_RUN and {@code ctx} as its context. Meant for
     * {@code syscall} programs (BPF_PROG_TYPE_SYSCALL), whose context writes come back in
     * {@link TestRunResult#ctx()}; {@code raw_tracepoint} programs run too (the context is the
     * u64 argument array and is not copied back). LSM programs cannot be test-run.
     */
    public TestRunResult testRun(byte[] ctx) {
        int fd = fd();
        if (fd < 0) {
            throw new IllegalStateException("program '" + name + "' is not loaded");
        }
        Memory ctxMem = null;
        if (ctx.length > 0) {
            ctxMem = new Memory(ctx.length);
            ctxMem.write(0, ctx, 0, ctx.length);
        }
        Memory opts = new Memory(LibBpf.TEST_RUN_OPTS_SIZE);
        opts.clear();
        opts.setLong(0, LibBpf.TEST_RUN_OPTS_SIZE);
        // The syscall program type copies the context back into ctx_in and rejects ctx_out, so
        // only ctx_in is given; for the other types ctx_in is input only.
        opts.setPointer(LibBpf.TEST_RUN_CTX_IN, ctxMem);
        opts.setInt(LibBpf.TEST_RUN_CTX_SIZE_IN, ctx.length);
        int err = LibBpf.bpf_prog_test_run_opts(fd, opts);
        if (err < 0) {
            throw BpfException.fromErrno("BPF_PROG_TEST_RUN of program '" + name + "' (" + typeName()
                    + ", ctx " + ctx.length + " bytes)", -err);
        }
        byte[] out = ctxMem == null ? new byte[0] : ctxMem.getByteArray(0, ctx.length);
        return new TestRunResult(opts.getInt(LibBpf.TEST_RUN_RETVAL), out, opts.getInt(LibBpf.TEST_RUN_DURATION));
    }

    @Override
    public String toString() {
        return "BpfProgram[" + name + "]";
    }
}
