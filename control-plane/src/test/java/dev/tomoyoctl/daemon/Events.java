package dev.tomoyoctl.daemon;

import dev.tomoyoctl.policy.DomainId;
import dev.tomoyoctl.policy.PathHash;
import dev.tomoyoctl.policy.TomoyoName;
import dev.tomoyoctl.policy.abi.Abi;
import dev.tomoyoctl.policy.abi.TmyAccessEvent;
import dev.tomoyoctl.policy.abi.TmyCapEvent;
import dev.tomoyoctl.policy.abi.TmyDomainEvent;
import dev.tomoyoctl.policy.abi.TmyEventHdr;
import dev.tomoyoctl.policy.abi.TmyNetEvent;
import dev.tomoyoctl.policy.abi.TmySignalEvent;

import java.net.InetAddress;

import java.nio.charset.StandardCharsets;

/** Ring-buffer records as the BPF side writes them, built with the ABI records of policy-maps. */
final class Events {
    private Events() {
    }

    static TmyEventHdr hdr(int type, long domain) {
        return new TmyEventHdr(type, 0, System.nanoTime(), domain, 812, 813, 0, 0);
    }

    /** A task of {@code parent} executed {@code path}; the kernel names the new domain by id. */
    static byte[] domain(String parent, String path, int profile) {
        return domain(parent, path, profile, Abi.TMY_TRANSITION_CHILD,
                DomainId.of(parent + " " + TomoyoName.encode(path.getBytes(StandardCharsets.UTF_8))));
    }

    static byte[] domain(String parent, String path, int profile, int transition, long newId) {
        byte[] p = path.getBytes(StandardCharsets.UTF_8);
        TmyDomainEvent e = new TmyDomainEvent(hdr(Abi.TMY_EV_DOMAIN, newId).withSize(TmyDomainEvent.SIZE + p.length),
                DomainId.of(parent), PathHash.ofRaw(p), profile, transition, 0, p);
        return e.toBytes();
    }

    /** An exec of {@code path} that an aggregator line renamed to {@code aggregated}. */
    static byte[] aggregatedDomain(String parent, String path, String aggregated, int profile) {
        byte[] p = path.getBytes(StandardCharsets.UTF_8);
        long newId = DomainId.of(parent + " " + aggregated);
        TmyDomainEvent e = new TmyDomainEvent(hdr(Abi.TMY_EV_DOMAIN, newId).withSize(TmyDomainEvent.SIZE + p.length),
                DomainId.of(parent), PathHash.of(aggregated), profile, Abi.TMY_TRANSITION_CHILD,
                Abi.TMY_DOMAIN_EV_AGGREGATED, p);
        return e.toBytes();
    }

    /** The learned execute permission of an aggregated program (object = the aggregated name's hash). */
    static byte[] aggregatedExecute(String domain, String path, String aggregated) {
        byte[] p = path.getBytes(StandardCharsets.UTF_8);
        TmyAccessEvent e = new TmyAccessEvent(hdr(Abi.TMY_EV_LEARN, DomainId.of(domain))
                .withSize(TmyAccessEvent.SIZE + p.length), PathHash.of(aggregated), Abi.TMY_PERM_EXECUTE,
                Abi.TMY_CAT_FILE, Abi.TMY_MODE_LEARNING, 1, Abi.TMY_ACCESS_GRANTED | Abi.TMY_ACCESS_AGGREGATED, p);
        return e.toBytes();
    }

    static byte[] learn(String domain, int perm, String path) {
        return access(Abi.TMY_EV_LEARN, domain, perm, Abi.TMY_MODE_LEARNING, 1, Abi.TMY_ACCESS_GRANTED, path);
    }

    static byte[] access(int type, String domain, int perm, int mode, int profile, int flags, String path) {
        byte[] p = path.getBytes(StandardCharsets.UTF_8);
        TmyAccessEvent e = new TmyAccessEvent(hdr(type, DomainId.of(domain)).withSize(TmyAccessEvent.SIZE + p.length),
                PathHash.ofRaw(p), perm, Abi.TMY_CAT_FILE, mode, profile, flags, p);
        return e.toBytes();
    }

    /** A network event for an inet address ("127.0.0.1", "::1"), TMY_NET_PERM(proto, op). */
    static byte[] inet(int type, String domain, int proto, int op, String address, int port, int mode, int profile,
                       int flags) {
        byte[] a;
        try {
            a = InetAddress.getByName(address).getAddress();
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
        byte[] addr = new byte[16];
        System.arraycopy(a, 0, addr, 0, a.length);
        int family = a.length == 4 ? Abi.TMY_AF_INET : Abi.TMY_AF_INET6;
        TmyNetEvent e = new TmyNetEvent(hdr(type, DomainId.of(domain)).withSize(TmyNetEvent.SIZE),
                Abi.tmyNetPerm(proto, op), Abi.TMY_CAT_NETWORK, mode, profile, flags, family, port, addr, new byte[0]);
        return e.toBytes();
    }

    static byte[] learnInet(String domain, int proto, int op, String address, int port) {
        return inet(Abi.TMY_EV_NET_LEARN, domain, proto, op, address, port, Abi.TMY_MODE_LEARNING, 1,
                Abi.TMY_ACCESS_GRANTED);
    }

    /** A unix-socket network event; {@code raw} is the address as bytes (abstract: leading NUL). */
    static byte[] unix(int type, String domain, int proto, int op, byte[] raw, int mode, int profile, int flags) {
        TmyNetEvent e = new TmyNetEvent(hdr(type, DomainId.of(domain)).withSize(TmyNetEvent.SIZE + raw.length),
                Abi.tmyNetPerm(proto, op), Abi.TMY_CAT_NETWORK, mode, profile, flags, Abi.TMY_AF_UNIX, 0,
                new byte[16], raw);
        return e.toBytes();
    }

    static byte[] learnUnix(String domain, int proto, int op, byte[] raw) {
        return unix(Abi.TMY_EV_NET_LEARN, domain, proto, op, raw, Abi.TMY_MODE_LEARNING, 1, Abi.TMY_ACCESS_GRANTED);
    }

    static byte[] cap(int type, String domain, int cap, int mode, int profile, int flags) {
        return new TmyCapEvent(hdr(type, DomainId.of(domain)).withSize(TmyCapEvent.SIZE), cap, Abi.TMY_CAT_CAPABILITY,
                mode, profile, flags).toBytes();
    }

    static byte[] signal(int type, String domain, long target, int sig, int mode, int profile, int flags) {
        return new TmySignalEvent(hdr(type, DomainId.of(domain)).withSize(TmySignalEvent.SIZE), target, sig,
                Abi.TMY_CAT_IPC, mode, profile, flags, 4242).toBytes();
    }

    /**
     * An access with TMY_ACCESS_INFO1 (and INFO2 when {@code argv0 != null}): path[] = NAME '\0' S1
     * ['\0' A], object = the learned form's key computed here independently (FNV-1a fold of the
     * name hashes) from {@code objectName} (the name, or the aggregated name).
     */
    static byte[] named(int type, String domain, int perm, int mode, int flags, byte[] name, byte[] s1, byte[] argv0,
                        byte[] objectName) {
        java.io.ByteArrayOutputStream p = new java.io.ByteArrayOutputStream();
        p.writeBytes(name);
        p.write(0);
        p.writeBytes(s1);
        long key = fold(PathHash.ofRaw(objectName), PathHash.ofRaw(s1));
        flags |= Abi.TMY_ACCESS_INFO1;
        if (argv0 != null) {
            p.write(0);
            p.writeBytes(argv0);
            key = fold(key, PathHash.ofRaw(argv0));
            flags |= Abi.TMY_ACCESS_INFO2;
        }
        byte[] path = p.toByteArray();
        return new TmyAccessEvent(hdr(type, DomainId.of(domain)).withSize(TmyAccessEvent.SIZE + path.length), key, perm,
                Abi.TMY_CAT_FILE, mode, 1, flags, path).toBytes();
    }

    /** FNV-1a 64 continued over the 8 little-endian bytes of v (written out, not PathHash.updateLong). */
    static long fold(long h, long v) {
        for (int i = 0; i < 8; i++) {
            h ^= (v >>> (8 * i)) & 0xff;
            h *= 0x100000001b3L;
        }
        return h;
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** A learned exec: "file execute NAME exec.realpath="R" [exec.argv[0]="A"]". */
    static byte[] learnExec(String domain, String name, String realpath, String argv0) {
        return named(Abi.TMY_EV_LEARN, domain, Abi.TMY_PERM_EXECUTE, Abi.TMY_MODE_LEARNING, Abi.TMY_ACCESS_GRANTED,
                utf8(name), utf8(realpath), argv0 == null ? null : utf8(argv0), utf8(name));
    }

    /** A learned symlink: "file symlink NAME symlink.target="T"". */
    static byte[] learnSymlink(String domain, String name, String target) {
        return named(Abi.TMY_EV_LEARN, domain, Abi.TMY_PERM_SYMLINK, Abi.TMY_MODE_LEARNING, Abi.TMY_ACCESS_GRANTED,
                utf8(name), utf8(target), null, utf8(name));
    }
}
