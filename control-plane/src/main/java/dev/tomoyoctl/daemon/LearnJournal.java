package dev.tomoyoctl.daemon;

import dev.tomoyoctl.policy.model.CapabilityRule;
import dev.tomoyoctl.policy.model.DomainLine;
import dev.tomoyoctl.policy.model.FileOp;
import dev.tomoyoctl.policy.model.FileRule;
import dev.tomoyoctl.policy.model.NetworkRule;
import dev.tomoyoctl.policy.model.SignalRule;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.logging.Logger;

/**
 * The write-ahead journal of learned policy: what the daemon learned since domain_policy.conf was
 * last written. An entry is on disk (fdatasync) before the ring-buffer records it came from are
 * released to the kernel, so a crash at any point loses nothing that was acknowledged; the next
 * daemon replays the journal over the policy files. Rewriting domain_policy.conf (a checkpoint)
 * empties it.
 *
 * <p>One entry per line, fields separated by TAB (TOMOYO-encoded names never contain one):
 * <pre>
 * D	&lt;kernel&gt; /bin/sh	1          a domain was created with profile 1
 * F	&lt;kernel&gt; /bin/sh	2	/etc/passwd   file permission bits (TMY_PERM_*) learned on a path
 * E	&lt;kernel&gt; /bin/sh	8	/usr/bin/sh	exec.realpath="/usr/bin/dash" exec.argv[0]="/bin/sh"
 *                        file permission bits learned on a path with a condition (issue 6; the
 *                        condition is TOMOYO-encoded text: no TAB, no newline)
 * N	&lt;kernel&gt; /bin/sh	2	4	7001	7f000001000000000000000000000000	
 *                        a network permission: family (TMY_AF_*), one TMY_NET_PERM bit, port,
 *                        the 16 address bytes and the unix address bytes, both in hex
 * C	&lt;kernel&gt; /bin/sh	10      a capability (number) learned
 * S	&lt;kernel&gt; /bin/sh	15	&lt;kernel&gt; /usr/bin/sleep   a signal to a target domain learned
 * </pre>
 * The network entry keeps the event's fields, not the rule text: replay builds the rule with the
 * same {@link NetworkRule#ofEvent} that learning used, so both give the same line.
 * Replay is idempotent (adding what is there changes nothing), so a crash between a checkpoint
 * and the journal's truncation is harmless. A last line without its newline is a write the crash
 * interrupted, which was therefore never acknowledged: it is dropped.
 */
public final class LearnJournal implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(LearnJournal.class.getName());
    static final String MAGIC = "# tomoyoctl learn journal v1";

    /** One journal line. */
    public sealed interface Entry {
        String domain();

        String line();
    }

    /** A domain created (named from a kernel event) with its initial profile. */
    public record DomainEntry(String domain, int profile) implements Entry {
        public String line() {
            return "D\t" + domain + "\t" + profile;
        }
    }

    /** TMY_PERM_* bits learned for a path in a domain. */
    public record FileEntry(String domain, int tmyPerms, String path) implements Entry {
        public String line() {
            return "F\t" + domain + "\t" + tmyPerms + "\t" + path;
        }
    }

    /** An entry that stands for one learned rule of the other categories. */
    public sealed interface RuleEntry extends Entry {
        /** The rule as learning added it (built again from the entry's fields). */
        DomainLine rule();
    }

    /** One network permission as struct tmy_net_event reported it. */
    public record NetEntry(String domain, int family, int perm, int port, byte[] addr, byte[] unixAddr)
            implements RuleEntry {
        public NetEntry {
            addr = addr.clone();
            unixAddr = unixAddr.clone();
        }

        public String line() {
            HexFormat hex = HexFormat.of();
            return "N\t" + domain + "\t" + family + "\t" + perm + "\t" + port + "\t" + hex.formatHex(addr) + "\t"
                    + hex.formatHex(unixAddr);
        }

        public DomainLine rule() {
            return NetworkRule.ofEvent(family, perm, addr, port, unixAddr);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof NetEntry e && line().equals(e.line());
        }

        @Override
        public int hashCode() {
            return line().hashCode();
        }
    }

    /** A file operation with an argument (create/mkdir/.../rename): its bit and "NAME1\0ARG" object. */
    public record FileArgEntry(String domain, int perm, byte[] object) implements RuleEntry {
        public FileArgEntry {
            object = object.clone();
        }

        public String line() {
            return "A\t" + domain + "\t" + perm + "\t" + HexFormat.of().formatHex(object);
        }

        public DomainLine rule() {
            return dev.tomoyoctl.policy.model.FileArgRule.fromEvent(perm, object).toAcl();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof FileArgEntry e && line().equals(e.line());
        }

        @Override
        public int hashCode() {
            return line().hashCode();
        }
    }

    /**
     * TMY_PERM_* bits learned on a path with a learned condition on names (issue 6):
     * {@code exec.realpath="R" [exec.argv[0]="A"]} or {@code symlink.target="T"}.
     */
    public record CondFileEntry(String domain, int tmyPerms, String path, String condition) implements RuleEntry {
        public String line() {
            return "E\t" + domain + "\t" + tmyPerms + "\t" + path + "\t" + condition;
        }

        public DomainLine rule() {
            int ops = FileOp.fromTmyPerms(tmyPerms);
            if (ops == 0 || condition.isEmpty()) {
                throw new IllegalArgumentException("E entry needs file permission bits and a condition");
            }
            return new FileRule(ops, path, condition);
        }
    }

    /** A capability (its number) learned. */
    public record CapEntry(String domain, int cap) implements RuleEntry {
        public String line() {
            return "C\t" + domain + "\t" + cap;
        }

        public DomainLine rule() {
            String name = CapabilityRule.capabilityName(cap);
            if (name == null) {
                throw new IllegalArgumentException("no capability number " + cap);
            }
            return new CapabilityRule(name);
        }
    }

    /** A signal to a target domain (by name) learned. */
    public record SignalEntry(String domain, int sig, String target) implements RuleEntry {
        public String line() {
            return "S\t" + domain + "\t" + sig + "\t" + target;
        }

        public DomainLine rule() {
            return new SignalRule(sig, target);
        }
    }

    private final Path file;
    private FileChannel channel;
    private long entries;

    private LearnJournal(Path file, FileChannel channel, long entries) {
        this.file = file;
        this.channel = channel;
        this.entries = entries;
    }

    /** Result of opening: the journal and what it held. */
    public record Opened(LearnJournal journal, List<Entry> entries, List<String> problems) {
    }

    /** Opens (creating if needed) and reads back the entries of an earlier run. */
    public static Opened open(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        boolean created = !Files.exists(file);
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        try {
            List<Entry> list = new ArrayList<>();
            List<String> problems = new ArrayList<>();
            long valid = read(file, ch, list, problems);
            if (valid < ch.size()) {
                problems.add(file + ": dropped an incomplete last entry of " + (ch.size() - valid)
                        + " bytes (a write interrupted by a crash, never acknowledged)");
                ch.truncate(valid);
                ch.force(true);
            }
            ch.position(ch.size());
            if (created) {
                fsyncDir(file.toAbsolutePath().getParent());
            }
            return new Opened(new LearnJournal(file, ch, list.size()), list, problems);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    private static long read(Path file, FileChannel ch, List<Entry> out, List<String> problems) throws IOException {
        long size = ch.size();
        if (size > Integer.MAX_VALUE - 16) {
            throw new IOException(file + ": journal of " + size + " bytes is too large to replay");
        }
        ByteBuffer buf = ByteBuffer.allocate((int) size);
        while (buf.hasRemaining() && ch.read(buf, buf.position()) >= 0) {
            // read(dst, position) does not move the channel; loop until full
        }
        String text = new String(buf.array(), 0, buf.position(), StandardCharsets.ISO_8859_1);
        int lineNo = 0;
        long valid = 0;
        int start = 0;
        while (true) {
            int nl = text.indexOf('\n', start);
            if (nl < 0) {
                break;
            }
            lineNo++;
            String line = text.substring(start, nl);
            start = nl + 1;
            valid = start;
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            try {
                out.add(parse(line));
            } catch (IllegalArgumentException e) {
                problems.add(file + ":" + lineNo + ": " + e.getMessage() + " (entry skipped)");
            }
        }
        return valid;
    }

    static Entry parse(String line) {
        String[] f = line.split("\t", -1);
        switch (f[0]) {
            case "D":
                if (f.length != 3) {
                    throw new IllegalArgumentException("D entry needs 3 fields, has " + f.length);
                }
                return new DomainEntry(f[1], parseInt(f[2], "profile"));
            case "F":
                if (f.length != 4) {
                    throw new IllegalArgumentException("F entry needs 4 fields, has " + f.length);
                }
                return new FileEntry(f[1], parseInt(f[2], "permission bits"), f[3]);
            case "E":
                if (f.length != 5) {
                    throw new IllegalArgumentException("E entry needs 5 fields, has " + f.length);
                }
                return new CondFileEntry(f[1], parseInt(f[2], "permission bits"), f[3], f[4]);
            case "N":
                if (f.length != 7) {
                    throw new IllegalArgumentException("N entry needs 7 fields, has " + f.length);
                }
                byte[] addr = hex(f[5], "address");
                if (addr.length != 16) {
                    throw new IllegalArgumentException("N entry address has " + addr.length + " bytes, not 16");
                }
                return new NetEntry(f[1], parseInt(f[2], "family"), parseInt(f[3], "permission bit"),
                        parseInt(f[4], "port"), addr, hex(f[6], "unix address"));
            case "A":
                if (f.length != 4) {
                    throw new IllegalArgumentException("A entry needs 4 fields, has " + f.length);
                }
                return new FileArgEntry(f[1], parseInt(f[2], "permission bit"), hex(f[3], "object"));
            case "C":
                if (f.length != 3) {
                    throw new IllegalArgumentException("C entry needs 3 fields, has " + f.length);
                }
                return new CapEntry(f[1], parseInt(f[2], "capability"));
            case "S":
                if (f.length != 4) {
                    throw new IllegalArgumentException("S entry needs 4 fields, has " + f.length);
                }
                return new SignalEntry(f[1], parseInt(f[2], "signal"), f[3]);
            default:
                throw new IllegalArgumentException("unknown entry kind '" + f[0] + "'");
        }
    }

    private static byte[] hex(String s, String what) {
        try {
            return HexFormat.of().parseHex(s);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad " + what + " hex '" + s + "'");
        }
    }

    private static int parseInt(String s, String what) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad " + what + " '" + s + "'");
        }
    }

    /** Appends entries and waits until they are on disk. Nothing to do for an empty list. */
    public void append(List<? extends Entry> batch) throws IOException {
        if (batch.isEmpty()) {
            return;
        }
        StringBuilder sb = new StringBuilder();
        if (channel.size() == 0) {
            sb.append(MAGIC).append('\n');
        }
        for (Entry e : batch) {
            String line = e.line();
            if (line.indexOf('\n') >= 0) {
                throw new IllegalArgumentException("journal entry contains a newline: " + line);
            }
            sb.append(line).append('\n');
        }
        ByteBuffer bytes = ByteBuffer.wrap(sb.toString().getBytes(StandardCharsets.ISO_8859_1));
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
        channel.force(false); // fdatasync: data and the size needed to read it back
        entries += batch.size();
    }

    /** Empties the journal after its entries were written to the policy files (and synced). */
    public void truncate() throws IOException {
        channel.truncate(0);
        channel.position(0);
        channel.force(true);
        entries = 0;
    }

    public long entries() {
        return entries;
    }

    public long sizeBytes() throws IOException {
        return channel.size();
    }

    public Path file() {
        return file;
    }

    static void fsyncDir(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            // Some file systems refuse fsync on directories; the data itself was synced.
            LOG.fine("fsync of directory " + dir + " failed: " + e);
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
