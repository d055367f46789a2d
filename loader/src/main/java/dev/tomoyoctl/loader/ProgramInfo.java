package dev.tomoyoctl.loader;

/** What the kernel says about a loaded program. {@code kernelName} is cut to 15 bytes. */
public record ProgramInfo(String kernelName, int type, int id) {
    public static final int TYPE_RAW_TRACEPOINT = 17;
    public static final int TYPE_TRACING = 26;
    public static final int TYPE_EXT = 28;
    public static final int TYPE_LSM = 29;
    public static final int TYPE_SYSCALL = 31;

    /** libbpf's name of the program type, e.g. "lsm", "syscall". */
    public String typeName() {
        return BpfProgram.typeName(type);
    }
}
