package dev.tomoyoctl.daemon;

import dev.tomoyoctl.loader.RingBuffer;

import java.nio.ByteBuffer;
import java.util.function.Consumer;

/**
 * {@link EventSource} over the loader's direct ring-buffer consumer.
 *
 * <p>The loader releases each record as soon as its handler returns (and keeps it when the
 * handler throws), so the commit runs inside the handler, once per record: a learned rule is
 * fdatasync'ed before its record is released. Records that change no policy (audit records,
 * rules already known) leave nothing to commit and cost no sync. A batch-release variant of
 * RingBuffer.drain would let one sync cover many records.
 */
final class RingBufferEvents implements EventSource {
    private final RingBuffer ring;

    RingBufferEvents(RingBuffer ring) {
        this.ring = ring;
    }

    @Override
    public int drain(int max, Consumer<ByteBuffer> handler, Runnable commit) {
        return ring.drain(sample -> {
            handler.accept(sample);
            commit.run();
        }, max);
    }

    @Override
    public boolean poll(int timeoutMs) {
        return ring.poll(timeoutMs);
    }

    @Override
    public void wakeup() {
        ring.wakeup();
    }

    long pendingBytes() {
        return ring.pending();
    }

    @Override
    public void close() {
        ring.close();
    }
}
