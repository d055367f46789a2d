package dev.tomoyoctl.loader;

/**
 * What the kernel says about a map (BPF_OBJ_GET_INFO_BY_FD). {@code kernelName} is the kernel's
 * copy of the name, cut to 15 bytes.
 */
public record MapInfo(String kernelName, int type, int id, int keySize, int valueSize, int maxEntries, int flags) {
    public static final int TYPE_HASH = 1;
    public static final int TYPE_ARRAY = 2;
    public static final int TYPE_PERCPU_HASH = 5;
    public static final int TYPE_PERCPU_ARRAY = 6;
    public static final int TYPE_LRU_HASH = 9;
    public static final int TYPE_LRU_PERCPU_HASH = 10;
    public static final int TYPE_LPM_TRIE = 11;
    public static final int TYPE_PERCPU_CGROUP_STORAGE = 21;
    public static final int TYPE_RINGBUF = 27;
    public static final int TYPE_INODE_STORAGE = 28;
    public static final int TYPE_TASK_STORAGE = 29;

    /** libbpf's name of the map type, e.g. "ringbuf", "percpu_array". */
    public String typeName() {
        String s = LibBpf.libbpf_bpf_map_type_str(type);
        return s != null ? s : "type " + type;
    }

    public boolean isPerCpu() {
        return type == TYPE_PERCPU_HASH || type == TYPE_PERCPU_ARRAY || type == TYPE_LRU_PERCPU_HASH
                || type == TYPE_PERCPU_CGROUP_STORAGE;
    }
}
