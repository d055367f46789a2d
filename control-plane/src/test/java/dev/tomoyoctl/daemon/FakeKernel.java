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
    final List<List<String>> refreshed = new ArrayList<>(); // domains pushed again after learning
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
    public synchronized void refreshDomains(PolicySet policy, List<String> domains) {
        refreshed.add(List.copyOf(domains));
    }

    synchronized List<String> allRefreshed() {
        List<String> l = new ArrayList<>();
        refreshed.forEach(l::addAll);
        return l;
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
     * A ring-buffer stand-in with the loader's batch release rule: records of a batch leave the
     * queue only after the one commit for the batch returned; if it throws, none leaves.
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
            List<byte[]> batch;
            synchronized (this) {
                batch = new ArrayList<>(queue).subList(0, Math.min(max, queue.size()));
            }
            if (batch.isEmpty()) {
                return 0;
            }
            int handled = 0;
            RuntimeException failure = null;
            for (byte[] r : batch) {
                try {
                    handler.accept(ByteBuffer.wrap(r).asReadOnlyBuffer());
                    handled++;
                } catch (RuntimeException e) {
                    failure = e; // the failing record is kept, those before it are committed
                    break;
                }
            }
            commit.run();
            beforeRelease.run();
            synchronized (this) {
                for (int i = 0; i < handled; i++) {
                    queue.removeFirst();
                    released++;
                }
            }
            if (failure != null) {
                throw failure;
            }
            return handled;
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
