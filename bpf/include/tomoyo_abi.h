/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The ABI between the BPF programs and user space: map keys and values, events, constants.
 *
 * Every struct here is fixed-width and explicitly padded; the Java side mirrors each one as a
 * record and a test checks sizes and offsets against the BTF of the built object. Change a
 * layout here and that test tells you which Java record to change.
 *
 * This header is included by BPF C (after vmlinux.h) and may be included by plain C test
 * programs (after <linux/types.h>); it uses only __u8.. __u64.
 */
#ifndef TOMOYO_ABI_H
#define TOMOYO_ABI_H

/* ---- identities ----------------------------------------------------------------------------
 * path hash   = FNV-1a 64 over the raw path bytes (no terminating NUL).
 * domain id   : id("<kernel>") = FNV-1a 64 over the 8 bytes "<kernel>";
 *               id(parent + " " + program) = FNV-1a 64 continued from state id(parent) over the
 *               8 little-endian bytes of path_hash(program).
 * So a child's id needs only the parent's id and the program's path hash, in the kernel and in
 * Java alike; Java computes any id from the domain's name alone (decode each \ooo-escaped
 * component, hash it, fold it in).
 */
#define TMY_FNV64_OFFSET 0xcbf29ce484222325ULL
#define TMY_FNV64_PRIME  0x00000100000001b3ULL
#define TMY_KERNEL_DOMAIN_NAME "<kernel>"
#define TMY_KERNEL_DOMAIN_ID 0xfe4922bc4450b884ULL /* id("<kernel>"), see hash-vectors.tsv */
/* A namespace root "<...>" other than "<kernel>" (reset_domain "</usr/sbin/httpd>") is hashed
 * like "<kernel>": FNV-1a 64 over all its bytes, the angle brackets included. */

#define TMY_PATH_MAX 4096 /* PATH_MAX, including the NUL */

/* ---- profiles ------------------------------------------------------------------------------ */
enum tmy_mode {
	TMY_MODE_DISABLED   = 0,
	TMY_MODE_LEARNING   = 1,
	TMY_MODE_PERMISSIVE = 2,
	TMY_MODE_ENFORCING  = 3,
};

enum tmy_category {
	TMY_CAT_FILE       = 0,
	TMY_CAT_NETWORK    = 1,
	TMY_CAT_CAPABILITY = 2,
	TMY_CAT_IPC        = 3,
	TMY_CAT_MAX        = 8, /* room in tmy_profile.mode[] */
};

#define TMY_PROFILE_MAX 256

/* tmy_profile.flags */
#define TMY_PROFILE_GRANT_LOG  (1u << 0)
#define TMY_PROFILE_REJECT_LOG (1u << 1)

/* Array map "tmy_profiles", index = profile number 0..255. An all-zero profile is "disabled". */
struct tmy_profile {
	__u8  mode[TMY_CAT_MAX];     /* enum tmy_mode per enum tmy_category */
	__u32 flags;                 /* TMY_PROFILE_* */
	__u32 max_learning_entry;    /* TOMOYO's PREFERENCE::learning max_entry; 0 = no limit */
};

/* ---- file permissions (bits of tmy_path_val.perms and tmy_access_event.perm) --------------- */
#define TMY_PERM_READ    (1u << 0)
#define TMY_PERM_WRITE   (1u << 1)
#define TMY_PERM_APPEND  (1u << 2)
#define TMY_PERM_EXECUTE (1u << 3)
/* TOMOYO 2.6's single-path operations on their LSM hooks (name = the file's TOMOYO name, see
 * tmy_path.bpf.h; rmdir and chroot always end in '/'):
 *   unlink    path_unlink    the removed entry (parent mount + dentry)
 *   getattr   inode_getattr  stat/statx/fstat target (sockets are not judged, as in TOMOYO)
 *   rmdir     path_rmdir     the removed directory
 *   truncate  path_truncate  truncate(2); ftruncate(2) and open(O_TRUNC) on 6.1; file_truncate
 *                            on 6.2+ (where those two moved), attached only where it exists
 *   symlink   path_symlink   the new link's own name (not its target)
 *   chroot    path_chroot    the new root directory
 *   unmount   sb_umount      the mount's root as reached from its parent: the mount point */
#define TMY_PERM_UNLINK   (1u << 4)
#define TMY_PERM_GETATTR  (1u << 5)
#define TMY_PERM_RMDIR    (1u << 6)
#define TMY_PERM_TRUNCATE (1u << 7)
#define TMY_PERM_SYMLINK  (1u << 8)
#define TMY_PERM_CHROOT   (1u << 9)
#define TMY_PERM_UNMOUNT  (1u << 10)
/* TOMOYO 2.6's file operations that carry a number or a second name (issue 5):
 *   create    path_mknod     regular file (mknod S_IFREG/0, open O_CREAT)  mode & 07777, octal
 *   mkdir     path_mkdir     the new directory + '/'                        mode & 07777, octal
 *   mkfifo    path_mknod     S_IFIFO                                        mode & 07777, octal
 *   mksock    path_mknod     S_IFSOCK                                       mode & 07777, octal
 *   ioctl     file_ioctl     the open file                                  cmd, "0x%X"
 *   chmod     path_chmod     the file                                       mode & 07777, octal
 *   chown     path_chown     the file (only when the new uid is not -1)     uid, decimal
 *   chgrp     path_chown     the file (only when the new gid is not -1)     gid, decimal
 *   mkblock   path_mknod     S_IFBLK          "MODE MAJOR MINOR": octal, decimal, decimal
 *   mkchar    path_mknod     S_IFCHR          the same
 *   link      path_link      existing file, new link name  (both + '/' if the file is a directory)
 *   rename    path_rename    old name, new name            (the same; RENAME_EXCHANGE checks
 *                                                           new -> old first, then old -> new)
 *   pivot_root sb_pivotroot  new root + '/', put_old + '/'
 * The object these are judged on is ONE byte string, "NAME1\0ARG": the first name, a NUL byte
 * (no name contains one), then the number(s) exactly as TOMOYO prints them in its policy
 * ("0644", "0x5401", "1000", "0660 8 1") or the second name's raw bytes. The rule key is an
 * ordinary TMY_MATCH_EXACT tmy_path_key whose path_hash is FNV-1a 64 over that whole string
 * (the same as continuing the first name's hash over '\0' + ARG), and the rule's perms hold
 * these TMY_PERM_* bits, which no plain path rule carries: a plain rule on a name whose hash
 * happened to be equal would grant other bits. The split at the first NUL is unambiguous, so
 * (name, argument) -> key is injective up to the hash. tmy_access_event.path carries the same
 * string (path_len counts both parts); an object longer than TMY_PATH_MAX is unresolved.
 * A rule for a few exact objects (numbers, small ranges, number_groups, path_groups of exact
 * names: up to 1,024 objects) is that many exact keys; any other (patterns, wide ranges) is
 * compiled into the domain's automaton (tmy_domain_val.dfa) over the whole object, which
 * tmy_file_check walks after the exact lookup missed (TMY_CHECK_PATTERN: the automaton, not the
 * subtree rules, whose '/'-prefixes would not be directories). */
#define TMY_PERM_CREATE     (1u << 11)
#define TMY_PERM_MKDIR      (1u << 12)
#define TMY_PERM_MKFIFO     (1u << 13)
#define TMY_PERM_MKSOCK     (1u << 14)
#define TMY_PERM_IOCTL      (1u << 15)
#define TMY_PERM_CHMOD      (1u << 16)
#define TMY_PERM_CHOWN      (1u << 17)
#define TMY_PERM_CHGRP      (1u << 18)
#define TMY_PERM_MKBLOCK    (1u << 19)
#define TMY_PERM_MKCHAR     (1u << 20)
#define TMY_PERM_LINK       (1u << 21)
#define TMY_PERM_RENAME     (1u << 22)
#define TMY_PERM_PIVOT_ROOT (1u << 23)
/* mount      sb_mount       "DIR\0TYPE\0FLAGS\0DEV" (tomoyo_fileops.bpf.c "mount": the mount
 *                           point + '/', TOMOYO's type or special operation, "0x%lX", the
 *                           device or source as given); the key is that object's hash, or the
 *                           hash of "DIR\0TYPE\0FLAGS" where TOMOYO ignores the device */
#define TMY_PERM_MOUNT      (1u << 24)
#define TMY_PERM_ARG_MASK   0x01fff800u /* the bits above: objects are "NAME1\0ARG" */

/* ---- policy generations -------------------------------------------------------------------
 * Every policy key carries a generation. A new policy is written under a new generation, then
 * tmy_state.generation is switched with one array-map update, then the old entries are deleted:
 * no access is ever judged against a half-loaded policy.
 */
/* Array map "tmy_state", one element (index 0). */
struct tmy_state {
	__u32 generation;
	__u32 flags;
};

/* ---- per-task state (task storage map "tmy_tasks") ----------------------------------------
 * A task without storage is in "<kernel>" (id TMY_KERNEL_DOMAIN_ID, ns = last_name = that id).
 * domain == 0 never names a domain (a hash of 0 is treated as "not initialised yet").
 */
#define TMY_TASK_EXEC_PENDING (1u << 0) /* pending_* hold the domain of an exec in progress */
struct tmy_task {
	__u64 domain;            /* current domain id */
	__u64 ns;                /* id of the current domain's namespace root: "<kernel>", or
	                          * "</prog>" after a reset_domain (initialize_domain goes there) */
	__u64 last_name;         /* hash of the domain name's last word: the program's path hash,
	                          * or the root's id for a root (keep/.. "from" LASTNAME lookups) */
	__u64 pending_domain;    /* computed at the first bprm_check_security, committed after exec */
	__u64 pending_ns;
	__u64 pending_last_name;
	__u8  profile;           /* profile of the current domain when it was entered (fallback when
	                          * tmy_domains has no entry for the domain in this generation) */
	__u8  pending_profile;
	__u16 flags;             /* TMY_TASK_* */
	__u32 _pad;
};

/* ---- domains (hash map "tmy_domains") ------------------------------------------------------ */
struct tmy_domain_key {
	__u64 domain;
	__u32 generation;
	__u32 _pad;
};

#define TMY_DOMAIN_QUOTA_EXCEEDED (1u << 0) /* learning stopped at max_learning_entry */
#define TMY_DOMAIN_INET_RANGES    (1u << 1) /* the domain has inet rules in tmy_inet_ranges: the
                                             * kernel looks there after a miss in tmy_inet_rules */
struct tmy_domain_val {
	__u64 parent;        /* id of the domain whose name is this one's minus its last word
	                      * ("<kernel> /a" for "<kernel> /a /b"); 0 for a root ("<kernel>",
	                      * "</prog>") or when unknown. "ipc signal" rules name a target domain
	                      * or any of its name-ancestors, found by following these. */
	__u8  profile;
	__u8  _pad[3];
	__u32 flags;         /* TMY_DOMAIN_* */
	__u32 learned;       /* quota counter: the kernel adds 1 per permission bit it learns and stops
	                      * learning when learned >= max_learning_entry. TOMOYO counts every
	                      * permission of the domain, so user space should start it at the number
	                      * of permission bits the domain's policy already has. */
	__u32 subtree_depths;/* bit d (d < 31): the domain has a TMY_MATCH_SUBTREE rule whose prefix
	                      * has d+1 '/' (bit 0: "/", bit 1: "/usr/"); bit 31: some such rule has
	                      * 32 or more. 0 = no subtree rules: the kernel does only the exact lookup. */
	__u32 dfa;           /* cell index of the domain's path automaton in tmy_dfa (see "path
	                      * automata" below); 0 = no pattern rules besides subtrees */
	__u32 conds;         /* number of the domain's conditional rules in tmy_cond_rules (indexes
	                      * 0..conds-1, see "conditional rules"); 0 = none */
	__u32 dfa_unix;      /* cell index in tmy_dfa of the automaton of the domain's "network unix"
	                      * rules on patterns and path_groups (perms = TMY_NET_PERM bits), walked
	                      * over the address as TOMOYO names it after a miss in tmy_path_rules */
	__u32 _pad2;
};

/* ---- path rules (hash map "tmy_path_rules") ------------------------------------------------ */
enum tmy_match {
	TMY_MATCH_EXACT   = 0, /* path_hash = hash of the whole path; perms = TMY_PERM_* */
	TMY_MATCH_SUBTREE = 1, /* path_hash = hash of a directory prefix ending in '/' */
	TMY_MATCH_UNIX    = 2, /* path_hash = hash of an AF_UNIX address as TOMOYO names it (see
	                        * "network" below); perms = TMY_NET_PERM() bits */
};

struct tmy_path_key {
	__u64 domain;
	__u64 path_hash;
	__u32 generation;
	__u8  match;   /* enum tmy_match */
	__u8  _pad[3];
};

struct tmy_path_val {
	__u32 perms;   /* TMY_PERM_* allowed */
	__u32 learned; /* TMY_PERM_* of perms that the kernel added in learning mode */
};

/* ---- path automata (array map "tmy_dfa") ----------------------------------------------------
 * A domain's file rules with patterns (other than whole subtrees, which are TMY_MATCH_SUBTREE
 * keys) are compiled in user space into ONE deterministic automaton over the bytes of a name; the
 * kernel walks it after the exact and subtree lookups missed: one step per byte of the name
 * (bounded by PATH_MAX), whatever the number of patterns.
 *
 * tmy_dfa is an array of blocks of 16 __u32 cells; cell c is block c / 16, slot c % 16. An
 * automaton at cell D (tmy_domain_val.dfa) is laid out as:
 *   cell D          the start row (0: the patterns match nothing)
 *   cells D+1..D+64 the byte classes: class of byte b = (cell[D + 1 + b/4] >> (8 * (b%4))) & 0xff
 *   a row R         cell R = the TMY_PERM_* bits granted to a name ending in this state;
 *                   cell R + 1 + class = the row after a byte of that class, 0 = no pattern can
 *                   match any more (the walk stops and grants nothing)
 * Generations: a policy of generation G is written in half (G & 1) (cells [(G & 1) * HALF,
 * (G & 1) * HALF + HALF)), so the generation in force is never overwritten while a new one is
 * written; cell 0 is never a row or an automaton.
 */
#define TMY_DFA_BLOCK_CELLS 16
#define TMY_DFA_HALF_CELLS  524288       /* 1 << 19 cells: 2 MiB per generation */
#define TMY_DFA_BLOCKS      65536        /* 2 * TMY_DFA_HALF_CELLS / TMY_DFA_BLOCK_CELLS */
#define TMY_DFA_HEADER_CELLS 65          /* start row + 64 cells of byte classes */

struct tmy_dfa_block {
	__u32 cell[TMY_DFA_BLOCK_CELLS];
};

/* ---- conditional rules (hash map "tmy_cond_rules") -------------------------------------------
 * A file rule on an exact name with a condition ("file read /etc/shadow task.uid=0"): looked at
 * only when the unconditional rules did not grant everything asked, one lookup per conditional
 * rule of the domain (at most TMY_COND_MAX), whatever the number of its other rules. A rule grants
 * its perms when the name's hash is path_hash and every clause holds. A clause compares a
 * variable (left) with a variable (right != 0) or with up to TMY_COND_RANGES ranges [lo, hi]
 * (right == 0), negated by `negate` (TOMOYO's "!="). path1.* are the object's inode attributes;
 * with no inode (a name being created) every path1 clause is false, as in TOMOYO.
 */
enum tmy_cond_var {
	TMY_CV_TASK_UID   = 1,
	TMY_CV_TASK_EUID  = 2,
	TMY_CV_TASK_SUID  = 3,
	TMY_CV_TASK_FSUID = 4,
	TMY_CV_TASK_GID   = 5,
	TMY_CV_TASK_EGID  = 6,
	TMY_CV_TASK_SGID  = 7,
	TMY_CV_TASK_FSGID = 8,
	TMY_CV_PATH1_UID  = 9,
	TMY_CV_PATH1_GID  = 10,
	TMY_CV_PATH1_TYPE = 11, /* mode & S_IFMT (file 0100000, directory 0040000, ...) */
	TMY_CV_PATH1_PERM = 12, /* mode & 07777 */
	/* Names (issue 6): compared by the 64-bit FNV-1a hash of their raw bytes (TOMOYO's \ooo
	 * decoded). Only `=`/`!=` with up to TMY_COND_RANGES names (a name or a path_group of
	 * names, no patterns): name i's hash is lo[i] | (__u64)hi[i] << 32; right is always 0.
	 * Known only where TOMOYO knows them, else every clause on them is false (= and != alike,
	 * as tomoyo_condition() fails without the object):
	 *   exec.realpath   the executed file's own name (bprm->file, the last symlink followed);
	 *                   in the "file execute" check of an exec
	 *   exec.argv[0]    argv[0] as given to execve(2)/execveat(2) (x86-64 system calls; not
	 *                   for kernel_execve() programs such as usermode helpers, nor for 32-bit
	 *                   execve: counted in TMY_STAT_EXEC_ARGV0_UNREAD); same check
	 *   symlink.target  the target string of symlink(2), as given; in "file symlink" */
	TMY_CV_EXEC_REALPATH  = 13,
	TMY_CV_EXEC_ARGV0     = 14,
	TMY_CV_SYMLINK_TARGET = 15,
	/* path1.parent.*: the inode of path1's parent directory (TOMOYO stats it whenever path1 has
	 * a dentry, a name being created included); no parent inode: every clause on them is false */
	TMY_CV_PATH1_PARENT_UID  = 16,
	TMY_CV_PATH1_PARENT_GID  = 17,
	TMY_CV_PATH1_PARENT_PERM = 18, /* mode & 07777 */
	TMY_CV_MAX        = 19,
};

#define TMY_COND_CLAUSES 4
#define TMY_COND_RANGES  4
#define TMY_COND_MAX     64

/* Conditional rules on patterns ("file read /home/\*\/\* path1.uid=task.uid", or on a
 * path_group): the domain's automaton (tmy_dfa) has one mark bit per such rule, up to
 * TMY_COND_MARK_MAX per domain: an accepting row's cell ORs TMY_DFA_MARK0 << k into the
 * permission bits when conditional pattern k matches the name. Conditional rule k's path_hash is
 * TMY_COND_MARK_HASH(k), which matches any name whose walk set mark k (marks never grant by
 * themselves: no TMY_PERM_* bit is that high). */
#define TMY_DFA_MARK0         (1u << 25)
#define TMY_DFA_MARKS         0xfe000000u
#define TMY_COND_MARK_MAX     7
#define TMY_COND_MARK_BASE    0x544d59636f6e6400ull /* "TMYcond\0"; k in the low 3 bits */
#define TMY_COND_MARK_HASH(k) (TMY_COND_MARK_BASE | (k))

struct tmy_cond_clause {
	__u8  left;      /* enum tmy_cond_var */
	__u8  negate;    /* 1: the clause holds when the comparison fails ("!=") */
	__u8  right;     /* enum tmy_cond_var, or 0: compare with the ranges */
	__u8  nranges;   /* 1..TMY_COND_RANGES when right == 0 */
	__u32 lo[TMY_COND_RANGES];
	__u32 hi[TMY_COND_RANGES];
};

struct tmy_cond_key {
	__u64 domain;
	__u32 generation;
	__u32 index;     /* 0 .. tmy_domain_val.conds - 1 */
};

struct tmy_cond_rule {
	__u64 path_hash;
	__u32 perms;     /* TMY_PERM_* granted when every clause holds */
	__u32 nclauses;  /* 1..TMY_COND_CLAUSES */
	struct tmy_cond_clause clause[TMY_COND_CLAUSES];
};

/* ---- learned conditions on names (issue 6) ---------------------------------------------------
 * TOMOYO learns "file execute NAME exec.realpath="R" exec.argv[0]="A"" (every exec) and
 * "file symlink NAME symlink.target="T"". These learned forms are exact keys of
 * tmy_path_rules (TMY_MATCH_EXACT), one lookup each, not conditional rules:
 *   file execute NAME exec.realpath="R"                     fold(object, hash(R))
 *   file execute NAME exec.realpath="R" exec.argv[0]="A"    fold(fold(object, hash(R)), hash(A))
 *   file symlink NAME symlink.target="T"                    fold(object, hash(T))
 * where object = hash(NAME) (or, for execute, the aggregated name's hash), hash() is the path
 * hash of the raw bytes and fold(h, v) continues FNV-1a 64 from state h over the 8
 * little-endian bytes of v (the domain id fold). The kernel looks these up after the name's own
 * rules missed, learns the longest form it could read, and sends that form's key as the
 * event's object with TMY_ACCESS_INFO1 (and INFO2): path[] = NAME '\0' R ['\0' A], or
 * NAME '\0' T. An exec whose argv[0] could not be read learns the exec.realpath form only.
 * Any other condition on these names is a conditional rule (tmy_cond_rules).
 */

/* ---- exception policy (hash map "tmy_transitions") ----------------------------------------- */
enum tmy_transition_type {
	/* Checked in this order, as TOMOYO's tomoyo_transition_type() does. */
	TMY_TR_NO_RESET      = 0,
	TMY_TR_RESET         = 1,
	TMY_TR_NO_INITIALIZE = 2,
	TMY_TR_INITIALIZE    = 3,
	TMY_TR_NO_KEEP       = 4,
	TMY_TR_KEEP          = 5,
	TMY_TR_MAX           = 6,
};

enum tmy_from_kind {
	TMY_FROM_ANY      = 0, /* no "from" part: from = 0 */
	TMY_FROM_DOMAIN   = 1, /* from = domain id of a whole domain name ("<kernel> ...") */
	TMY_FROM_LASTNAME = 2, /* from = path hash of the domain's last program name */
};

struct tmy_transition_key {
	__u64 program;    /* path hash of the program, 0 = any program */
	__u64 from;       /* see enum tmy_from_kind */
	__u32 generation;
	__u8  type;       /* enum tmy_transition_type */
	__u8  from_kind;  /* enum tmy_from_kind */
	__u8  _pad[2];
};
/* value: __u32, 1 = present */

/* aggregator (hash map "tmy_aggregators"): executed program -> name used for the domain and
 * for the "file execute" check (TOMOYO checks execute permission on the aggregated name). */
struct tmy_aggregator_key {
	__u64 program;    /* path hash of the executed program */
	__u32 generation;
	__u32 _pad;
};
struct tmy_aggregator_val {
	__u64 aggregated;      /* path hash of the aggregated name */
	__u64 aggregated_root; /* FNV-1a 64 over '<' + aggregated name + '>': the id of the namespace
	                        * root a reset_domain on the aggregated name jumps to */
};

/* ---- network (TOMOYO 2.6: "network inet|unix PROTOCOL OPERATION ADDRESS [PORT]") ------------
 * What is checked, as TOMOYO's security/tomoyo/network.c does (socket family from the socket,
 * address family from the sockaddr, addrlen validated per family before anything is read):
 *   socket_bind     bind       inet: local ADDRESS PORT; unix: the path being bound
 *   socket_listen   listen     stream/seqpacket only; the socket's bound address (0.0.0.0 0 /
 *                              "anonymous" when unbound)
 *   socket_connect  connect    stream/seqpacket; on dgram/raw sockets connect() is checked as
 *                              "send" (it only sets the default destination), as TOMOYO does
 *   socket_sendmsg  send       dgram/raw with an explicit destination (sendto/sendmsg msg_name);
 *                              also stream with MSG_FASTOPEN and a destination, checked as
 *                              "connect" (TCP fast open connects without connect(); TOMOYO 2.6
 *                              misses it)
 * Raw sockets use the protocol number as PORT. An address shorter than its family needs
 * (addrlen < 16 for AF_INET, < 24 for AF_INET6, < 2 for any) is not judged (the kernel refuses
 * it with EINVAL itself). On an inet socket the address is judged by the sockaddr's own family
 * (an AF_INET address given to an AF_INET6 socket is judged as IPv4), other families are not
 * judged; on a unix socket only AF_UNIX addresses are judged.
 * Unix addresses are names, not files: sun_path as given (relative stays relative); an abstract
 * address keeps its leading NUL (TOMOYO prints it as \000); an empty one is "anonymous".
 */
enum tmy_net_proto { /* index of the protocol in TMY_NET_PERM() */
	TMY_NET_STREAM    = 0,
	TMY_NET_DGRAM     = 1,
	TMY_NET_SEQPACKET = 2,
	TMY_NET_RAW       = 3,
};
enum tmy_net_op {
	TMY_NET_BIND    = 0,
	TMY_NET_LISTEN  = 1,
	TMY_NET_CONNECT = 2,
	TMY_NET_SEND    = 3,
};
/* The permission bit of (protocol, operation) in tmy_path_val.perms (TMY_MATCH_UNIX rules),
 * tmy_path_val.perms of tmy_inet_rules, tmy_port_val.perms and tmy_net_event.perm. */
#define TMY_NET_PERM(proto, op) (1u << ((proto) * 4 + (op)))

#define TMY_AF_UNIX  1
#define TMY_AF_INET  2
#define TMY_AF_INET6 10

/* Hash map "tmy_inet_rules": one address and one port, O(1). value: struct tmy_path_val. */
struct tmy_inet_key {
	__u64 domain;
	__u32 generation;
	__u8  family;     /* TMY_AF_INET or TMY_AF_INET6 */
	__u8  _pad;
	__u16 port;       /* host byte order (raw: the protocol number) */
	__u8  addr[16];   /* network byte order; IPv4 in addr[0..3], addr[4..15] zero */
};

/*
 * Address ranges and groups ("10.0.0.0-10.0.0.255", "@NAME"), port ranges and groups: two
 * longest-prefix-match lookups, whatever the number of rules. User space (PolicyCompiler) cuts
 * a domain's range rules for one family into disjoint address intervals, each carrying the
 * union of the (port interval, permissions) of the rules that cover it; equal unions share one
 * "port set". Each address interval is stored as CIDR blocks in tmy_inet_ranges -> port set;
 * each port set as disjoint port intervals, as CIDR blocks of the 16-bit port, in tmy_port_sets
 * -> permissions. So the kernel does one LPM lookup for the address and one for the port.
 *
 * LPM trie "tmy_inet_ranges": prefixlen = TMY_INET_RANGE_FIXED_BITS + address prefix bits
 * (0..32 for IPv4, 0..128 for IPv6); everything before addr is always matched in full.
 */
#define TMY_INET_RANGE_FIXED_BITS 160 /* generation (4), domain (8), family + _pad (8): the
                                       * 20 bytes between prefixlen and addr */
struct tmy_inet_range_key {
	__u32 prefixlen;
	__u32 generation;
	__u64 domain;
	__u8  family;     /* TMY_AF_INET or TMY_AF_INET6 */
	__u8  _pad[7];
	__u8  addr[16];   /* network byte order, IPv4 in addr[0..3] */
};
struct tmy_inet_range_val {
	__u32 port_set;   /* key of the port set in tmy_port_sets (unique within a generation) */
	__u32 _pad;
};

/* LPM trie "tmy_port_sets": prefixlen = TMY_PORT_SET_FIXED_BITS + port prefix bits (0..16). */
#define TMY_PORT_SET_FIXED_BITS 64 /* generation, port_set */
struct tmy_port_key {
	__u32 prefixlen;
	__u32 generation;
	__u32 port_set;
	__u8  port[2];    /* big-endian (network byte order), so that prefixes are high bits */
	__u8  _pad[2];
};
struct tmy_port_val {
	__u32 perms;      /* TMY_NET_PERM() bits granted for the ports of this block */
	__u32 _pad;
};

/* ---- capability (TOMOYO 1.8 style: "capability NAME", Linux capability names) --------------
 * capable(cred, ns, cap, opts), judged only when cred is the calling task's own subjective cred
 * (a check of another task's or a file opener's capabilities is not this task acting) and that
 * is its real cred (under override_creds() overlayfs, nfsd, cachefiles check their own
 * credentials on the task's behalf). Checks
 * with CAP_OPT_NOAUDIT are enforced like the others but never learned or logged.
 * Hash map "tmy_cap_rules": key struct tmy_domain_key, value below.
 */
#define TMY_CAP_MAX 64 /* capability numbers 0..63 (CAP_LAST_CAP is 40 in 6.12) */
#define TMY_CAP_OPT_NOAUDIT (1u << 1) /* include/linux/security.h CAP_OPT_NOAUDIT */
struct tmy_cap_val {
	__u64 allowed;    /* bit n: capability n */
	__u64 learned;    /* bits of allowed that the kernel added in learning mode */
};

/* ---- signal (TOMOYO 1.8: "ipc signal SIGNAL TARGET_DOMAIN") ---------------------------------
 * task_kill(p, info, sig, cred): allowed without a check for sig 0 (an existence probe),
 * for a target in the sender's own thread group or own domain (as TOMOYO 1.8), and when cred is
 * set (a signal sent on behalf of another task, e.g. USB async I/O). Otherwise a rule
 * (sender domain, T, sig) is looked up for T = the target's domain and then each of its
 * name-ancestors (tmy_domain_val.parent), so a rule naming "<kernel> /usr/sbin/httpd" covers
 * that domain and every domain below it (TOMOYO 1.8's word-boundary prefix match).
 * Hash map "tmy_signal_rules": value struct tmy_path_val with perms = 1 (TMY_SIGNAL_ALLOWED).
 */
#define TMY_SIGNAL_ALLOWED 1u
#define TMY_SIGNAL_DEPTH_MAX 256 /* name-ancestors looked at: words of a domain name */
struct tmy_signal_key {
	__u64 domain;     /* the sender's domain */
	__u64 target;     /* a target domain id */
	__u32 generation;
	__u32 sig;
};

/* ---- statistics (per-CPU array map "tmy_stats", index = enum tmy_stat) --------------------- */
enum tmy_stat {
	TMY_STAT_EVENTS           = 0, /* records committed to the ring buffer */
	TMY_STAT_EVENTS_DROPPED   = 1, /* ring buffer full: the decision was still made */
	TMY_STAT_PATH_UNRESOLVED  = 2, /* a path the kernel side could not name (too long, error) */
	TMY_STAT_TASK_NO_STORAGE  = 3, /* bpf_task_storage_get returned NULL */
	TMY_STAT_DENIED           = 4,
	TMY_STAT_LEARNED          = 5,
	TMY_STAT_DOMAINS_FULL     = 6, /* tmy_domains insert failed (map full): domain not recorded */
	TMY_STAT_RULES_FULL       = 7, /* tmy_path_rules insert failed (map full): rule not learned */
	TMY_STAT_SCRATCH_BUSY     = 8, /* every per-CPU scratch slot busy (nested/preempted hooks):
	                                * treated as an unresolved path */
	TMY_STAT_TRANSITION_FAILED= 9, /* reset_domain to a root that is not in tmy_domains: -ENOMEM */
	TMY_STAT_ADDR_SHORT       = 10, /* a sockaddr too short for its family: not judged */
	/* issue 6: an exec through a final symlink whose name (link's directory + link's name)
	 * could not be built (too long, no scratch slot, no task storage) or whose record was lost
	 * (seen at bprm_check_security): the exec is judged as an unresolved name (enforcing
	 * refuses it, events carry TMY_ACCESS_PATH_UNRESOLVED); counted where it is seen, so one
	 * exec may count twice (see tmy_link.bpf.h) */
	TMY_STAT_EXEC_LINK_UNNAMED = 11,
	/* issue 6: an exec's argv[0] could not be read (kernel_execve, a 32-bit execve, a page not
	 * present, or NAME + exec.realpath + argv[0] longer than TMY_PATH_MAX): exec.argv[0] is
	 * unknown for it (learned with exec.realpath only) */
	TMY_STAT_EXEC_ARGV0_UNREAD = 12,
	TMY_STAT_MAX              = 16,
};

/* ---- events (ring buffer "tmy_events") ------------------------------------------------------
 * Every record starts with struct tmy_event_hdr; hdr.size is the whole record's length,
 * including a variable-length path that ends the record (path_len bytes, no NUL).
 */
enum tmy_event_type {
	TMY_EV_DOMAIN = 1, /* a task entered a domain the kernel had not seen in this generation */
	TMY_EV_LEARN  = 2, /* learning mode added a permission to the policy map */
	TMY_EV_AUDIT  = 3, /* an access was granted (grant_log) or rejected (reject_log) */
	/* the same two for the other categories, each with its own record */
	TMY_EV_NET_LEARN    = 4, /* struct tmy_net_event */
	TMY_EV_NET_AUDIT    = 5,
	TMY_EV_CAP_LEARN    = 6, /* struct tmy_cap_event */
	TMY_EV_CAP_AUDIT    = 7,
	TMY_EV_SIGNAL_LEARN = 8, /* struct tmy_signal_event */
	TMY_EV_SIGNAL_AUDIT = 9,
};

struct tmy_event_hdr {
	__u16 type;       /* enum tmy_event_type */
	__u16 _pad;
	__u32 size;       /* total record size in bytes */
	__u64 ktime_ns;   /* bpf_ktime_get_ns() */
	__u64 domain;     /* the acting task's domain id */
	__u32 pid;        /* tgid */
	__u32 tid;
	__u32 uid;
	__u32 gid;
};

struct tmy_domain_event {
	struct tmy_event_hdr hdr;   /* hdr.domain = the new domain */
	__u64 parent;               /* domain id of the domain the exec came from */
	__u64 program;              /* path hash of the name folded into the id */
	__u8  profile;
	__u8  transition;           /* 0xff = ordinary child (also after no_* rules matched);
	                             * TMY_TR_INITIALIZE: name = parent's namespace root + program;
	                             * TMY_TR_RESET: never sent (the root must already exist) */
	__u16 flags;                /* TMY_DOMAIN_EV_* */
	__u32 path_len;
	/* char path[path_len]: the executed file's name, raw bytes; equal to the name folded in
	 * unless TMY_DOMAIN_EV_AGGREGATED (then `program` is the aggregated name's hash) */
};
#define TMY_DOMAIN_EV_AGGREGATED (1u << 0)
#define TMY_TRANSITION_CHILD 0xff

#define TMY_ACCESS_GRANTED (1u << 0)
#define TMY_ACCESS_PATH_UNRESOLVED (1u << 1) /* path could not be named; path[] is a best effort
                                              * (the file's last component); object = 0 */
#define TMY_ACCESS_QUOTA_EXCEEDED  (1u << 2) /* learning stopped for this domain at this access
                                              * (sent once per domain and generation) */
#define TMY_ACCESS_AGGREGATED      (1u << 3) /* object = aggregated name's hash, path[] = the
                                              * executed file's name */
#define TMY_ACCESS_TRANSITION_FAILED (1u << 4) /* exec refused (-ENOMEM): reset_domain target
                                              * root not in tmy_domains; object = target root id */
#define TMY_ACCESS_INTERPRETER     (1u << 5) /* "file read" of a script's interpreter, checked in
                                              * the domain the exec goes to (hdr.domain) */
#define TMY_ACCESS_INFO1           (1u << 6) /* path[] = NAME '\0' S1: exec.realpath (file execute)
                                              * or symlink.target (file symlink), see "learned
                                              * conditions on names"; object = that form's key */
#define TMY_ACCESS_INFO2           (1u << 7) /* with INFO1: path[] = NAME '\0' R '\0' A, A being
                                              * exec.argv[0] */
struct tmy_access_event {
	struct tmy_event_hdr hdr;
	__u64 object;               /* path hash */
	__u32 perm;                 /* the one TMY_PERM_* bit asked for */
	__u8  category;             /* enum tmy_category */
	__u8  mode;                 /* enum tmy_mode in force */
	__u8  profile;
	__u8  flags;                /* TMY_ACCESS_* */
	__u32 path_len;
	__u32 _pad;
	/* char path[path_len] */
};

/* TMY_EV_NET_*: "network inet|unix PROTO OP ADDRESS [PORT]" */
struct tmy_net_event {
	struct tmy_event_hdr hdr;
	__u32 perm;                 /* the one TMY_NET_PERM() bit asked for */
	__u8  category;             /* TMY_CAT_NETWORK */
	__u8  mode;
	__u8  profile;
	__u8  flags;                /* TMY_ACCESS_* */
	__u8  family;               /* TMY_AF_INET, TMY_AF_INET6, TMY_AF_UNIX */
	__u8  _pad;
	__u16 port;                 /* inet: host byte order (raw: protocol number) */
	__u32 path_len;             /* unix: bytes of the address (abstract: leading NUL included;
	                             * 0 = "anonymous"); inet: 0 */
	__u8  addr[16];             /* inet: network byte order, IPv4 in addr[0..3] */
	/* char path[path_len]: unix address bytes */
};

/* TMY_EV_CAP_*: "capability NAME" */
struct tmy_cap_event {
	struct tmy_event_hdr hdr;
	__u32 cap;                  /* capability number */
	__u8  category;             /* TMY_CAT_CAPABILITY */
	__u8  mode;
	__u8  profile;
	__u8  flags;                /* TMY_ACCESS_* */
};

/* TMY_EV_SIGNAL_*: "ipc signal SIG TARGET_DOMAIN" */
struct tmy_signal_event {
	struct tmy_event_hdr hdr;
	__u64 target;               /* the target task's domain id */
	__u32 sig;
	__u8  category;             /* TMY_CAT_IPC */
	__u8  mode;
	__u8  profile;
	__u8  flags;                /* TMY_ACCESS_* */
	__u32 target_pid;           /* the target's tgid */
	__u32 _pad;
};

#endif /* TOMOYO_ABI_H */
