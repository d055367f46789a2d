package dev.tomoyoctl.daemon;

import java.nio.ByteBuffer;
import java.util.function.Consumer;

/**
 * Where kernel events come from: the "tmy_events" ring buffer in production, a queue in tests.
 *
 * <p>Acknowledgement is explicit: a record is released to the kernel (its ring space freed and
 * never delivered again) only after {@code commit} has returned normally for it. The daemon's
 * commit writes what it learned to disk, so nothing acknowledged can be lost by a crash; a
 * record whose handler or commit throws is delivered again by the next drain.
 *
 * <p>Single consumer: drain and poll are called from one thread at a time; wakeup from any.
 */
public interface EventSource extends AutoCloseable {

    /**
     * Hands up to {@code max} available records to {@code handler} in order (each buffer valid only
     * during the call), running {@code commit} before any of them is released.
     *
     * @return the number of records handled and released
     */
    int drain(int max, Consumer<ByteBuffer> handler, Runnable commit);

    /** Waits up to {@code timeoutMs} for records; true if there are some. */
    boolean poll(int timeoutMs);

    /** Makes a concurrent {@link #poll} return early. */
    void wakeup();

    @Override
    void close();
}
