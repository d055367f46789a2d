/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The maps of tomoyo.bpf.o, declared once for every compilation unit that is linked into it.
 *
 * tomoyo.bpf.o is linked by `bpftool gen object` from several tomoyo_*.bpf.c files (one per hook
 * family). Exactly one of them (tomoyo_core.bpf.c) defines TMY_MAPS_OWNER before including this
 * header and so owns the definitions; the others see identical `extern` declarations, which the
 * BPF static linker resolves to the one map. A test object (test/hash.bpf.c) also defines
 * TMY_MAPS_OWNER and gets its own private copies.
 *
 * Include after vmlinux.h, bpf_helpers.h and tomoyo_abi.h.
 */
#ifndef TMY_MAPS_BPF_H
#define TMY_MAPS_BPF_H

#ifdef TMY_MAPS_OWNER
#define TMY_MAP_DECL
#else
#define TMY_MAP_DECL extern
#endif

/* ---- sizes --------------------------------------------------------------------------------- */
/*
 * Policy maps hold two generations while a new policy replaces the old one (written, switched,
 * then the old one deleted), so each is sized for twice what one policy may hold. All hash maps
 * are BPF_F_NO_PREALLOC: their elements are allocated on insert, so an idle or small policy does
 * not pin max_entries * element size of kernel memory; max_entries is only a cap. (The bucket
 * array, 16 bytes per rounded-up entry, is still allocated at map creation.)
 */
#define TMY_MAX_DOMAINS     131072 /* 64k domains per generation: a whole distribution under
                                    * learning mode creates a few thousand */
#define TMY_MAX_PATH_RULES  262144 /* 128k exact/subtree rules per generation; 4 MiB of buckets */
#define TMY_MAX_TRANSITIONS  16384 /* exception policy lines (6 kinds x from forms) */
#define TMY_MAX_AGGREGATORS  16384 /* e.g. every applet of several multi-call binaries */
#define TMY_EVENTS_BYTES   (4u << 20) /* ring buffer: power of two, multiple of the page size */
#define TMY_MAX_INET_RULES   65536 /* exact (address, port) network rules, two generations */
#define TMY_MAX_INET_RANGES  65536 /* CIDR blocks of address ranges/groups */
#define TMY_MAX_PORT_SETS    65536 /* CIDR blocks of port ranges/groups */
#define TMY_MAX_SIGNAL_RULES 65536
/* tmy_cap_rules: one entry per domain and generation, so TMY_MAX_DOMAINS */

/*
 * Per-CPU scratch. LSM programs run with migration disabled but, on a fully preemptible kernel,
 * not with preemption disabled: another task's hook can run on the same CPU while one is
 * half-way. So there are TMY_SCRATCH_SLOTS per-CPU slots, each claimed with an atomic exchange of
 * `busy` and released at the end of the hook. A hook that finds no free slot treats its path as
 * unresolved (counted in TMY_STAT_SCRATCH_BUSY) rather than sharing a buffer.
 */
#define TMY_SCRATCH_SLOTS 4
#define TMY_PATH_BUF      8200  /* names live in [0, 4097); 8192 + 8 keeps every masked 8-byte
                                 * read at (off & TMY_PATH_MASK) inside the buffer */
#define TMY_PATH_MASK     8191
#define TMY_PATH_END      4096  /* the dentry walk builds names backwards, ending here */
#define TMY_PREFIX_MAX    2048  /* '/' boundaries recorded per name; a PATH_MAX path has at most
                                 * 2048; the last slot is a write-only sink (see tmy_hash_name) */
#define TMY_PREFIX_MASK   2047

/* What a ring-buffer record is built in: 64-byte header followed by up to PATH_MAX name bytes. */
struct tmy_event_buf {
	union {
		struct tmy_access_event acc;
		struct tmy_domain_event dom;
	};
	char path[TMY_PATH_MAX];
};

/*
 * State of the bpf_loop walks (hashing, dentry walk). It lives in the map value, not in the
 * callback's stack context, on purpose: the verifier tracks ranges of stack values, so a counter
 * kept there grows a new range every iteration and a newer verifier (which re-verifies callbacks
 * until their entry states converge) would never converge; map values are unknown scalars.
 */
struct tmy_loop_state {
	__u64 h, r, cnt, total;         /* hashing */
	__u64 dentry, mnt;              /* dentry walk */
	__s32 pos, state, first_pos;
	__u32 first_len, cross, _pad;
};

/* A name in tmy_scratch.path: where it is, and what the hashing pass found. */
struct tmy_name {
	__u32 off;      /* first byte in scratch->path */
	__u32 len;      /* byte count, 0..TMY_PATH_MAX */
	__u64 hash;     /* FNV-1a 64 of the bytes */
	__u64 root;     /* FNV-1a 64 of '<' bytes '>' (only when asked for) */
	__u32 nprefix;  /* scratch->prefix[0 .. nprefix) hold the state after each '/' */
	__u32 flags;    /* TMY_NAME_* */
};
#define TMY_NAME_UNRESOLVED (1u << 0) /* no name; off/len hold a best effort (last component) */
#define TMY_NAME_DEEP       (1u << 1) /* more '/' than TMY_PREFIX_MAX - 1: deeper ones not kept */
#define TMY_NAME_CHROOT     (1u << 2) /* named by the dentry walk because the task is chrooted */
#define TMY_NAME_LOCAL      (1u << 3) /* "fs:/..." or "dev(M,m):/..." local name */
#define TMY_NAME_TAIL       (1u << 4) /* events of this name carry the tail of tmy_xbuf behind
                                       * it (set by tmy_file_check for TMY_CHECK_INFO) */
#define TMY_XREAD_OFF 4104  /* where a name behind the name is read into s->path to be hashed */
#define TMY_XREAD_MAX 4088  /* 8192 - TMY_XREAD_OFF: its longest read, NUL included */
#define TMY_TAIL_MAX  8192  /* '\0' S1 ['\0' S2]: two strings below PATH_MAX each */

/*
 * The names that stand behind the judged name (issue 6, tomoyo_abi.h "learned conditions on
 * names"): exec.realpath and exec.argv[0] of an exec, symlink.target of a symlink, as the
 * string '\0' S1 ['\0' S2] in the slot's tmy_xbuf.tail. Written by the exec and symlink hooks,
 * cleared (n = 0) whenever a hook claims the scratch, so no other check sees them.
 */
#define TMY_XINFO_EXEC    1
#define TMY_XINFO_SYMLINK 2
struct tmy_xinfo {
	__u64 h1;       /* path hash of S1 (exec.realpath, symlink.target) */
	__u64 h2;       /* path hash of S2 (exec.argv[0]) */
	__u32 n;        /* strings known: 0, 1 (S1) or 2 (S1 and S2) */
	__u32 tlen;     /* bytes of the tail, 0..TMY_TAIL_MAX */
	__u32 kind;     /* TMY_XINFO_* */
	__u32 _pad;
};

/* The object being named, for path1.* conditions: its dentry (tmy_name_core) and, read from it
 * only when a conditional rule is evaluated, its inode attributes (tmy_cond_lookup). */
struct tmy_object {
	__u64 dentry;     /* the named dentry (tmy_name_core), read only by tmy_cond_lookup */
	__u32 uid;        /* its inode's attributes, read from dentry by tmy_cond_lookup */
	__u32 gid;
	__u32 mode;
	__u32 valid;      /* 0: no inode (a negative dentry, or not named from a dentry) */
	__u32 marks;      /* TMY_DFA_MARKS the automaton's walk of the name set (tmy_rule_lookup) */
	__u32 pvalid;     /* 0: no parent inode; else its attributes (path1.parent.*) follow */
	__u32 puid;
	__u32 pgid;
	__u32 pmode;
	__u32 _pad;
};

/* The domain whose policy judges an access, with its profile settings for one category. */
struct tmy_dom {
	__u64 domain;
	__u32 gen;
	__u32 depths;     /* tmy_domain_val.subtree_depths, 0 if the domain has no entry */
	__u32 pflags;     /* TMY_PROFILE_* */
	__u32 max_learn;
	__u8  profile;
	__u8  mode;       /* enum tmy_mode of the category being judged */
	__u8  cat;        /* enum tmy_category */
	__u8  _pad;
	__u32 dflags;     /* tmy_domain_val.flags (TMY_DOMAIN_*), 0 if the domain has no entry */
	__u32 dfa;        /* the domain's automaton for the category judged, 0 if none:
	                   * tmy_domain_val.dfa for file, .dfa_unix for network */
	__u32 conds;      /* tmy_domain_val.conds: the domain's conditional rules */
};

/*
 * The name and domain being judged also live here rather than on the stack: the verifier
 * forgets what it knew of values read back from a map, so the several ways a name is made
 * (bpf_d_path, walks, fallbacks) converge to one state afterwards instead of multiplying the
 * paths it has to check through everything that follows; and the stack stays small enough for
 * the call into the global tmy_file_check (512 bytes for caller and callee together).
 */
struct tmy_scratch {
	__u32 busy;                     /* claimed by a running hook (atomic xchg) */
	__u32 slot;                     /* this slot's index (also the tmy_xbuf slot) */
	struct tmy_name name;
	struct tmy_dom dom;
	struct tmy_loop_state ls;
	struct tmy_object obj;          /* the named object's inode attributes (conditions) */
	__u32 cv[32];                   /* condition variables by enum tmy_cond_var (tmy_cond_lookup) */
	struct tmy_xinfo xi;            /* names behind the name (exec, symlink), in tmy_xbuf */
	char  path[TMY_PATH_BUF];       /* the name being judged; [TMY_XREAD_OFF, 8192) is free
	                                 * while a name is built (it ends at TMY_PATH_END + 1) */
	__u64 prefix[TMY_PREFIX_MAX];   /* FNV state after each '/' of the name, in order */
	struct tmy_event_buf ev;
};

/* ---- maps (names and types are the ABI, see tomoyo_abi.h) --------------------------------- */
TMY_MAP_DECL struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct tmy_state);
} tmy_state SEC(".maps");

TMY_MAP_DECL struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, TMY_PROFILE_MAX);
	__type(key, __u32);
	__type(value, struct tmy_profile);
} tmy_profiles SEC(".maps");

TMY_MAP_DECL struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct tmy_task);
} tmy_tasks SEC(".maps");

TMY_MAP_DECL struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, TMY_MAX_DOMAINS);
	__type(key, struct tmy_domain_key);
	__type(value, struct tmy_domain_val);
} tmy_domains SEC(".maps");

TMY_MAP_DECL struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, TMY_MAX_PATH_RULES);
	__type(key, struct tmy_path_key);
	__type(value, struct tmy_path_val);
} tmy_path_rules SEC(".maps");

TMY_MAP_DECL struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, TMY_MAX_TRANSITIONS);
	__type(key, struct tmy_transition_key);
	__type(value, __u32);
} tmy_transitions SEC(".maps");

TMY_MAP_DECL struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, TMY_MAX_AGGREGATORS);
	__type(key, struct tmy_aggregator_key);
	__type(value, struct tmy_aggregator_val);
} tmy_aggregators SEC(".maps");

/* network (tomoyo_abi.h "network"); LPM tries must be BPF_F_NO_PREALLOC */
TMY_MAP_DECL struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, TMY_MAX_INET_RULES);
	__type(key, struct tmy_inet_key);
	__type(value, struct tmy_path_val);
} tmy_inet_rules SEC(".maps");

TMY_MAP_DECL struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, TMY_MAX_INET_RANGES);
	__type(key, struct tmy_inet_range_key);
	__type(value, struct tmy_inet_range_val);
} tmy_inet_ranges SEC(".maps");

TMY_MAP_DECL struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, TMY_MAX_PORT_SETS);
	__type(key, struct tmy_port_key);
	__type(value, struct tmy_port_val);
} tmy_port_sets SEC(".maps");

/* capability (tomoyo_abi.h "capability") */
TMY_MAP_DECL struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, TMY_MAX_DOMAINS);
	__type(key, struct tmy_domain_key);
	__type(value, struct tmy_cap_val);
} tmy_cap_rules SEC(".maps");

/* signal (tomoyo_abi.h "signal") */
TMY_MAP_DECL struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, TMY_MAX_SIGNAL_RULES);
	__type(key, struct tmy_signal_key);
	__type(value, struct tmy_path_val);
} tmy_signal_rules SEC(".maps");

#define TMY_MAX_COND_RULES 16384 /* conditional rules, two generations */

TMY_MAP_DECL struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, TMY_MAX_COND_RULES);
	__type(key, struct tmy_cond_key);
	__type(value, struct tmy_cond_rule);
} tmy_cond_rules SEC(".maps");

/* path automata (tomoyo_abi.h "path automata"): 4 MiB, preallocated as every array map is */
TMY_MAP_DECL struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, TMY_DFA_BLOCKS);
	__type(key, __u32);
	__type(value, struct tmy_dfa_block);
} tmy_dfa SEC(".maps");

TMY_MAP_DECL struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, TMY_STAT_MAX);
	__type(key, __u32);
	__type(value, __u64);
} tmy_stats SEC(".maps");

TMY_MAP_DECL struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, TMY_EVENTS_BYTES);
} tmy_events SEC(".maps");

TMY_MAP_DECL struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, TMY_SCRATCH_SLOTS);
	__type(key, __u32);
	__type(value, struct tmy_scratch);
} tmy_scratch SEC(".maps");
/*
 * The tail of names behind an exec's or a symlink's name, and the record that carries name +
 * tail (up to 12 KiB): a per-CPU array of its own, slot for slot with tmy_scratch, because a
 * per-CPU value is limited to 32 KiB and tmy_scratch is close to it.
 */
struct tmy_xbuf {
	char tail[TMY_PATH_BUF];        /* '\0' S1 ['\0' S2], s->xi.tlen bytes */
	struct tmy_access_event hdr;    /* the record: header, name, tail */
	char path[TMY_PATH_MAX + TMY_TAIL_MAX];
};
TMY_MAP_DECL struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, TMY_SCRATCH_SLOTS);
	__type(key, __u32);
	__type(value, struct tmy_xbuf);
} tmy_xbuf SEC(".maps");

/*
 * The return value of an earlier BPF program on the same hook, passed on. LSM programs must
 * return 0 or a negative errno; 6.12's verifier checks the range [-4095, 0] at every exit, so an
 * unknown value is bounded here (an out-of-range one, impossible from a verified program,
 * becomes -EPERM).
 */
static __always_inline int tmy_prev_ret(int ret)
{
	if (ret < -4095 || ret > 0)
		return -TMY_EPERM;
	return ret;
}

/* ---- small helpers shared by every family ------------------------------------------------- */
/* The tmy_xbuf of scratch slot s (NULL only if the map lookup fails). */
static __always_inline struct tmy_xbuf *tmy_xbuf_of(const struct tmy_scratch *s)
{
	__u32 k = s->slot;

	return bpf_map_lookup_elem(&tmy_xbuf, &k);
}
static __always_inline void tmy_stat(__u32 idx)
{
	__u64 *c = bpf_map_lookup_elem(&tmy_stats, &idx);

	if (c)
		*c += 1; /* per-CPU: no atomics needed */
}

static __always_inline __u32 tmy_generation(void)
{
	__u32 zero = 0;
	struct tmy_state *st = bpf_map_lookup_elem(&tmy_state, &zero);

	return st ? st->generation : 0;
}

/* Claims a free scratch slot; returns it and stores its index in *slot, or NULL if all are busy. */
static __always_inline struct tmy_scratch *tmy_scratch_get(__u32 *slot)
{
#pragma unroll
	for (__u32 i = 0; i < TMY_SCRATCH_SLOTS; i++) {
		__u32 k = i;
		struct tmy_scratch *s = bpf_map_lookup_elem(&tmy_scratch, &k);

		if (s && __sync_lock_test_and_set(&s->busy, 1) == 0) {
			*slot = i;
			s->slot = i;
			s->xi.n = 0; /* what an exec or symlink left is not this hook's */
			return s;
		}
	}
	tmy_stat(TMY_STAT_SCRATCH_BUSY);
	return NULL;
}

static __always_inline void tmy_scratch_put(struct tmy_scratch *s)
{
	if (s)
		*(volatile __u32 *)&s->busy = 0;
}

/* ---- issue 6: the executed program's name through a final symlink (tmy_link.bpf.h) ----------
 * Kernel-internal: user space never reads this map (it is pinned with the others, nothing more).
 * One record per task, written by lsm/inode_follow_link while an exec's path walk follows the
 * symlink that is the LAST component of the string given to execve, confirmed by lsm/file_open
 * of the exec's file, consumed (and deleted) by the exec's first bprm_check_security.
 */
#define TMY_LINK_NONE      0 /* nothing recorded (or cleared) */
#define TMY_LINK_ARMED     1 /* recorded by a walk still in progress (nd, count identify it) */
#define TMY_LINK_CONFIRMED 2 /* that walk opened `file` for an exec */
#define TMY_LINK_F_UNNAMED (1u << 0) /* the name could not be built (too long, no scratch): the
                                      * exec gets the "unresolved name" decision */
struct tmy_link_rec {
	__u64 nd;        /* the walk's struct nameidata (current->nameidata while it runs) */
	__u64 file;      /* CONFIRMED: the struct file the exec opened (bprm->file) */
	__s32 count;     /* nd->total_link_count after the last link this walk followed */
	__u16 state;     /* TMY_LINK_* */
	__u16 flags;     /* TMY_LINK_F_* */
	__u32 len;       /* name bytes, < TMY_PATH_MAX */
	__u32 _pad;
	char  name[TMY_PATH_MAX]; /* TOMOYO's name: the link's directory + "/" + the link's name */
};

TMY_MAP_DECL struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct tmy_link_rec);
} tmy_exec_links SEC(".maps");

#endif /* TMY_MAPS_BPF_H */
