package dev.tomoyoctl.loader;

import com.sun.jna.Native;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The pinned state of a deployment on a bpf filesystem, so enforcement outlives the JVM:
 * <pre>
 *   ROOT/maps/NAME    every declared map of the object (policy, task storage, ring buffer, ...)
 *   ROOT/links/NAME   one link per attached program (NAME = libbpf program name)
 * </pre>
 * ROOT is /sys/fs/bpf/tomoyoctl by default; tests use a bpffs mounted in a temporary directory.
 *
 * <p>The three moves: {@link #prepare} + load + {@link #attachAndPin} for a fresh start (maps
 * already pinned are reused, so their contents survive); {@link #adopt()} after a restart
 * (open the pinned maps and links, which prove the programs are still attached);
 * {@link #unload()} to remove every pin, which detaches the programs once no process holds
 * their links.
 */
public final class BpfPins {
    public static final Path DEFAULT_ROOT = Path.of("/sys/fs/bpf/tomoyoctl");
    /** statfs f_type of bpffs; Java reports the file store type "bpf". */
    private static final String BPF_FS_TYPE = "bpf";

    private final Path root;

    public BpfPins(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public static BpfPins atDefaultRoot() {
        return new BpfPins(DEFAULT_ROOT);
    }

    public Path root() {
        return root;
    }

    public Path mapsDir() {
        return root.resolve("maps");
    }

    public Path linksDir() {
        return root.resolve("links");
    }

    public Path mapPin(String mapName) {
        return mapsDir().resolve(checkName(mapName));
    }

    public Path linkPin(String programName) {
        return linksDir().resolve(checkName(programName));
    }

    private static String checkName(String name) {
        if (name.isEmpty() || name.contains("/") || name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException("'" + name + "' cannot be a pin name");
        }
        return name;
    }

    /**
     * Creates ROOT/maps and ROOT/links, after checking that ROOT is on a bpf filesystem
     * (otherwise pinning fails with a less helpful EPERM).
     */
    public void createDirectories() {
        Path existing = root;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            throw new BpfNotFoundException("no existing parent directory for pin root " + root);
        }
        try {
            String type = Files.getFileStore(existing).type();
            if (!BPF_FS_TYPE.equals(type)) {
                throw new BpfNotSupportedException("pin root " + root + " is on a " + type
                        + " file system, not bpf: mount -t bpf bpf " + existing);
            }
            Files.createDirectories(mapsDir());
            Files.createDirectories(linksDir());
        } catch (IOException e) {
            throw new BpfException("creating pin directories under " + root + ": " + e, 0, List.of(), e);
        }
    }

    /**
     * Gives every declared map of {@code obj} its pin path ROOT/maps/NAME before load: libbpf
     * then reuses a map already pinned there (checking that its definition matches) or pins the
     * new one. Internal maps (.rodata, .bss) are not pinned: they belong to one program load.
     */
    public void prepare(BpfObject obj) {
        createDirectories();
        for (String name : obj.declaredMapNames()) {
            obj.pinMap(name, mapPin(name));
        }
    }

    /**
     * Attaches every attachable program of the loaded {@code obj} and pins each link at
     * ROOT/links/PROGRAM. Refuses if links are pinned already (a second attach would run every
     * hook twice): {@link #adopt()} or {@link #unload()} first. All or nothing.
     */
    public Map<String, BpfLink> attachAndPin(BpfObject obj) {
        createDirectories();
        List<String> existing = pinnedLinkNames();
        if (!existing.isEmpty()) {
            throw new BpfException("links are already pinned under " + linksDir() + " " + existing
                    + ": adopt them or unload first");
        }
        Map<String, BpfLink> links = obj.attachAll();
        List<Path> pinned = new ArrayList<>();
        try {
            for (Map.Entry<String, BpfLink> e : links.entrySet()) {
                Path pin = linkPin(e.getKey());
                e.getValue().pin(pin);
                pinned.add(pin);
            }
        } catch (RuntimeException e) {
            pinned.forEach(BpfPins::deleteQuietly);
            links.values().forEach(BpfLink::close);
            throw e;
        }
        return links;
    }

    /** Names of the pinned maps (file names under ROOT/maps), sorted. */
    public List<String> pinnedMapNames() {
        return list(mapsDir());
    }

    /** Names of the pinned links (file names under ROOT/links), sorted. */
    public List<String> pinnedLinkNames() {
        return list(linksDir());
    }

    public boolean hasPinnedLinks() {
        return !pinnedLinkNames().isEmpty();
    }

    public BpfMap openMap(String mapName) {
        return BpfMap.openPinned(mapPin(mapName));
    }

    public BpfLink openLink(String programName) {
        return BpfLink.openPinned(linkPin(programName));
    }

    /**
     * What a restarted process finds: every pinned map and link, opened. Each link's
     * {@link BpfLink#info()} names the program it keeps attached. Close it to release the fds
     * (the pins stay).
     */
    public record Adopted(Map<String, BpfMap> maps, Map<String, BpfLink> links) implements AutoCloseable {
        /** Kernel names (15 bytes) of the attached programs, by link pin name. */
        public Map<String, LinkInfo> attached() {
            Map<String, LinkInfo> out = new LinkedHashMap<>();
            links.forEach((k, v) -> out.put(k, v.info()));
            return out;
        }

        public BpfMap map(String name) {
            BpfMap m = maps.get(name);
            if (m == null) {
                throw new BpfNotFoundException("no pinned map '" + name + "'; pinned: " + maps.keySet());
            }
            return m;
        }

        @Override
        public void close() {
            maps.values().forEach(BpfMap::close);
            links.values().forEach(BpfLink::close);
        }
    }

    /** Opens every pinned map and link. Throws {@link BpfNotFoundException} if nothing is pinned. */
    public Adopted adopt() {
        List<String> mapNames = pinnedMapNames();
        List<String> linkNames = pinnedLinkNames();
        if (mapNames.isEmpty() && linkNames.isEmpty()) {
            throw new BpfNotFoundException("nothing is pinned under " + root);
        }
        Map<String, BpfMap> maps = new LinkedHashMap<>();
        Map<String, BpfLink> links = new LinkedHashMap<>();
        try {
            for (String n : mapNames) {
                maps.put(n, openMap(n));
            }
            for (String n : linkNames) {
                links.put(n, openLink(n));
            }
        } catch (RuntimeException e) {
            new Adopted(maps, links).close();
            throw e;
        }
        return new Adopted(Collections.unmodifiableMap(maps), Collections.unmodifiableMap(links));
    }

    /**
     * Removes every link pin, then every map pin, then the directories. Programs detach when
     * their last link reference goes: with no process holding a link fd, that is now. Maps are
     * freed once no program or fd uses them. Returns the pins removed.
     */
    public List<Path> unload() {
        List<Path> removed = new ArrayList<>();
        for (String n : pinnedLinkNames()) {
            Path p = linkPin(n);
            unlink(p);
            removed.add(p);
        }
        for (String n : pinnedMapNames()) {
            Path p = mapPin(n);
            unlink(p);
            removed.add(p);
        }
        for (Path dir : List.of(linksDir(), mapsDir(), root)) {
            try {
                Files.deleteIfExists(dir);
            } catch (IOException e) {
                throw new BpfException("removing pin directory " + dir + ": " + e, 0, List.of(), e);
            }
        }
        return removed;
    }

    private static void unlink(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new BpfException("removing pin " + p + ": " + e, 0, List.of(), e);
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // best effort while unwinding another error
        }
    }

    private static List<String> list(Path dir) {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                names.add(p.getFileName().toString());
            }
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new BpfException("listing pins in " + dir + ": " + e, 0, List.of(), e);
        }
        Collections.sort(names);
        return names;
    }

    /** mount -t bpf bpf DIR (root only); for tests and for hosts where /sys/fs/bpf is not mounted. */
    public static void mountBpffs(Path dir) {
        int rc = LibC.mount("bpf", dir.toString(), "bpf", 0, null);
        if (rc != 0) {
            throw BpfException.fromErrno("mount -t bpf bpf " + dir, Native.getLastError());
        }
    }

    /** umount DIR (lazy, so open pins do not block it). */
    public static void unmount(Path dir) {
        int rc = LibC.umount2(dir.toString(), 2 /* MNT_DETACH */);
        if (rc != 0) {
            throw BpfException.fromErrno("umount " + dir, Native.getLastError());
        }
    }
}
