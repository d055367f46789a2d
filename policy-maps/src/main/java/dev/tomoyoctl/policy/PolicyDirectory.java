package dev.tomoyoctl.policy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A policy directory (/etc/tomoyoctl/ by default) holding TOMOYO's file names:
 * domain_policy.conf, exception_policy.conf, profile.conf, and optionally manager.conf and
 * stat.conf (kept verbatim), plus domain_policy.tomoyo18.conf and exception_policy.tomoyo18.conf
 * holding the lines TOMOYO 2.6's tools would reject (see {@link Tomoyo18Lines}), so that the
 * three TOMOYO files pass tomoyo-checkpolicy. Files are read and written as ISO-8859-1 so that every byte round
 * trips (TOMOYO names are ASCII; comments may hold anything).
 */
public final class PolicyDirectory {
    private PolicyDirectory() {}

    /**
     * Reads and parses the policy. A missing file is an empty file (a fresh directory has no
     * domains and no profiles, so everything is disabled); a missing directory is an error.
     *
     * @throws PolicyParseException with every error of every file (file:line: reason)
     */
    public static PolicySet load(Path dir) throws IOException, PolicyParseException {
        if (!Files.isDirectory(dir)) {
            throw new NoSuchFileException(dir.toString(), null, "not a policy directory");
        }
        Map<String, String> opaque = new LinkedHashMap<>();
        for (String name : PolicySet.OPAQUE_FILES) {
            String text = read(dir.resolve(name));
            if (text != null) {
                opaque.put(name, text);
            }
        }
        return PolicySet.parse(orEmpty(read(dir.resolve(PolicySet.DOMAIN_POLICY))),
                read(dir.resolve(Tomoyo18Lines.DOMAIN_FILE)),
                orEmpty(read(dir.resolve(PolicySet.EXCEPTION_POLICY))),
                read(dir.resolve(Tomoyo18Lines.EXCEPTION_FILE)),
                orEmpty(read(dir.resolve(PolicySet.PROFILE))), opaque);
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }

    private static String read(Path p) throws IOException {
        try {
            return new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /**
     * Writes every file of the policy that differs from what is on disk, each one atomically:
     * a temporary file in the same directory is written and fsync'ed, then renamed over the old
     * file, then the directory is fsync'ed, so after a crash each file is either the old or the
     * new version, never a mix. All temporary files are written and synced before the first
     * rename, which keeps the window in which the three files disagree as short as possible.
     * Created files get mode 0600. The directory is created (0700) if missing.
     */
    public static void save(PolicySet policy, Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            try {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rwx------")));
            } catch (UnsupportedOperationException e) {
                Files.createDirectories(dir);
            }
        }
        List<Path[]> renames = new ArrayList<>();
        Map<String, String> files = policy.printAll();
        boolean deleted = false;
        try {
            for (Map.Entry<String, String> e : files.entrySet()) {
                Path target = dir.resolve(e.getKey());
                byte[] bytes = e.getValue().getBytes(StandardCharsets.ISO_8859_1);
                if (Files.isRegularFile(target) && Arrays.equals(Files.readAllBytes(target), bytes)) {
                    continue;
                }
                Path tmp = writeTemp(dir, e.getKey(), bytes);
                renames.add(new Path[] {tmp, target});
            }
            for (Path[] r : renames) {
                try {
                    Files.move(r[0], r[1], StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    throw new IOException("cannot rename atomically in " + dir, e);
                }
                r[0] = null;
            }
            // A side file with nothing left to hold would bring old lines back on the next load.
            for (String side : List.of(Tomoyo18Lines.DOMAIN_FILE, Tomoyo18Lines.EXCEPTION_FILE)) {
                if (!files.containsKey(side)) {
                    deleted |= Files.deleteIfExists(dir.resolve(side));
                }
            }
        } finally {
            for (Path[] r : renames) {
                if (r[0] != null) {
                    Files.deleteIfExists(r[0]);
                }
            }
        }
        if (!renames.isEmpty() || deleted) {
            fsyncDirectory(dir);
        }
    }

    private static Path writeTemp(Path dir, String name, byte[] bytes) throws IOException {
        for (int attempt = 0; ; attempt++) {
            Path tmp = dir.resolve("." + name + ".tmp-" + Long.toHexString(ThreadLocalRandom.current().nextLong()));
            try {
                try {
                    Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                } catch (UnsupportedOperationException e) {
                    Files.createFile(tmp);
                }
            } catch (FileAlreadyExistsException e) {
                if (attempt < 10) {
                    continue;
                }
                throw e;
            }
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ByteBuffer b = ByteBuffer.wrap(bytes);
                while (b.hasRemaining()) {
                    ch.write(b);
                }
                ch.force(true);
            } catch (IOException e) {
                Files.deleteIfExists(tmp);
                throw e;
            }
            return tmp;
        }
    }

    private static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Some file systems refuse fsync on a directory; the renames are still atomic.
            if (!"Is a directory".equals(e.getMessage()) && !(e instanceof java.nio.file.AccessDeniedException)) {
                throw e;
            }
        }
    }
}
