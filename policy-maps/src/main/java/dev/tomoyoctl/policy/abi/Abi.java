package dev.tomoyoctl.policy.abi;

/**
 * Constants of bpf/include/tomoyo_abi.h, with the header's names. AbiConstantsTest reads the
 * header and checks that every #define and enum constant there has a field here with the same
 * value, so a change on one side fails the build until the other follows.
 */
public final class Abi {
    private Abi() {}

    // identities
    public static final long TMY_FNV64_OFFSET = 0xcbf29ce484222325L;
    public static final long TMY_FNV64_PRIME = 0x00000100000001b3L;
    public static final String TMY_KERNEL_DOMAIN_NAME = "<kernel>";
    /** id("&lt;kernel&gt;"). */
    public static final long TMY_KERNEL_DOMAIN_ID = 0xfe4922bc4450b884L;
    public static final int TMY_PATH_MAX = 4096;

    // enum tmy_mode
    public static final int TMY_MODE_DISABLED = 0;
    public static final int TMY_MODE_LEARNING = 1;
    public static final int TMY_MODE_PERMISSIVE = 2;
    public static final int TMY_MODE_ENFORCING = 3;

    // enum tmy_category
    public static final int TMY_CAT_FILE = 0;
    public static final int TMY_CAT_NETWORK = 1;
    public static final int TMY_CAT_CAPABILITY = 2;
    public static final int TMY_CAT_IPC = 3;
    public static final int TMY_CAT_MAX = 8;

    public static final int TMY_PROFILE_MAX = 256;
    public static final int TMY_PROFILE_GRANT_LOG = 1 << 0;
    public static final int TMY_PROFILE_REJECT_LOG = 1 << 1;

    // file permissions
    public static final int TMY_PERM_READ = 1 << 0;
    public static final int TMY_PERM_WRITE = 1 << 1;
    public static final int TMY_PERM_APPEND = 1 << 2;
    public static final int TMY_PERM_EXECUTE = 1 << 3;
    public static final int TMY_PERM_UNLINK = 1 << 4;
    public static final int TMY_PERM_GETATTR = 1 << 5;
    public static final int TMY_PERM_RMDIR = 1 << 6;
    public static final int TMY_PERM_TRUNCATE = 1 << 7;
    public static final int TMY_PERM_SYMLINK = 1 << 8;
    public static final int TMY_PERM_CHROOT = 1 << 9;
    public static final int TMY_PERM_UNMOUNT = 1 << 10;
    /** tomoyo_abi.h: the operations with a number or a second name; their object is "NAME1\0ARG". */
    public static final int TMY_PERM_CREATE = 1 << 11;
    public static final int TMY_PERM_MKDIR = 1 << 12;
    public static final int TMY_PERM_MKFIFO = 1 << 13;
    public static final int TMY_PERM_MKSOCK = 1 << 14;
    public static final int TMY_PERM_IOCTL = 1 << 15;
    public static final int TMY_PERM_CHMOD = 1 << 16;
    public static final int TMY_PERM_CHOWN = 1 << 17;
    public static final int TMY_PERM_CHGRP = 1 << 18;
    public static final int TMY_PERM_MKBLOCK = 1 << 19;
    public static final int TMY_PERM_MKCHAR = 1 << 20;
    public static final int TMY_PERM_LINK = 1 << 21;
    public static final int TMY_PERM_RENAME = 1 << 22;
    public static final int TMY_PERM_PIVOT_ROOT = 1 << 23;
    public static final int TMY_PERM_MOUNT = 1 << 24;
    public static final int TMY_PERM_ARG_MASK = 0x01fff800;

    public static final int TMY_TASK_EXEC_PENDING = 1 << 0;
    public static final int TMY_DOMAIN_QUOTA_EXCEEDED = 1 << 0;
    /** The domain has inet rules in tmy_inet_ranges (the kernel looks there after a miss). */
    public static final int TMY_DOMAIN_INET_RANGES = 1 << 1;

    // enum tmy_match
    public static final int TMY_MATCH_EXACT = 0;
    public static final int TMY_MATCH_SUBTREE = 1;
    /** path_hash = FNV-1a 64 of an AF_UNIX address's raw bytes; perms = TMY_NET_PERM() bits. */
    public static final int TMY_MATCH_UNIX = 2;

    // network: enum tmy_net_proto, enum tmy_net_op, address families
    public static final int TMY_NET_STREAM = 0;
    public static final int TMY_NET_DGRAM = 1;
    public static final int TMY_NET_SEQPACKET = 2;
    public static final int TMY_NET_RAW = 3;
    public static final int TMY_NET_BIND = 0;
    public static final int TMY_NET_LISTEN = 1;
    public static final int TMY_NET_CONNECT = 2;
    public static final int TMY_NET_SEND = 3;
    public static final int TMY_AF_UNIX = 1;
    public static final int TMY_AF_INET = 2;
    public static final int TMY_AF_INET6 = 10;
    /** Bits of tmy_inet_range_key before addr that every lookup matches in full. */
    public static final int TMY_INET_RANGE_FIXED_BITS = 160;
    /** Bits of tmy_port_key before port (generation, port_set). */
    public static final int TMY_PORT_SET_FIXED_BITS = 64;

    /** TMY_NET_PERM(proto, op): the permission bit of (enum tmy_net_proto, enum tmy_net_op). */
    public static int tmyNetPerm(int proto, int op) {
        if (proto < 0 || proto > 3 || op < 0 || op > 3) {
            throw new IllegalArgumentException("no TMY_NET_PERM(" + proto + ", " + op + ")");
        }
        return 1 << (proto * 4 + op);
    }

    // capability, signal
    public static final int TMY_CAP_MAX = 64;
    public static final int TMY_CAP_OPT_NOAUDIT = 1 << 1;
    public static final int TMY_SIGNAL_ALLOWED = 1;
    public static final int TMY_SIGNAL_DEPTH_MAX = 256;

    // enum tmy_transition_type (checked in this order)
    public static final int TMY_TR_NO_RESET = 0;
    public static final int TMY_TR_RESET = 1;
    public static final int TMY_TR_NO_INITIALIZE = 2;
    public static final int TMY_TR_INITIALIZE = 3;
    public static final int TMY_TR_NO_KEEP = 4;
    public static final int TMY_TR_KEEP = 5;
    public static final int TMY_TR_MAX = 6;

    // enum tmy_from_kind
    public static final int TMY_FROM_ANY = 0;
    public static final int TMY_FROM_DOMAIN = 1;
    public static final int TMY_FROM_LASTNAME = 2;

    // enum tmy_stat
    public static final int TMY_STAT_EVENTS = 0;
    public static final int TMY_STAT_EVENTS_DROPPED = 1;
    public static final int TMY_STAT_PATH_UNRESOLVED = 2;
    public static final int TMY_STAT_TASK_NO_STORAGE = 3;
    public static final int TMY_STAT_DENIED = 4;
    public static final int TMY_STAT_LEARNED = 5;
    public static final int TMY_STAT_DOMAINS_FULL = 6;
    public static final int TMY_STAT_RULES_FULL = 7;
    public static final int TMY_STAT_SCRATCH_BUSY = 8;
    public static final int TMY_STAT_TRANSITION_FAILED = 9;
    public static final int TMY_STAT_ADDR_SHORT = 10;
    /** Issue 6: an exec through a final symlink whose name could not be built (judged unresolved). */
    public static final int TMY_STAT_EXEC_LINK_UNNAMED = 11;
    /** Issue 6: an exec's argv[0] could not be read (learned with exec.realpath only). */
    public static final int TMY_STAT_EXEC_ARGV0_UNREAD = 12;
    public static final int TMY_STAT_MAX = 16;

    // enum tmy_event_type
    public static final int TMY_EV_DOMAIN = 1;
    public static final int TMY_EV_LEARN = 2;
    public static final int TMY_EV_AUDIT = 3;
    public static final int TMY_EV_NET_LEARN = 4;
    public static final int TMY_EV_NET_AUDIT = 5;
    public static final int TMY_EV_CAP_LEARN = 6;
    public static final int TMY_EV_CAP_AUDIT = 7;
    public static final int TMY_EV_SIGNAL_LEARN = 8;
    public static final int TMY_EV_SIGNAL_AUDIT = 9;

    /** tmy_domain_event.flags: the program was aggregated (program = aggregated name's hash). */
    public static final int TMY_DOMAIN_EV_AGGREGATED = 1 << 0;
    /** tmy_domain_event.transition for an ordinary child domain (no transition rule applied). */
    public static final int TMY_TRANSITION_CHILD = 0xff;

    public static final int TMY_ACCESS_GRANTED = 1 << 0;
    public static final int TMY_ACCESS_PATH_UNRESOLVED = 1 << 1;
    public static final int TMY_ACCESS_QUOTA_EXCEEDED = 1 << 2;
    public static final int TMY_ACCESS_AGGREGATED = 1 << 3;
    public static final int TMY_ACCESS_TRANSITION_FAILED = 1 << 4;
    public static final int TMY_ACCESS_INTERPRETER = 1 << 5;
    /**
     * path[] = NAME '\0' S1: exec.realpath (file execute) or symlink.target (file symlink); the
     * object is the learned form's key (tomoyo_abi.h "learned conditions on names").
     */
    public static final int TMY_ACCESS_INFO1 = 1 << 6;
    /** With INFO1: path[] = NAME '\0' R '\0' A, A being exec.argv[0]. */
    public static final int TMY_ACCESS_INFO2 = 1 << 7;

    // map names (the BPF object's map names)
    public static final String MAP_PROFILES = "tmy_profiles";
    public static final String MAP_STATE = "tmy_state";
    public static final String MAP_TASKS = "tmy_tasks";
    public static final String MAP_DOMAINS = "tmy_domains";
    public static final String MAP_PATH_RULES = "tmy_path_rules";
    public static final String MAP_TRANSITIONS = "tmy_transitions";
    public static final String MAP_AGGREGATORS = "tmy_aggregators";
    public static final String MAP_INET_RULES = "tmy_inet_rules";
    public static final String MAP_INET_RANGES = "tmy_inet_ranges";
    public static final String MAP_PORT_SETS = "tmy_port_sets";
    public static final String MAP_CAP_RULES = "tmy_cap_rules";
    public static final String MAP_SIGNAL_RULES = "tmy_signal_rules";
    public static final String MAP_STATS = "tmy_stats";
    public static final String MAP_EVENTS = "tmy_events";
    public static final String MAP_DFA = "tmy_dfa";
    public static final String MAP_COND_RULES = "tmy_cond_rules";

    // conditional rules (tomoyo_abi.h "conditional rules")
    public static final int TMY_CV_TASK_UID = 1;
    public static final int TMY_CV_TASK_EUID = 2;
    public static final int TMY_CV_TASK_SUID = 3;
    public static final int TMY_CV_TASK_FSUID = 4;
    public static final int TMY_CV_TASK_GID = 5;
    public static final int TMY_CV_TASK_EGID = 6;
    public static final int TMY_CV_TASK_SGID = 7;
    public static final int TMY_CV_TASK_FSGID = 8;
    public static final int TMY_CV_PATH1_UID = 9;
    public static final int TMY_CV_PATH1_GID = 10;
    public static final int TMY_CV_PATH1_TYPE = 11;
    public static final int TMY_CV_PATH1_PERM = 12;
    /** Names, compared by path hash: nranges hashes, lo = low 32 bits, hi = high 32 bits. */
    public static final int TMY_CV_EXEC_REALPATH = 13;
    public static final int TMY_CV_EXEC_ARGV0 = 14;
    public static final int TMY_CV_SYMLINK_TARGET = 15;
    public static final int TMY_CV_PATH1_PARENT_UID = 16;
    public static final int TMY_CV_PATH1_PARENT_GID = 17;
    public static final int TMY_CV_PATH1_PARENT_PERM = 18;
    public static final int TMY_CV_MAX = 19;
    public static final int TMY_COND_CLAUSES = 4;
    public static final int TMY_COND_RANGES = 4;
    public static final int TMY_COND_MAX = 64;
    /** Conditional pattern rule k sets TMY_DFA_MARK0 << k in the automaton (tomoyo_abi.h). */
    public static final int TMY_DFA_MARK0 = 1 << 25;
    public static final long TMY_DFA_MARKS = 0xfe000000L;
    public static final int TMY_COND_MARK_MAX = 7;
    public static final long TMY_COND_MARK_BASE = 0x544d59636f6e6400L;

    // path automata (tomoyo_abi.h "path automata")
    public static final int TMY_DFA_BLOCK_CELLS = 16;
    public static final int TMY_DFA_HALF_CELLS = 1 << 19;
    public static final int TMY_DFA_BLOCKS = 2 * TMY_DFA_HALF_CELLS / TMY_DFA_BLOCK_CELLS;
    public static final int TMY_DFA_HEADER_CELLS = 65;

    /** The value stored in tmy_transitions for a present key (a __u32 1). */
    public static final int TRANSITION_PRESENT = 1;
}
