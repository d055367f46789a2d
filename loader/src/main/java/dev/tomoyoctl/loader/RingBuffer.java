package dev.tomoyoctl.loader;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.function.Consumer;

/**
 * A consumer of a BPF ring buffer map (BPF_MAP_TYPE_RINGBUF) that reads the mapped ring
 * directly: no native call and no callback per event. Layout (kernel/bpf/ringbuf.c):
 * <ul>
 * <li>page 0 of the map: consumer_pos (u64), mapped read-write: the only thing user space writes;</li>
 * <li>page 1: producer_pos (u64), then the data area mapped twice back to back, all read-only, so
 * a record that wraps past the end reads as one contiguous block;</li>
 * <li>each record: 8-byte header {u32 len | BUSY bit 31 | DISCARD bit 30, u32 pg_off}, then the
 * sample, the whole rounded up to 8 bytes.</li>
 * </ul>
 * Positions are free-running byte counters; index = pos &amp; (size - 1). The producer publishes
 * with release stores, so producer_pos and record headers are read with acquire loads; the
 * consumer position is published with a release store after each record is handled.
 *
 * <p>Because consumer_pos lives in the map, a ring buffer opened from a pin after a restart
 * resumes exactly after the last record a previous consumer released. Delivery is at least once:
 * a record whose handler throws is not released and comes again in the next {@link #drain}.
 *
 * <p>One consumer thread: {@link #drain} and {@link #poll} must not run concurrently with each
 * other or with {@link #close()}; {@link #wakeup()} may be called from any thread.
 */
public final class RingBuffer implements AutoCloseable {
    private static final int BUSY = 1 << 31;
    private static final int DISCARD = 1 << 30;
    private static final int HDR = 8;
    private static final VarHandle LONG = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());
    private static final VarHandle INT = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());

    private final String name;
    private final int size;
    private final long mask;
    private final ByteBuffer consumer; // page 0, read-write
    private final ByteBuffer producer; // page 1 (producer_pos), read-only
    private final ByteBuffer data;     // data area twice, read-only
    private final byte[] one = new byte[8];

    // native resources (absent for the in-memory rings used in tests)
    private int mapFd = -1;
    private int eventFd = -1;
    private Pointer consumerMap;
    private Pointer producerMap;
    private long producerMapLen;
    private Memory pollFds;
    private boolean closed;

    RingBuffer(String name, ByteBuffer consumerPage, ByteBuffer producerPage, ByteBuffer doubleData, int size) {
        if (Integer.bitCount(size) != 1) {
            throw new IllegalArgumentException("ring buffer '" + name + "': size " + size + " is not a power of two");
        }
        this.name = name;
        this.size = size;
        this.mask = size - 1L;
        this.consumer = consumerPage.order(ByteOrder.nativeOrder());
        this.producer = producerPage.order(ByteOrder.nativeOrder());
        this.data = doubleData.order(ByteOrder.nativeOrder());
    }

    /** Maps the ring of {@code map} (a ringbuf map); the consumer owns a dup of the map's fd. */
    public static RingBuffer open(BpfMap map) {
        if (map.type() != MapInfo.TYPE_RINGBUF) {
            throw new IllegalArgumentException("map '" + map.name() + "' is a " + map.info().typeName()
                    + " map, not a ringbuf");
        }
        long page = LibC.PAGE_SIZE;
        long size = map.maxEntries() & 0xffffffffL;
        long roLen = page + 2 * size;
        if (roLen > Integer.MAX_VALUE) {
            throw new BpfNotSupportedException("ring buffer '" + map.name() + "' of " + size
                    + " bytes is too large to map as one Java buffer (max 1 GiB)");
        }
        int fd = LibC.dup(map.fd(), "ring buffer '" + map.name() + "'");
        Pointer cons = null;
        Pointer prod = null;
        try {
            cons = mmap(page, LibC.PROT_READ | LibC.PROT_WRITE, fd, 0, map.name(), "consumer page");
            prod = mmap(roLen, LibC.PROT_READ, fd, page, map.name(), "producer page and data");
            RingBuffer rb = new RingBuffer(map.name(), cons.getByteBuffer(0, page),
                    prod.getByteBuffer(0, page).asReadOnlyBuffer(),
                    prod.getByteBuffer(page, 2 * size).asReadOnlyBuffer(), (int) size);
            rb.mapFd = fd;
            rb.consumerMap = cons;
            rb.producerMap = prod;
            rb.producerMapLen = roLen;
            rb.eventFd = LibC.eventfd(0, LibC.EFD_CLOEXEC | LibC.EFD_NONBLOCK);
            if (rb.eventFd < 0) {
                int errno = Native.getLastError();
                rb.close();
                throw BpfException.fromErrno("eventfd for ring buffer '" + map.name() + "'", errno);
            }
            rb.pollFds = new Memory(16); // two struct pollfd {int fd; short events; short revents;}
            return rb;
        } catch (RuntimeException e) {
            if (cons != null) {
                LibC.munmap(cons, page);
            }
            if (prod != null) {
                LibC.munmap(prod, roLen);
            }
            LibC.close(fd);
            throw e;
        }
    }

    private static Pointer mmap(long len, int prot, int fd, long off, String name, String what) {
        Pointer p = LibC.mmap(null, len, prot, LibC.MAP_SHARED, fd, off);
        if (p == null || Pointer.nativeValue(p) == LibC.MAP_FAILED) {
            throw BpfException.fromErrno("mmap of the " + what + " of ring buffer '" + name + "'", Native.getLastError());
        }
        return p;
    }

    public String name() {
        return name;
    }

    /** Size of the data area in bytes (the map's max_entries). */
    public int size() {
        return size;
    }

    /** Bytes written by producers and not yet released by a consumer. */
    public long pending() {
        return producerPos() - consumerPos();
    }

    long consumerPos() {
        return (long) LONG.getAcquire(consumer, 0);
    }

    long producerPos() {
        return (long) LONG.getAcquire(producer, 0);
    }

    /** Hands every available sample to {@code handler}; returns how many were handed. */
    public int drain(Consumer<ByteBuffer> handler) {
        return drain(handler, Integer.MAX_VALUE);
    }

    /**
     * Hands up to {@code max} samples to {@code handler}, each as a read-only little-endian
     * ByteBuffer slice of the mapped ring (position 0, limit = sample length). The slice is only
     * valid during the call: the space is released to producers right after the handler returns.
     * Discarded records are skipped; a record still being written (BUSY) ends the drain. If the
     * handler throws, the records before the failing one are released and it is kept.
     */
    public int drain(Consumer<ByteBuffer> handler, int max) {
        return drain(max, handler, () -> { });
    }

    /**
     * Batch variant for consumers that must make each record durable before releasing it: hands
     * up to {@code max} samples to {@code handler} without releasing any, then runs
     * {@code commit} once, then releases them all. One commit (e.g. one fdatasync) thus covers
     * the whole batch, and the slices stay valid until {@code commit} returns (the producer
     * cannot reuse unreleased space). If the handler throws, the records handled before it are
     * committed and released and the failing one is kept for the next drain; if {@code commit}
     * throws, nothing of the batch is released. Returns the number of samples released.
     */
    public int drain(int max, Consumer<ByteBuffer> handler, Runnable commit) {
        checkOpen();
        int handed = 0;
        long cons = consumerPos();
        long releaseTo = cons;
        RuntimeException failure = null;
        while (handed < max) {
            long prod = producerPos();
            if (cons >= prod) {
                break;
            }
            int idx = (int) (cons & mask);
            int len = (int) INT.getAcquire(data, idx);
            if ((len & BUSY) != 0) {
                break;
            }
            int sampleLen = len & ~(BUSY | DISCARD);
            long next = cons + ((HDR + sampleLen + 7) & ~7L);
            if ((len & DISCARD) == 0) {
                try {
                    handler.accept(data.slice(idx + HDR, sampleLen).order(ByteOrder.LITTLE_ENDIAN));
                } catch (RuntimeException e) {
                    failure = e;
                    break;
                }
                handed++;
            }
            cons = next;
            releaseTo = next;
        }
        if (releaseTo != consumerPos()) {
            commit.run();
            LONG.setRelease(consumer, 0, releaseTo);
        }
        if (failure != null) {
            throw failure;
        }
        return handed;
    }

    /**
     * Waits up to {@code timeoutMs} (-1 = forever, 0 = just check) until data is available.
     * Returns true if the ring has data, false on timeout, {@link #wakeup()} or a signal.
     * The kernel only signals when consumer_pos has caught up with a record it commits, so
     * {@link #drain} everything before waiting again.
     */
    public boolean poll(int timeoutMs) {
        checkOpen();
        if (pending() > 0) {
            return true;
        }
        if (mapFd < 0) {
            return false;
        }
        pollFds.setInt(0, mapFd);
        pollFds.setShort(4, LibC.POLLIN);
        pollFds.setShort(6, (short) 0);
        pollFds.setInt(8, eventFd);
        pollFds.setShort(12, LibC.POLLIN);
        pollFds.setShort(14, (short) 0);
        int n = LibC.poll(pollFds, 2, timeoutMs);
        if (n < 0) {
            int errno = Native.getLastError();
            if (errno == Errno.EINTR) {
                return false;
            }
            throw BpfException.fromErrno("poll on ring buffer '" + name + "'", errno);
        }
        if ((pollFds.getShort(14) & LibC.POLLIN) != 0) {
            LibC.read(eventFd, one, 8); // reset the wakeup counter
        }
        short rev = pollFds.getShort(6);
        if ((rev & (LibC.POLLERR | LibC.POLLNVAL)) != 0) {
            throw new BpfException("poll on ring buffer '" + name + "' reported an error (revents 0x"
                    + Integer.toHexString(rev & 0xffff) + ")");
        }
        return pending() > 0;
    }

    /** Polls and drains: waits up to {@code timeoutMs} for data, then drains all of it. */
    public int pollAndDrain(int timeoutMs, Consumer<ByteBuffer> handler) {
        return poll(timeoutMs) ? drain(handler) : 0;
    }

    /** Makes a {@link #poll} in progress (or the next one) return early. Thread-safe. */
    public void wakeup() {
        int fd = eventFd;
        if (fd >= 0) {
            byte[] v = new byte[8];
            v[0] = 1;
            LibC.write(fd, v, 8);
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("ring buffer '" + name + "' is closed");
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (consumerMap != null) {
            LibC.munmap(consumerMap, LibC.PAGE_SIZE);
        }
        if (producerMap != null) {
            LibC.munmap(producerMap, producerMapLen);
        }
        if (eventFd >= 0) {
            LibC.close(eventFd);
            eventFd = -1;
        }
        if (mapFd >= 0) {
            LibC.close(mapFd);
            mapFd = -1;
        }
    }
}
