package dev.tomoyoctl.policy;

/**
 * Domain ids of tomoyo_abi.h. {@code id("<kernel>")} is FNV-1a 64 over the 8 bytes
 * {@code "<kernel>"}; {@code id(parent + " " + program)} continues FNV-1a 64 from state
 * {@code id(parent)} over the 8 little-endian bytes of {@code pathHash(program)}. A namespace
 * root other than &lt;kernel&gt; (reset_domain creates "&lt;/usr/sbin/httpd&gt;") hashes its
 * decoded name the same way, so the kernel can build it as "&lt;" + path + "&gt;".
 */
public final class DomainId {
    private DomainId() {}

    public static final String KERNEL_NAME = "<kernel>";
    public static final long KERNEL = of(KERNEL_NAME);

    /**
     * The id of a TOMOYO domain name (encoded, space-separated). Components holding pattern tokens
     * (a domain named after a matched pattern) are hashed with {@link TomoyoName#decodeLenient}.
     *
     * @throws IllegalArgumentException if the name is not a correct TOMOYO domain name
     */
    public static long of(String domainName) {
        if (!TomoyoName.isCorrectDomain(domainName)) {
            throw new IllegalArgumentException("not a TOMOYO domain name: '" + abbreviate(domainName) + "'");
        }
        int sp = domainName.indexOf(' ');
        String root = sp < 0 ? domainName : domainName.substring(0, sp);
        long id = PathHash.ofRaw(decodeComponent(root));
        if (sp < 0) {
            return id;
        }
        int start = sp + 1;
        while (true) {
            int next = domainName.indexOf(' ', start);
            String component = next < 0 ? domainName.substring(start) : domainName.substring(start, next);
            id = child(id, PathHash.ofRaw(decodeComponent(component)));
            if (next < 0) {
                return id;
            }
            start = next + 1;
        }
    }

    /** The id of the child domain reached from {@code parentId} by folding in a program's path hash. */
    public static long child(long parentId, long programHash) {
        return PathHash.updateLong(parentId, programHash);
    }

    private static byte[] decodeComponent(String c) {
        return TomoyoName.isPatterned(c) ? TomoyoName.decodeLenient(c) : TomoyoName.decode(c);
    }

    static String abbreviate(String s) {
        return s.length() > 120 ? s.substring(0, 117) + "..." : s;
    }
}
