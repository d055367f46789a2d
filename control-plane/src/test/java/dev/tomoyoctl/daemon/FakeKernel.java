package dev.tomoyoctl.daemon;

import dev.tomoyoctl.policy.PolicySet;
import dev.tomoyoctl.policy.PolicyWarning;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** Records what the daemon installs; events come from a queue the test fills. */
final class FakeKernel implements Kernel {
    final FakeEvents events = new FakeEvents();
    final List<String> applied = new ArrayList<>(); // domain policy text per applied generation
    long generation;
    boolean failApply;
    boolean unloaded;
    boolean closed;

    private record P(String text, List<String> warnings) implements Prepared {
    }

    @Override
    public Prepared prepare(PolicySet policy) {
        return new P(policy.printDomainPolicy() + "\n--\n" + policy.printExceptionPolicy(),
                policy.check().stream().map(PolicyWarning::toString).toList());
    }

    @Override
    public synchronized long apply(Prepared prepared) throws IOException {
        if (failApply) {
            throw new IOException("EPERM (fake)");
        }
        applied.add(((P) prepared).text());
        return ++generation;
    }

    @Override
    public synchronized long generation() {
        return generation;
    }

    @Override
    public EventSource events() {
        return events;
    }

    @Override
    public Map<String, Object> status() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("state", "fake");
        return m;
    }

    @Override
    public void unload() {
        unloaded = true;
    }

    @Override
    public void close() {
        closed = true;
    }

    synchronized String lastApplied() {
        return applied.get(applied.size() - 1);
    }

    /**
     * A ring-buffer stand-in with its release rule: a record leaves the queue only after the
     * commit for it returned; a throwing handler or commit leaves it for the next drain.
     */
    static final class FakeEvents implements EventSource {
        private final Deque<byte[]> queue = new ArrayDeque<>();
        /** Runs after commit returned and before the record is released: the "crash point". */
        volatile Runnable beforeRelease = () -> { };
        int released;

        synchronized void push(byte[] record) {
            queue.addLast(record);
            notifyAll();
        }

        synchronized int size() {
            return queue.size();
        }

        @Override
        public int drain(int max, Consumer<ByteBuffer> handler, Runnable commit) {
            int n = 0;
            while (n < max) {
                byte[] r;
                synchronized (this) {
                    r = queue.peekFirst();
                }
                if (r == null) {
                    break;
                }
                handler.accept(ByteBuffer.wrap(r).asReadOnlyBuffer());
                commit.run();
                beforeRelease.run();
                synchronized (this) {
                    queue.removeFirst();
                    released++;
                }
                n++;
            }
            return n;
        }

        @Override
        public synchronized boolean poll(int timeoutMs) {
            if (queue.isEmpty()) {
                try {
                    wait(timeoutMs);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return !queue.isEmpty();
        }

        @Override
        public synchronized void wakeup() {
            notifyAll();
        }

        @Override
        public void close() {
        }
    }
}
