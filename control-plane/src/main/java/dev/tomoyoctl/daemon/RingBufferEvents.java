package dev.tomoyoctl.daemon;

import dev.tomoyoctl.loader.RingBuffer;

import java.nio.ByteBuffer;
import java.util.function.Consumer;

/**
 * {@link EventSource} over the loader's direct ring-buffer consumer, whose batch drain has the
 * same contract: records are handled without being released, the commit runs once for the batch
 * (one fdatasync of the learn journal for up to {@code max} records), then they are all released;
 * if the commit throws, none is.
 */
final class RingBufferEvents implements EventSource {
    private final RingBuffer ring;

    RingBufferEvents(RingBuffer ring) {
        this.ring = ring;
    }

    @Override
    public int drain(int max, Consumer<ByteBuffer> handler, Runnable commit) {
        return ring.drain(max, handler, commit);
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
