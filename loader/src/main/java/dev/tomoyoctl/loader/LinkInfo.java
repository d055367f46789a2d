package dev.tomoyoctl.loader;

/**
 * What the kernel says about a link and the program it attaches: a pinned link whose info can be
 * read is a program that is attached right now.
 *
 * @param type       link type (libbpf name in {@link #typeName()}): "tracing" for LSM links
 * @param attachType for tracing links the attach type ("lsm_mac" for LSM), else -1
 */
public record LinkInfo(int type, int id, int programId, String programKernelName, int programType, int attachType) {
    public static final int TYPE_RAW_TRACEPOINT = 1;
    public static final int TYPE_TRACING = 2;

    public String typeName() {
        String s = LibBpf.libbpf_bpf_link_type_str(type);
        return s != null ? s : "type " + type;
    }

    public String programTypeName() {
        return BpfProgram.typeName(programType);
    }

    /** libbpf's attach type name ("lsm_mac") for tracing links, else null. */
    public String attachTypeName() {
        return attachType < 0 ? null : LibBpf.libbpf_bpf_attach_type_str(attachType);
    }
}
