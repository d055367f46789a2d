package dev.tomoyoctl.daemon;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * Audit records on disk and in memory.
 *
 * <p>Files follow tomoyo-auditd's default sorting (tomoyo-tools' tools/auditd.conf writes
 * rejected records to /var/log/tomoyo/reject_NNN.log per profile and discards granted ones):
 * here {@code DIR/reject_NNN.log} for rejected and {@code DIR/grant_NNN.log} for granted records
 * (the kernel only reports granted accesses for profiles with grant_log=yes, so they are kept),
 * NNN = profile number, three digits. Each record is its three lines followed by a blank line,
 * appended with one write(2) so concurrent readers never see half a record.
 *
 * <p>The most recent records (TOMOYO's max_audit_log default, 1024) are also kept in memory for
 * the "audit" op. Not thread-safe except {@link #subscribe}: called from the daemon's thread.
 */
public final class AuditLog implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(AuditLog.class.getName());
    public static final int DEFAULT_CAPACITY = 1024;

    private final Path dir;
    private final int capacity;
    private final ArrayDeque<AuditRecord> recent = new ArrayDeque<>();
    private final Map<String, FileChannel> files = new HashMap<>();
    private final List<Consumer<AuditRecord>> subscribers = new CopyOnWriteArrayList<>();
    private long written;
    private long writeErrors;

    public AuditLog(Path dir, int capacity) {
        this.dir = dir;
        this.capacity = capacity;
    }

    public static String fileName(AuditRecord r) {
        return String.format("%s_%03d.log", r.granted() ? "grant" : "reject", r.profile());
    }

    /** Appends to the profile's file, remembers, notifies followers. A failing disk is logged, not fatal. */
    public void append(AuditRecord r) {
        recent.addLast(r);
        while (recent.size() > capacity) {
            recent.removeFirst();
        }
        try {
            FileChannel ch = files.get(fileName(r));
            if (ch == null) {
                Files.createDirectories(dir);
                ch = FileChannel.open(dir.resolve(fileName(r)), StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                        StandardOpenOption.WRITE);
                files.put(fileName(r), ch);
            }
            ByteBuffer bytes = ByteBuffer.wrap((r.text() + "\n").getBytes(StandardCharsets.ISO_8859_1));
            while (bytes.hasRemaining()) {
                ch.write(bytes);
            }
            written++;
        } catch (IOException e) {
            if (writeErrors++ == 0) {
                LOG.warning("cannot write audit log under " + dir + ": " + e);
            }
        }
        for (Consumer<AuditRecord> s : subscribers) {
            s.accept(r);
        }
    }

    /** The last {@code limit} records, oldest first. */
    public List<AuditRecord> recent(int limit) {
        List<AuditRecord> all = new ArrayList<>(recent);
        return all.subList(Math.max(0, all.size() - limit), all.size());
    }

    public Runnable subscribe(Consumer<AuditRecord> subscriber) {
        subscribers.add(subscriber);
        return () -> subscribers.remove(subscriber);
    }

    public Path dir() {
        return dir;
    }

    public long written() {
        return written;
    }

    public long writeErrors() {
        return writeErrors;
    }

    @Override
    public void close() {
        for (FileChannel ch : files.values()) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // closing an append-only log: nothing to recover
            }
        }
        files.clear();
    }
}
