package dev.tomoyoctl.loader;

import com.sun.jna.Memory;
import com.sun.jna.ptr.IntByReference;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A BPF map, by name from a loaded {@link BpfObject} or opened from a pin. The handle owns its
 * own file descriptor (a dup of the object's), so it stays valid after the object is closed and
 * closing it never affects other handles. Element operations are kernel calls and are safe from
 * any thread; {@link #close()} must not race with them.
 *
 * <p>Keys and values are raw bytes in the kernel's layout (little-endian on x86_64); their
 * lengths are checked against the map's key_size/value_size before the call, and the error names
 * the map. Per-CPU maps hold one value per possible CPU, each rounded up to 8 bytes.
 */
public final class BpfMap implements AutoCloseable {
    private final String name;
    private final MapInfo info;
    private volatile int fd;

    private BpfMap(String name, int ownedFd) {
        this.name = name;
        this.fd = ownedFd;
        MapInfo i;
        try {
            i = ObjInfo.map(ownedFd, "map '" + name + "'");
        } catch (RuntimeException e) {
            LibC.close(ownedFd);
            throw e;
        }
        this.info = i;
    }

    /** Takes ownership of {@code fd}. */
    static BpfMap owning(String name, int fd) {
        return new BpfMap(name, fd);
    }

    /** A new handle on the map behind {@code fd} (the caller keeps its own fd). */
    public static BpfMap fromFd(String name, int fd) {
        return new BpfMap(name, LibC.dup(fd, "map '" + name + "'"));
    }

    /** Opens a pinned map (bpf_obj_get). The name used in messages is the pin's file name. */
    public static BpfMap openPinned(Path pin) {
        int fd = LibBpf.bpf_obj_get(pin.toString());
        if (fd < 0) {
            throw BpfException.fromErrno("opening pinned map " + pin, -fd);
        }
        return new BpfMap(pin.getFileName().toString(), fd);
    }

    public String name() {
        return name;
    }

    public MapInfo info() {
        return info;
    }

    public int keySize() {
        return info.keySize();
    }

    public int valueSize() {
        return info.valueSize();
    }

    public int maxEntries() {
        return info.maxEntries();
    }

    public int type() {
        return info.type();
    }

    /** The descriptor owned by this handle (valid until {@link #close()}). */
    public int fd() {
        int f = fd;
        if (f < 0) {
            throw new IllegalStateException("map '" + name + "' is closed");
        }
        return f;
    }

    // ---- single elements ------------------------------------------------------------------------

    /** The value under {@code key}, or empty if there is none. */
    public Optional<byte[]> lookup(byte[] key) {
        byte[] value = new byte[valueBytes()];
        return lookupInto(key, value) ? Optional.of(value) : Optional.empty();
    }

    /** Looks {@code key} up into {@code value} (no allocation); false if there is no such key. */
    public boolean lookupInto(byte[] key, byte[] value) {
        checkKey(key);
        checkLength("value buffer", value, valueBytes(), isPerCpu() ? " (per-CPU: " + possibleCpus() + " CPUs x "
                + roundUp8(valueSize()) + " bytes)" : "");
        int err = LibBpf.bpf_map_lookup_elem(fd(), key, value);
        if (err == -Errno.ENOENT) {
            return false;
        }
        if (err < 0) {
            throw BpfException.fromErrno("lookup in map '" + name + "'", -err);
        }
        return true;
    }

    public void update(byte[] key, byte[] value) {
        update(key, value, UpdateFlag.ANY);
    }

    /**
     * Writes {@code value} under {@code key}. With {@link UpdateFlag#NOEXIST} an existing key fails
     * with errno EEXIST, with {@link UpdateFlag#EXIST} a missing key with ENOENT
     * ({@link BpfNotFoundException}); a full hash map fails with E2BIG.
     */
    public void update(byte[] key, byte[] value, UpdateFlag flag) {
        checkKey(key);
        checkLength("value", value, valueBytes(), isPerCpu() ? " (per-CPU map: one value per possible CPU)" : "");
        int err = LibBpf.bpf_map_update_elem(fd(), key, value, flag.bits);
        if (err < 0) {
            throw BpfException.fromErrno("update (" + flag + ") of map '" + name + "'", -err);
        }
    }

    /** Deletes {@code key}; false if it was not there. */
    public boolean delete(byte[] key) {
        checkKey(key);
        int err = LibBpf.bpf_map_delete_elem(fd(), key);
        if (err == -Errno.ENOENT) {
            return false;
        }
        if (err < 0) {
            throw BpfException.fromErrno("delete from map '" + name + "'", -err);
        }
        return true;
    }

    // ---- iteration and batches ------------------------------------------------------------------

    /**
     * All keys, by BPF_MAP_GET_NEXT_KEY. A snapshot in the kernel's order; concurrent deletions may
     * make the kernel restart from the first key (hash maps), so a key can appear twice then.
     */
    public List<byte[]> keys() {
        List<byte[]> keys = new ArrayList<>();
        byte[] prev = null;
        while (true) {
            byte[] next = new byte[keySize()];
            int err = LibBpf.bpf_map_get_next_key(fd(), prev, next);
            if (err == -Errno.ENOENT) {
                return keys;
            }
            if (err < 0) {
                throw BpfException.fromErrno("iterating the keys of map '" + name + "'", -err);
            }
            keys.add(next);
            prev = next;
        }
    }

    /** A key and its value (for per-CPU maps, all CPUs' values back to back). */
    public record Entry(byte[] key, byte[] value) {}

    /** Every key with its value; keys deleted between the two calls are left out. */
    public List<Entry> entries() {
        List<Entry> out = new ArrayList<>();
        for (byte[] k : keys()) {
            lookup(k).ifPresent(v -> out.add(new Entry(k, v)));
        }
        return out;
    }

    /**
     * Writes all entries. With {@link UpdateFlag#ANY} this is one BPF_MAP_UPDATE_BATCH call
     * (kernel 5.6+); the kernel's batch update takes no NOEXIST/EXIST per element (EINVAL), so
     * those flags, and map types without batch support, go one update per element. Not atomic:
     * on failure some entries may be written; the exception says how many.
     */
    public void updateBatch(List<Entry> entries, UpdateFlag flag) {
        if (entries.isEmpty()) {
            return;
        }
        if (flag != UpdateFlag.ANY) {
            int done = 0;
            for (Entry e : entries) {
                try {
                    update(e.key(), e.value(), flag);
                } catch (BpfException ex) {
                    throw BpfException.fromErrno("batch update (" + flag + ") of map '" + name + "' failed after "
                            + done + " of " + entries.size() + " entries", ex.errno());
                }
                done++;
            }
            return;
        }
        int ks = keySize();
        int vs = valueBytes();
        Memory keys = new Memory((long) ks * entries.size());
        Memory values = new Memory((long) vs * entries.size());
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            checkKey(e.key());
            checkLength("value", e.value(), vs, "");
            keys.write((long) i * ks, e.key(), 0, ks);
            values.write((long) i * vs, e.value(), 0, vs);
        }
        IntByReference count = new IntByReference(entries.size());
        int err = LibBpf.bpf_map_update_batch(fd(), keys, values, count, batchOpts(0));
        if (err == -Errno.EOPNOTSUPP || err == -Errno.ENOTSUPP) {
            for (Entry e : entries) {
                update(e.key(), e.value(), flag);
            }
            return;
        }
        if (err < 0) {
            throw BpfException.fromErrno("batch update (" + flag + ") of map '" + name + "' failed after "
                    + count.getValue() + " of " + entries.size() + " entries", -err);
        }
    }

    /** Deletes all keys (one batch call where supported); returns how many were deleted. */
    public int deleteBatch(List<byte[]> keys) {
        if (keys.isEmpty()) {
            return 0;
        }
        int ks = keySize();
        Memory mem = new Memory((long) ks * keys.size());
        for (int i = 0; i < keys.size(); i++) {
            checkKey(keys.get(i));
            mem.write((long) i * ks, keys.get(i), 0, ks);
        }
        IntByReference count = new IntByReference(keys.size());
        int err = LibBpf.bpf_map_delete_batch(fd(), mem, count, batchOpts(0));
        if (err == -Errno.EOPNOTSUPP || err == -Errno.ENOTSUPP) {
            int n = 0;
            for (byte[] k : keys) {
                n += delete(k) ? 1 : 0;
            }
            return n;
        }
        if (err == -Errno.ENOENT) {
            // The kernel stops at a missing key, having deleted count keys before it; the rest
            // go one by one so that every present key is still deleted.
            int n = count.getValue();
            for (int i = n + 1; i < keys.size(); i++) {
                n += delete(keys.get(i)) ? 1 : 0;
            }
            return n;
        }
        if (err < 0) {
            throw BpfException.fromErrno("batch delete from map '" + name + "' failed after " + count.getValue()
                    + " of " + keys.size() + " keys", -err);
        }
        return count.getValue();
    }

    private static Memory batchOpts(long elemFlags) {
        Memory opts = new Memory(LibBpf.BATCH_OPTS_SIZE);
        opts.clear();
        opts.setLong(0, LibBpf.BATCH_OPTS_SIZE);
        opts.setLong(8, elemFlags);
        return opts;
    }

    // ---- per-CPU maps ----------------------------------------------------------------------------

    public boolean isPerCpu() {
        return info.isPerCpu();
    }

    /** Number of possible CPUs: the number of values a per-CPU lookup returns. */
    public static int possibleCpus() {
        int n = LibBpf.libbpf_num_possible_cpus();
        if (n <= 0) {
            throw BpfException.fromErrno("libbpf_num_possible_cpus", -n);
        }
        return n;
    }

    /** The value of each possible CPU (each value_size bytes), or empty if there is no such key. */
    public Optional<byte[][]> lookupPerCpu(byte[] key) {
        requirePerCpu();
        Optional<byte[]> all = lookup(key);
        if (all.isEmpty()) {
            return Optional.empty();
        }
        int stride = roundUp8(valueSize());
        int cpus = all.get().length / stride;
        byte[][] out = new byte[cpus][];
        for (int c = 0; c < cpus; c++) {
            out[c] = java.util.Arrays.copyOfRange(all.get(), c * stride, c * stride + valueSize());
        }
        return Optional.of(out);
    }

    /**
     * Sums a per-CPU value made of u64 counters over all possible CPUs: element i of the result is
     * the sum of the i-th u64 of every CPU's value. Missing key: all zeros.
     */
    public long[] sumPerCpu(byte[] key) {
        requirePerCpu();
        if (valueSize() % 8 != 0) {
            throw new IllegalArgumentException("map '" + name + "': value_size " + valueSize()
                    + " is not a whole number of u64 counters");
        }
        long[] sums = new long[valueSize() / 8];
        lookupPerCpu(key).ifPresent(perCpu -> {
            for (byte[] v : perCpu) {
                ByteBuffer b = ByteBuffer.wrap(v).order(ByteOrder.nativeOrder());
                for (int i = 0; i < sums.length; i++) {
                    sums[i] += b.getLong(i * 8);
                }
            }
        });
        return sums;
    }

    /** For a per-CPU array of u64: the sum over CPUs of element {@code index}. */
    public long sumPerCpu(int index) {
        return sumPerCpu(Bytes.u32(index))[0];
    }

    private void requirePerCpu() {
        if (!isPerCpu()) {
            throw new IllegalStateException("map '" + name + "' is a " + info.typeName() + " map, not per-CPU");
        }
    }

    // ---- task storage ----------------------------------------------------------------------------

    /** The task storage value of process {@code pid}, looked up by pidfd. */
    public Optional<byte[]> lookupTask(long pid) {
        try (PidFd p = PidFd.open(pid)) {
            return lookupTask(p);
        }
    }

    public Optional<byte[]> lookupTask(PidFd pidfd) {
        requireTaskStorage();
        return lookup(Bytes.u32(pidfd.fd()));
    }

    public void updateTask(long pid, byte[] value, UpdateFlag flag) {
        try (PidFd p = PidFd.open(pid)) {
            updateTask(p, value, flag);
        }
    }

    public void updateTask(PidFd pidfd, byte[] value, UpdateFlag flag) {
        requireTaskStorage();
        update(Bytes.u32(pidfd.fd()), value, flag);
    }

    public boolean deleteTask(long pid) {
        try (PidFd p = PidFd.open(pid)) {
            return deleteTask(p);
        }
    }

    public boolean deleteTask(PidFd pidfd) {
        requireTaskStorage();
        return delete(Bytes.u32(pidfd.fd()));
    }

    private void requireTaskStorage() {
        if (type() != MapInfo.TYPE_TASK_STORAGE) {
            throw new IllegalStateException("map '" + name + "' is a " + info.typeName() + " map, not task_storage");
        }
    }

    // ---- pins -------------------------------------------------------------------------------------

    /** Pins the map at {@code path} (on a bpf filesystem); the map then outlives every fd. */
    public void pin(Path path) {
        int err = LibBpf.bpf_obj_pin(fd(), path.toString());
        if (err < 0) {
            throw BpfException.fromErrno("pinning map '" + name + "' at " + path, -err);
        }
    }

    @Override
    public void close() {
        int f = fd;
        if (f >= 0) {
            fd = -1;
            LibC.close(f);
        }
    }

    @Override
    public String toString() {
        return "BpfMap[" + name + ", " + info.typeName() + ", key " + keySize() + ", value " + valueSize() + ", max "
                + maxEntries() + "]";
    }

    // ---- helpers -------------------------------------------------------------------------------------

    /** Bytes of one lookup/update value: value_size, or per CPU round_up(value_size, 8) x CPUs. */
    int valueBytes() {
        return isPerCpu() ? roundUp8(valueSize()) * possibleCpus() : valueSize();
    }

    private void checkKey(byte[] key) {
        checkLength("key", key, keySize(), "");
    }

    private void checkLength(String what, byte[] b, int expected, String note) {
        if (b == null) {
            throw new IllegalArgumentException("map '" + name + "': " + what + " is null");
        }
        if (b.length != expected) {
            throw new IllegalArgumentException("map '" + name + "': " + what + " is " + b.length
                    + " bytes, the map needs " + expected + note);
        }
    }

    static int roundUp8(int n) {
        return (n + 7) & ~7;
    }
}
